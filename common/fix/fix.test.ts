import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecType, OrdStatus, parseOffset, parseTif, toFixPrice } from './fields.ts';
import { AsciiSession, type IJsFixConfig, type MsgView } from './jspurefix.ts';
import { acceptorDescription, startFix } from './launcher.ts';
import {
  executionReport,
  mdSnapshot,
  newOrderSingle,
  parseExecutionReport,
  parseMdSnapshot,
  parseNewOrderSingle,
} from './messages.ts';
import { connectTestClient, freePort } from './testing.ts';

/** A tiny acceptor: accepts password "pw", answers each NewOrderSingle with an ExecutionReport (new). */
class EchoServer extends AsciiSession {
  constructor(c: IJsFixConfig) {
    super(c);
  }
  protected onApplicationMsg(_t: string, v: MsgView): void {
    const p = parseNewOrderSingle(v.toObject() as Record<string, any>);
    if (!p.ok) return;
    const o = p.order;
    this.send(
      '8',
      executionReport({
        orderId: 'O1',
        clOrdId: o.clOrdId,
        execId: 'E1',
        execType: ExecType.new,
        ordStatus: OrdStatus.new,
        symbol: o.symbol,
        side: o.side,
        price: o.price,
        qty: o.qty,
        tif: o.tif,
        offset: o.offset,
        leavesQty: o.qty,
        cumQty: 0,
        avgPx: 0,
        transactTime: new Date(0),
      }),
    );
    this.send(
      'W',
      mdSnapshot({
        symbol: o.symbol,
        bids: [{ price: o.price, qty: 3 }],
        asks: [{ price: o.price + 2, qty: 1 }],
        last: { price: o.price, qty: 1 },
      }),
    );
  }
  protected onReady(): void {}
  protected onStopped(): void {}
  protected onLogon(_v: MsgView, _u: string, p: string): Promise<boolean> {
    return p === 'pw' ? Promise.resolve(true) : Promise.reject(new Error('bad password'));
  }
  protected onDecoded(): void {}
  protected onEncoded(): void {}
}

describe('field mapping', () => {
  it('maps offsets and time in force', () => {
    expect(parseOffset('T')).toBe('close-today');
    expect(parseOffset(undefined)).toBe('open');
    expect(parseOffset('X')).toBeUndefined();
    expect(parseTif('3')).toBe('fak');
    expect(parseTif('1')).toBeUndefined();
    expect(String(toFixPrice(61234))).toBe('612.34');
  });
  it('validates NewOrderSingle fields with clear reasons', () => {
    const base = newOrderSingle({
      clOrdId: 'c',
      symbol: 'au2612',
      side: 'buy',
      price: 61234,
      qty: 1,
      transactTime: new Date(),
    });
    expect(parseNewOrderSingle(base)).toMatchObject({
      ok: true,
      order: { price: 61234, offset: 'open', tif: 'day' },
    });
    expect(parseNewOrderSingle({ ...base, OrdType: '1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/limit orders only/),
    });
    expect(parseNewOrderSingle({ ...base, Price: 612.345 })).toMatchObject({ ok: false, field: 44 });
    expect(parseNewOrderSingle({ ...base, OrderQtyData: { OrderQty: 1.5 } })).toMatchObject({
      ok: false,
      field: 38,
    });
  });
});

describe('jspurefix over loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurum-fix-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs on, exchanges an order and a report, persists sequence numbers, refuses a bad password', async () => {
    const port = await freePort();
    const acc = startFix(
      acceptorDescription({ senderCompId: 'COUNTER', host: '127.0.0.1', port, storeDir: join(dir, 'acc') }),
      (c) => new EchoServer(c as IJsFixConfig),
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      const opts = {
        senderCompId: 'ALICE',
        targetCompId: 'COUNTER',
        host: '127.0.0.1',
        port,
        username: 'alice',
        password: 'pw',
        storeDir: join(dir, 'ini'),
      };
      const { client, endpoint } = await connectTestClient(opts);
      client.sendMsg(
        'D',
        newOrderSingle({
          clOrdId: 'c1',
          symbol: 'au2612',
          side: 'sell',
          price: 61234,
          qty: 2,
          offset: 'close-today',
          tif: 'fak',
          transactTime: new Date(),
        }),
      );
      const er = parseExecutionReport((await client.waitFor((r) => r.msgType === '8')).body);
      expect(er).toMatchObject({
        clOrdId: 'c1',
        side: 'sell',
        price: 61234,
        qty: 2,
        offset: 'close-today',
        tif: 'fak',
        leavesQty: 2,
      });
      const md = parseMdSnapshot((await client.waitFor((r) => r.msgType === 'W')).body);
      expect(md).toMatchObject({
        symbol: 'au2612',
        bids: [{ price: 61234, qty: 3 }],
        asks: [{ price: 61236, qty: 1 }],
        last: { price: 61234, qty: 1 },
      });
      const seq = client.lastSent();
      client.done();
      await endpoint.done;

      // Reconnect: both sides continue the sequence instead of resetting to 1.
      const again = await connectTestClient(opts);
      expect(again.client.lastSent()).toBeGreaterThan(seq);
      again.client.done();
      await again.endpoint.done;

      await expect(
        connectTestClient({ ...opts, password: 'nope', storeDir: join(dir, 'ini2'), senderCompId: 'BOB' }),
      ).rejects.toThrow(/logon failed/);
    } finally {
      acc.stop();
    }
  });
});
