/**
 * Bad input at the FIX edge: bad logons, wrong CompIDs, garbled and malformed messages, and a fuzz run of
 * >= 100,000 random and mutated messages. The session must stay up and the counter stay consistent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../market/liquidity.ts';
import { startTestSimulator } from '../testing.ts';
import { encodeFix, fixTime, RawFixClient } from './raw-client.ts';

const SOH = '\x01';
let ctx: Awaited<ReturnType<typeof startTestSimulator>>;
beforeAll(async () => {
  ctx = await startTestSimulator({
    clock: { mode: 'fixed', start: '2026-11-25T02:00:00.000Z' },
    liquidity: { enabled: true, intervalMs: 500 },
  });
});
afterAll(async () => {
  await ctx?.sim.stop();
});

const ORDER = (clOrdId: string, price = '612.00'): Array<[number, string | number]> => [
  [11, clOrdId],
  [1, '80001'],
  [55, 'au2612'],
  [54, '1'],
  [60, fixTime()],
  [38, 1],
  [40, '2'],
  [44, price],
];

describe('logon problems', () => {
  it.each([
    ['ALICE', '80001', 'wrong', 'COUNTER', /bad password for account 80001/],
    ['MALLORY', '80001', 'alice-pw', 'COUNTER', /wrong SenderCompID MALLORY for account 80001/],
    ['ALICE', '80001', 'alice-pw', 'EXCHANGE', /wrong TargetCompID EXCHANGE/],
    ['ALICE', '99999', 'x', 'COUNTER', /unknown account "99999"/],
  ])('%s/%s/%s -> %s refused with a Logout that says why', async (sender, user, pw, target, text) => {
    const c = await RawFixClient.connect(ctx.fixPort, sender, target);
    const r = await c.logon(user, pw, { reset: true });
    expect(r.get(35)).toBe('5');
    expect(r.get(58)).toMatch(text);
    c.close();
  });
});

describe('after logon', () => {
  it('rejects malformed and mis-addressed messages with clear text and stays up', async () => {
    const c = await RawFixClient.connect(ctx.fixPort, 'ALICE');
    expect((await c.logon('80001', 'alice-pw', { reset: true })).get(35)).toBe('A');
    // missing required tags -> session Reject
    c.send('D', [[11, 'm1']]);
    expect((await c.waitFor((m) => m.get(35) === '3')).get(58)).toMatch(/missing required tags/);
    // unknown message type
    const n = c.messages.length;
    c.send('ZZ', [[58, 'hi']]);
    expect((await c.waitFor((m) => m.get(35) === '3', 5000, n)).get(58)).toMatch(/ZZ unknown/);
    // wrong SenderCompID after logon
    const n2 = c.messages.length;
    c.send('D', ORDER('m2'), { sender: 'BOB' });
    expect((await c.waitFor((m) => m.get(35) === '3', 5000, n2)).get(58)).toMatch(/SenderCompID BOB/);
    // garbled bytes are dropped (FIX: ignore garbled messages)
    c.write('this is not FIX\x01');
    c.write('8=FIX.4.4\x019=5\x0135=D\x0110=000\x01');
    // an account that is not ours
    c.send('D', [...ORDER('m3').filter(([t]) => t !== 1), [1, '80002']]);
    expect((await c.waitFor((m) => m.get(35) === '8' && m.get(11) === 'm3')).get(58)).toMatch(
      /account 80002 does not belong/,
    );
    // and a good order still works
    c.send('D', ORDER('ok1'));
    expect((await c.waitFor((m) => m.get(35) === '8' && m.get(11) === 'ok1')).get(39)).toMatch(/^[0128]$/);
    expect(c.closed).toBe(false);
    c.close();
  });

  it('survives a fuzz run of 100,000 random and mutated messages', async () => {
    const c = await RawFixClient.connect(ctx.fixPort, 'BOB');
    expect((await c.logon('80002', 'bob-pw', { reset: true })).get(35)).toBe('A');
    const rnd = mulberry32(2026);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const types = ['D', 'F', 'G', 'H', 'V', 'x', 'c', 'AN', 'BB', 'q', 'j', '8', 'ZZ', 'W', 'AE'];
    const tags = [
      1, 11, 37, 38, 40, 41, 44, 54, 55, 58, 59, 60, 77, 146, 262, 263, 264, 267, 269, 320, 530, 710, 909,
      9999, 5000,
    ];
    const values = () =>
      pick([
        '',
        'x',
        '-1',
        '0',
        '1',
        '2',
        '612.00',
        '612.01',
        '1e308',
        'NaN',
        '99999999999999999999',
        'au2612',
        'au9999',
        String(Math.floor(rnd() * 1e6)),
        '20261125-02:00:00',
        'Y',
        'ÿþ',
        'a'.repeat(1 + Math.floor(rnd() * 300)),
      ]);
    const total = Number(process.env.FUZZ_TOTAL ?? 100_000);
    let sent = 0;
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const r = rnd();
      if (r < 0.1) {
        // pure noise (not a frame): the guard drops it
        const len = 1 + Math.floor(rnd() * 60);
        c.write(Buffer.from(Array.from({ length: len }, () => Math.floor(rnd() * 256))));
      } else if (r < 0.2) {
        // a frame whose length or checksum is wrong
        const f = encodeFix([
          [35, 'D'],
          [49, 'BOB'],
          [56, 'COUNTER'],
          [34, 999999],
          [11, 'g'],
        ]);
        const realLen = Number(new RegExp(`${SOH}9=(\\d+)`).exec(f)![1]);
        const badLen = (realLen + 1 + Math.floor(rnd() * 200)) % 300 || 1; // never the real length
        const badSum = f.replace(
          new RegExp(`10=\\d{3}${SOH}$`),
          (t) => `10=${String((Number(t.slice(3, 6)) + 1) % 256).padStart(3, '0')}\x01`,
        );
        c.write(
          rnd() < 0.5
            ? badSum
            : f.replace(new RegExp(`${SOH}9=\\d+`), `\x019=${badLen === realLen ? realLen + 1 : badLen}`),
        );
      } else {
        // a well-framed message with random fields, or a valid order with some fields mutated
        const fields: Array<[number, string | number]> =
          r < 0.6 ? ORDER(`f${i}`, pick(['612.00', '612.02', '611.98'])) : [];
        const k = 1 + Math.floor(rnd() * 6);
        for (let j = 0; j < k; j++) {
          const v = values();
          if (v === '') continue;
          if (fields.length > 0 && rnd() < 0.5) fields[Math.floor(rnd() * fields.length)]![1] = v;
          else fields.push([pick(tags), v]);
        }
        c.send(r < 0.6 ? 'D' : pick(types), fields);
        sent++;
      }
      // keep the socket buffer bounded: wait for the counter to catch up now and then
      if (i % 2000 === 1999) {
        while (c.socket.writableLength > 256 * 1024) await new Promise((res) => setTimeout(res, 5));
        await new Promise((res) => setImmediate(res));
      }
      if (c.closed)
        throw new Error(
          `session closed after ${i} messages: ${c.messages
            .slice(-8)
            .map((m) => `${m.get(35)}:${m.get(34)}:${m.get(58)}:${m.get(7) ?? ''}`)
            .join(' | ')}`,
        );
    }
    const n = c.messages.length;
    c.send('D', ORDER('after-fuzz'));
    const after = await c.waitFor((m) => m.get(35) === '8' && m.get(11) === 'after-fuzz', 60_000, n);
    expect(after.get(39)).toMatch(/^[0128]$/);
    expect(c.closed).toBe(false);
    const health = await (await fetch(`http://127.0.0.1:${ctx.sim.adminPort}/healthz`)).json();
    expect(health.ok).toBe(true);
    console.log(
      `fuzz: ${total} messages (${sent} framed) in ${Date.now() - started} ms, ${c.messages.length} replies`,
    );
    c.close();
  }, 600_000);
});
