/**
 * `GET /api/stream` (WebSocket): live engine events as JSON text frames, filtered by role and by the
 * `topics` query. The upgrade request is authenticated like any /api request (cookie or Bearer). The stream
 * ends with close code 4001 and the reason when the session ends (logout, expiry, revocation).
 *
 * Frames: first `{ "type": "hello", username, role, expiresAt, topics }`, then engine events
 * (see EngineEvent in engine-port.ts), and `{ "type": "bye", reason }` just before a server-side close.
 * A slow reader first loses market data (ticks, bars, equity: the next one supersedes them), and is
 * disconnected (1013) if it still falls behind.
 */

import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../common/log.ts';
import type { EngineEvent, TradingEnginePort } from './engine-port.ts';
import type { Session, SessionStore } from './sessions.ts';
import { parseTopics, visibleEvent } from './stream-filter.ts';

/** Buffered bytes beyond which conflatable market data is dropped. */
export const SOFT_BUFFER = 256 * 1024;
/** Buffered bytes beyond which the client is disconnected. */
export const HARD_BUFFER = 4 * 1024 * 1024;
export const CLOSE_SESSION_ENDED = 4001;
const CONFLATABLE = new Set<EngineEvent['type']>(['tick', 'bar', 'equity']);

export interface StreamContext {
  engine: TradingEnginePort;
  sessions: SessionStore;
  logger: Logger;
  /** Called with +1/-1 as clients come and go (metrics). */
  onClients?: (delta: number) => void;
}

export function registerStream(app: FastifyInstance, ctx: StreamContext): void {
  const bySession = new Map<string, Set<WebSocket>>();
  ctx.sessions.onEnd((session: Session, reason: string) => {
    const sockets = bySession.get(session.id);
    if (!sockets) return;
    bySession.delete(session.id);
    for (const ws of sockets) {
      ws.send(JSON.stringify({ type: 'bye', reason }));
      ws.close(CLOSE_SESSION_ENDED, reason.slice(0, 120));
    }
  });

  app.get<{ Querystring: { topics?: string } }>(
    '/api/stream',
    {
      websocket: true,
      schema: {
        tags: ['stream'],
        summary:
          'WebSocket: live engine events (tick, bar, order, trade, position, account, equity, alert, strategy, connection, risk)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { topics: { type: 'string', description: 'comma-separated event types; default all' } },
        },
      },
    },
    (socket, req) => {
      const session = req.session!;
      const parsed = parseTopics(req.query.topics);
      if ('error' in parsed) {
        socket.send(JSON.stringify({ type: 'error', code: 'INVALID_REQUEST', message: parsed.error }));
        socket.close(1008, 'invalid topics');
        return;
      }
      const topics = parsed.topics;
      let set = bySession.get(session.id);
      if (!set) {
        set = new Set();
        bySession.set(session.id, set);
      }
      set.add(socket);
      ctx.onClients?.(1);
      socket.send(
        JSON.stringify({
          type: 'hello',
          username: session.username,
          role: session.role,
          expiresAt: new Date(session.expiresAt).toISOString(),
          topics: [...topics],
        }),
      );
      const unsubscribe = ctx.engine.subscribe((event) => {
        const visible = visibleEvent(session.role, topics, event);
        if (!visible || socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > HARD_BUFFER) {
          ctx.logger.warn(
            { session: session.id, buffered: socket.bufferedAmount },
            'stream client too slow; closing',
          );
          socket.close(1013, 'client too slow');
          return;
        }
        if (socket.bufferedAmount > SOFT_BUFFER && CONFLATABLE.has(event.type)) return;
        socket.send(JSON.stringify(visible));
      });
      // Clients only listen; anything they send is ignored (commands go through REST, where they are audited).
      socket.on('close', () => {
        unsubscribe();
        set.delete(socket);
        if (set.size === 0) bySession.delete(session.id);
        ctx.onClients?.(-1);
      });
    },
  );
}
