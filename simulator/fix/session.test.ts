/**
 * Session layer of the counter with a raw client: TestRequest → Heartbeat, a sequence gap → ResendRequest
 * → our gap fill → processing continues, ResendRequest → replay with PossDupFlag, Logout → Logout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
