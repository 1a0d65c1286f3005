/**
 * Session layer of the counter with a raw client: TestRequest → Heartbeat, a sequence gap → ResendRequest
 * → our gap fill → processing continues, ResendRequest → replay with PossDupFlag, Logout → Logout.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DurableSessionStore } from '../../common/fix/durable-session-store.ts';
import { startTestSimulator } from '../testing.ts';
import { fixTime, RawFixClient } from './raw-client.ts';

let ctx: Awaited<ReturnType<typeof startTestSimulator>>;
beforeAll(async () => {
  ctx = await startTestSimulator();
});
afterAll(async () => {
  await ctx?.sim.stop();
});

const order = (id: string): Array<[number, string | number]> => [
  [11, id],
  [55, 'au2612'],
  [54, '1'],
  [60, fixTime()],
  [38, 1],
  [40, '2'],
  [44, '600.00'],
];

describe('FIX session layer', () => {
  it('answers test requests, recovers gaps both ways and logs out cleanly', async () => {
    const c = await RawFixClient.connect(ctx.fixPort, 'ALICE');
    expect((await c.logon('80001', 'alice-pw', { reset: true })).get(35)).toBe('A');

    c.send('1', [[112, 'ping-1']]);
    expect((await c.waitFor((m) => m.get(35) === '0' && m.get(112) === 'ping-1')).get(49)).toBe('COUNTER');

    // We skip 3 sequence numbers: the counter asks for them, we gap-fill, the order is then processed.
    const gapStart = c.seq;
    c.seq += 3;
    c.send('D', order('after-gap'));
    const rr = await c.waitFor((m) => m.get(35) === '2');
    expect(Number(rr.get(7))).toBe(gapStart);
    c.send(
      '4',
      [
        [123, 'Y'],
        [36, c.seq],
        [43, 'Y'],
        [122, fixTime()],
      ],
      { seq: gapStart },
    );
    c.send('D', order('after-fill'));
    await c.waitFor((m) => m.get(35) === '8' && m.get(11) === 'after-fill');

    // The counter replays what it sent (execution reports with PossDupFlag=Y, session messages gap-filled).
    const from = c.messages.length;
    c.send('2', [
      [7, 1],
      [16, 0],
    ]);
    const dup = await c.waitFor((m) => m.get(35) === '8' && m.get(43) === 'Y', 10_000, from);
    expect(dup.get(11), JSON.stringify([...dup.entries()])).toMatch(/after-/);

    c.send('5', [[58, 'bye']]);
    expect((await c.waitFor((m) => m.get(35) === '5')).get(49)).toBe('COUNTER');
    c.close();
  });

  it('goes on taking orders while it answers a ResendRequest from a slow store (jspurefix would drop the session)', async () => {
    const c = await RawFixClient.connect(ctx.fixPort, 'ALICE');
    expect((await c.logon('80001', 'alice-pw', { reset: true })).get(35)).toBe('A');
    c.send('D', order('before-resend'));
    await c.waitFor((m) => m.get(35) === '8' && m.get(11) === 'before-resend');
    // A store read that takes a while, as a busy disk's would: the next order arrives during the resend.
    const read = DurableSessionStore.prototype.getRange;
    const slow = vi.spyOn(DurableSessionStore.prototype, 'getRange').mockImplementation(async function (
      this: DurableSessionStore,
      from: number,
      to: number,
    ) {
      await new Promise((r) => setTimeout(r, 300));
      return read.call(this, from, to);
    });
    try {
      const from = c.messages.length;
      c.send('2', [
        [7, 1],
        [16, 0],
      ]);
      await new Promise((r) => setTimeout(r, 50));
      c.send('D', order('during-resend'));
      const fresh = await c.waitFor((m) => m.get(35) === '8' && m.get(11) === 'during-resend', 10_000, from);
      expect(fresh.get(43)).not.toBe('Y');
      const dup = await c.waitFor((m) => m.get(35) === '8' && m.get(43) === 'Y', 10_000, from);
      expect(dup.get(11)).toBe('before-resend');
      expect(c.closed).toBe(false);
    } finally {
      slow.mockRestore();
      c.close();
    }
  });
});
