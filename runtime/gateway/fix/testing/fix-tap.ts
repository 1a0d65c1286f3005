/**
 * Test helper: a TCP proxy between a FIX initiator and a counter that records every frame both ways, per
 * connection — so a test can check what really went over the wire (Logon flags and numbers, resend
 * requests, gap fills) whatever either engine believes. If the counter is down, a connection is closed
 * at once (the initiator retries).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One FIX message as seen on the wire: its tags (first occurrence of each). */
export type Frame = Map<number, string>;

/** One TCP connection through the tap. */
export interface TappedConnection {
  /** Frames the initiator sent, in order. */
  fromInitiator: Frame[];
  /** Frames the counter sent, in order. */
  fromCounter: Frame[];
  /** The connection to the counter was established (false: the counter was down). */
  reachedCounter: boolean;
  closed: boolean;
}

/** A running tap. */
export interface FixTap {
  port: number;
  connections: TappedConnection[];
  close(): Promise<void>;
}

/** Splits complete FIX frames off `buf` (SOH-delimited, ending with the 10= checksum field). */
export function takeFrames(buf: Buffer, out: Frame[]): Buffer {
  let rest = buf;
  for (;;) {
    const trailer = rest.indexOf('\x0110=');
    if (trailer < 0) return rest;
    const end = rest.indexOf('\x01', trailer + 4);
    if (end < 0) return rest;
    const frame: Frame = new Map();
    for (const field of rest.subarray(0, end).toString('latin1').split('\x01')) {
      const eq = field.indexOf('=');
      const tag = Number(field.slice(0, eq));
      if (eq > 0 && !frame.has(tag)) frame.set(tag, field.slice(eq + 1));
    }
    out.push(frame);
    rest = rest.subarray(end + 1);
  }
}

/** Starts a tap on a free loopback port, forwarding to `127.0.0.1:counterPort`. */
export async function startFixTap(counterPort: number): Promise<FixTap> {
  const connections: TappedConnection[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((down) => {
    const c: TappedConnection = { fromInitiator: [], fromCounter: [], reachedCounter: false, closed: false };
    connections.push(c);
    const up = createConnection({ host: '127.0.0.1', port: counterPort }, () => {
      c.reachedCounter = true;
    });
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        c.closed = true;
        down.destroy();
        up.destroy();
      });
    }
    let fromDown: Buffer = Buffer.alloc(0);
    let fromUp: Buffer = Buffer.alloc(0);
    down.on('data', (d: Buffer) => {
      fromDown = takeFrames(Buffer.concat([fromDown, d]), c.fromInitiator);
      up.write(d);
    });
    up.on('data', (d: Buffer) => {
      fromUp = takeFrames(Buffer.concat([fromUp, d]), c.fromCounter);
      down.write(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('tap did not bind');
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
