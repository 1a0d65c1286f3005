/**
 * Which engine events a WebSocket client receives: the intersection of what its role may see and the topics it
 * asked for (`/api/stream?topics=tick,order`). Pure.
 */
import type { EngineEvent, StrategyView } from './engine-port.ts';

export type Topic = EngineEvent['type'];

export const ALL_TOPICS: readonly Topic[] = [
  'tick',
  'bar',
  'order',
  'trade',
  'position',
  'account',
  'equity',
  'alert',
  'strategy',
  'connection',
  'risk',
];

/**
 * What each role may see. A viewer watches everything a trader sees (the account is theirs to watch), except
 * the strategies' parameters and errors, which belong to whoever trades; they see strategy names and states.
 */
export const ROLE_TOPICS: Record<'trader' | 'viewer', ReadonlySet<Topic>> = {
  trader: new Set(ALL_TOPICS),
  viewer: new Set(ALL_TOPICS),
};

/** Parses a topics query; unknown names are reported, not ignored. */
export function parseTopics(raw: string | undefined): { topics: Set<Topic> } | { error: string } {
  if (!raw) return { topics: new Set(ALL_TOPICS) };
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ALL_TOPICS as readonly string[]).includes(n));
  if (unknown.length)
    return { error: `unknown topics: ${unknown.join(', ')} (known: ${ALL_TOPICS.join(', ')})` };
  return { topics: new Set(names as Topic[]) };
}

/** The event as the client may see it, or undefined when it is not for them. */
export function visibleEvent(
  role: 'trader' | 'viewer',
  topics: ReadonlySet<Topic>,
  event: EngineEvent,
): EngineEvent | undefined {
  if (!topics.has(event.type) || !ROLE_TOPICS[role].has(event.type)) return undefined;
  if (role === 'viewer' && event.type === 'strategy')
    return { type: 'strategy', strategy: strategyForViewer(event.strategy) };
  return event;
}

/** A strategy as a viewer sees it (REST and stream alike): name, contracts and state, no parameters or errors. */
export function strategyForViewer(s: StrategyView): StrategyView {
  const { params: _p, paramsSchema: _s, error: _e, ...rest } = s;
  return { ...rest, params: {} };
}
