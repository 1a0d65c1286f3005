/**
 * Helpers for tests on either side: a free loopback port, and a scriptable FIX client session that
 * records what it receives and lets a test await messages.
 */
import { createServer } from 'node:net';
import { AsciiSession, type IJsFixConfig, type MsgView } from './jspurefix.ts';
import { type FixEndpoint, type InitiatorOptions, initiatorDescription, startFix } from './launcher.ts';

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** A received message: type and decoded object. */
export interface Received {
  msgType: string;
  body: Record<string, any>;
}

/** A FIX client for tests: logs on, records every application and session message it receives. */
export class TestClient extends AsciiSession {
  readonly received: Received[] = [];
  ready = false;
  stoppedWith: Error | undefined;
  stopped = false;
  private waiters: Array<() => void> = [];
  constructor(config: IJsFixConfig) {
    super(config);
  }
  /** Sends an application message. */
  sendMsg(msgType: string, body: Record<string, unknown>): void {
    this.send(msgType, body);
  }
  /** Highest MsgSeqNum this connection sent (`lastSentSeqNum()` is that of the last gap fill or resend). */
  lastSent(): number {
    return this.highestSent;
  }
  private highestSent = 0;
  protected override txOnEncoded(msgType: string, data: string, hdr: Record<string, unknown>): void {
    super.txOnEncoded(msgType, data, hdr);
    if (hdr?.PossDupFlag !== true) this.highestSent = Math.max(this.highestSent, Number(hdr?.MsgSeqNum ?? 0));
  }
  /** Waits until a received message satisfies `pred` (checks already received ones first). */
  async waitFor(pred: (r: Received) => boolean, timeoutMs = 10_000, from = 0): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`timeout waiting for message; got ${this.received.map((r) => r.msgType).join(',')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  protected override onMsg(msgType: string, view: MsgView): void {
    // Session-level messages (Reject, Logout, ...) are interesting to tests too.
    if (['3', '5'].includes(msgType)) {
      this.received.push({ msgType, body: view.toObject() as Record<string, any> });
      this.notify();
    }
    super.onMsg(msgType, view);
  }
  protected onApplicationMsg(msgType: string, view: MsgView): void {
    this.received.push({ msgType, body: view.toObject() as Record<string, any> });
    this.notify();
  }
  protected onReady(_view: MsgView): void {
    this.ready = true;
    this.notify();
  }
  protected onStopped(error?: Error): void {
    this.stopped = true;
    this.stoppedWith = error;
    this.notify();
  }
  protected onLogon(): boolean {
    return true;
  }
  protected onDecoded(): void {}
  protected onEncoded(): void {}
}

/** Connects a {@link TestClient}; resolves once logged on (or rejects if the session ends first). */
export async function connectTestClient(
  o: InitiatorOptions,
  timeoutMs = 15_000,
): Promise<{ client: TestClient; endpoint: FixEndpoint }> {
  let client: TestClient | undefined;
  const endpoint = startFix(initiatorDescription(o), (c) => {
    client = new TestClient(c as IJsFixConfig);
    return client;
  });
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  endpoint.done.then(
    () => (ended = true),
    () => (ended = true),
  );
  while (Date.now() < deadline) {
    if (client?.ready) return { client, endpoint };
    if (ended || client?.stopped)
      throw new Error(`logon failed: ${client?.stoppedWith?.message ?? 'session ended'}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  endpoint.stop();
  throw new Error('logon timed out');
}
