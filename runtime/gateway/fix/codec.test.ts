import { describe, expect, it } from 'vitest';
import { ExecType, OrdStatus } from '../../../common/fix/fields.ts';
import { executionReport, mdSnapshot } from '../../../common/fix/messages.ts';
import {
  marketDataRequest,
  snapshotToTick,
  toCancelReject,
  toCounterFunds,
  toCounterPosition,
  toExecutionReport,
} from './codec.ts';

const base = {
  orderId: 'O7',
  clOrdId: 'AB12-3',
  execId: 'E9',
  symbol: 'au2606',
  side: 'buy' as const,
  price: 61234,
  qty: 3,
  offset: 'close-today' as const,
  leavesQty: 3,
  cumQty: 0,
  avgPx: 0,
  transactTime: new Date('2026-03-02T02:00:00Z'),
};

describe('FIX codec (wire → domain)', () => {
  it('a partial fill', () => {
    const wire = executionReport({
      ...base,
      execType: ExecType.trade,
      ordStatus: OrdStatus.partiallyFilled,
      lastQty: 1,
      lastPx: 61232,
      cumQty: 1,
      leavesQty: 2,
      avgPx: 61232,
    });
    expect(toExecutionReport(wire, 0)).toMatchObject({
      execType: 'trade',
      status: 'partiallyFilled',
      clOrdId: 'AB12-3',
      orderId: 'O7',
      offset: 'close-today',
      price: 61234,
      lastQty: 1,
      lastPx: 61232,
      cumQty: 1,
      avgPx: 61232,
      time: Date.parse('2026-03-02T02:00:00Z'),
    });
  });

  it('an unknown-order status answer is recognised; a duplicate-ClOrdID refusal is ignored', () => {
    const unknown = executionReport({
      ...base,
      execType: ExecType.orderStatus,
      ordStatus: OrdStatus.rejected,
      ordRejReason: 5,
      leavesQty: 0,
    });
    expect(toExecutionReport(unknown, 0)).toMatchObject({
      execType: 'status',
      status: 'rejected',
      text: 'unknown order',
    });
    const dup = executionReport({
      ...base,
      execType: ExecType.rejected,
      ordStatus: OrdStatus.rejected,
      ordRejReason: 6,
    });
    expect(toExecutionReport(dup, 0)).toBeUndefined();
    const rej = executionReport({
      ...base,
      execType: ExecType.rejected,
      ordStatus: OrdStatus.rejected,
      ordRejReason: 2,
      text: 'exchange closed',
    });
    expect(toExecutionReport(rej, 0)).toMatchObject({ execType: 'rejected', text: 'exchange closed' });
  });

  it('cancel reject', () => {
    expect(
      toCancelReject({
        ClOrdID: 'X-2',
        OrigClOrdID: 'X-1',
        OrderID: 'NONE',
        OrdStatus: '8',
        Text: 'too late',
      }),
    ).toEqual({
      clOrdId: 'X-2',
      origClOrdId: 'X-1',
      status: 'rejected',
      text: 'too late',
    });
  });

  it('market data snapshot → tick with limits from the previous settlement', () => {
    const w = mdSnapshot({
      symbol: 'au2606',
      bids: [{ price: 61230, qty: 4 }],
      asks: [{ price: 61232, qty: 2 }],
      last: { price: 61230, qty: 1 },
      volume: 120,
      settlement: 60000,
    });
    const t = snapshotToTick(w, 5);
    expect(t).toEqual({
      instrument: 'au2606',
      time: 5,
      lastPrice: 61230,
      bidPrice: 61230,
      bidSize: 4,
      askPrice: 61232,
      askSize: 2,
      volume: 120,
      upperLimit: 68400,
      lowerLimit: 51600,
    });
    const next = snapshotToTick(mdSnapshot({ symbol: 'au2606', bids: [], asks: [] }), 6, t);
    expect(next).toMatchObject({ lastPrice: 61230, upperLimit: 68400, volume: 120 });
  });

  it('positions: SOD = yesterday, ITD = today', () => {
    const m = {
      Instrument: { Symbol: 'au2606' },
      PositionQty: {
        NoPositions: [
          { PosType: 'SOD', LongQty: 2, ShortQty: 0 },
          { PosType: 'ITD', LongQty: 1, ShortQty: 3 },
        ],
      },
    };
    expect(toCounterPosition(m)).toEqual({
      instrument: 'au2606',
      longToday: 1,
      longYesterday: 2,
      shortToday: 3,
      shortYesterday: 0,
    });
  });

  it('funds in fen from a collateral report', () => {
    expect(
      toCounterFunds(
        { Account: '8001', TotalNetValue: 1000000.5, MarginExcess: 900000, CashOutstanding: 100000.5 },
        7,
      ),
    ).toEqual({
      accountId: '8001',
      balance: 100000050,
      available: 90000000,
      margin: 10000050,
      time: 7,
    });
  });

  it('market data request subscribes every instrument', () => {
    const v = marketDataRequest('MD1', ['au2606', 'au2608']) as {
      InstrmtMDReqGrp: { NoRelatedSym: unknown[] };
    };
    expect(v.InstrmtMDReqGrp.NoRelatedSym).toHaveLength(2);
  });
});

describe('incremental market data', () => {
  it('updates the top of book, last price and volume of the instrument it names', async () => {
    const { applyIncremental } = await import('./codec.ts');
    const prev = {
      instrument: 'au2606',
      time: 1,
      lastPrice: 61200,
      bidPrice: 61198,
      bidSize: 3,
      askPrice: 61200,
      askSize: 2,
      volume: 10,
    };
    const x = {
      MDIncGrp: {
        NoMDEntries: [
          {
            MDUpdateAction: '1',
            MDEntryType: '0',
            Instrument: { Symbol: 'au2606' },
            MDEntryPositionNo: 1,
            MDEntryPx: 612.02,
            MDEntrySize: 4,
          },
          {
            MDUpdateAction: '1',
            MDEntryType: '0',
            Instrument: { Symbol: 'au2606' },
            MDEntryPositionNo: 2,
            MDEntryPx: 611.9,
            MDEntrySize: 9,
          },
          {
            MDUpdateAction: '2',
            MDEntryType: '1',
            Instrument: { Symbol: 'au2606' },
            MDEntryPositionNo: 1,
            MDEntryPx: 612.0,
          },
          {
            MDUpdateAction: '0',
            MDEntryType: '2',
            Instrument: { Symbol: 'au2606' },
            MDEntryPx: 612.04,
            MDEntrySize: 1,
          },
          { MDUpdateAction: '0', MDEntryType: 'B', Instrument: { Symbol: 'au2606' }, MDEntrySize: 11 },
          {
            MDUpdateAction: '0',
            MDEntryType: '2',
            Instrument: { Symbol: 'au2612' },
            MDEntryPx: 600,
            MDEntrySize: 1,
          },
        ],
      },
    };
    const out = applyIncremental(x, 2, (s) => (s === 'au2606' ? prev : undefined));
    expect(out).toEqual([
      { instrument: 'au2606', time: 2, lastPrice: 61204, bidPrice: 61202, bidSize: 4, volume: 11 },
    ]);
  });
});
