/**
 * Builders of the counter's FIX replies from market state: execution reports from market events, market
 * data (snapshot and incremental diff, depth 5), security list, positions and collateral (funds).
 */
import { ExecType, OrdStatus, toFixPrice } from '../../common/fix/fields.ts';
import { type ExecReport, executionReport, MdEntryType, mdSnapshot } from '../../common/fix/messages.ts';
import { formatMoney, type Price } from '../../common/shfe/index.ts';
import { available, positionMargin, unrealized } from '../market/accounts.ts';
import { RejectCodes } from '../market/errors.ts';
import type { Market } from '../market/market.ts';
import type { ClientOrder, ExecEvent } from '../market/types.ts';

const STATUS: Record<ClientOrder['status'], string> = {
  new: OrdStatus.new,
  'partially-filled': OrdStatus.partiallyFilled,
  filled: OrdStatus.filled,
  canceled: OrdStatus.canceled,
  rejected: OrdStatus.rejected,
};

const EXEC: Record<ExecEvent['execType'], string> = {
  new: ExecType.new,
  trade: ExecType.trade,
  canceled: ExecType.canceled,
  rejected: ExecType.rejected,
};

/** The ExecReport fields of an order. */
export function orderReport(
  o: ClientOrder,
  execType: string,
  execId: string,
  now: number,
  extra: Partial<ExecReport> = {},
): Record<string, unknown> {
  const leaves = o.status === 'new' || o.status === 'partially-filled' ? o.qty - o.cumQty : 0;
  return executionReport({
    orderId: o.orderId,
    clOrdId: o.clOrdId,
    execId,
    execType,
    ordStatus: STATUS[o.status],
    account: o.account,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    qty: o.qty,
    tif: o.tif,
    offset: o.offset,
    leavesQty: leaves,
    cumQty: o.cumQty,
    avgPx: o.cumQty > 0 ? Math.round(o.filledNotional / o.cumQty) : 0,
    transactTime: new Date(now),
    ...(o.status === 'rejected' && o.rejectCode ? { ordRejReason: RejectCodes[o.rejectCode].fix } : {}),
    ...(o.text && (execType === ExecType.rejected || execType === ExecType.canceled) ? { text: o.text } : {}),
    ...extra,
  });
}

/** ExecutionReport body for a market event. */
export function execEventReport(e: ExecEvent, now: number): Record<string, unknown> {
  return orderReport(
    e.order,
    EXEC[e.execType],
    e.execId,
    now,
    e.lastQty !== undefined ? { lastQty: e.lastQty, lastPx: e.lastPx } : {},
  );
}

/** The depth-5 view of an instrument that market data is built from. */
export interface BookView {
  bids: { price: Price; qty: number }[];
  asks: { price: Price; qty: number }[];
  last?: { price: Price; qty: number };
  volume: number;
}

/** Current depth view. */
export function bookView(m: Market, symbol: string, depth = 5): BookView | undefined {
  const b = m.books.get(symbol);
  const i = m.instruments.get(symbol);
  if (!b || !i) return undefined;
  return {
    bids: b.depth('buy', depth).map((l) => ({ price: l.price, qty: l.qty })),
    asks: b.depth('sell', depth).map((l) => ({ price: l.price, qty: l.qty })),
    ...(i.last !== undefined ? { last: { price: i.last, qty: i.lastQty ?? 0 } } : {}),
    volume: i.volume,
  };
}

/** MarketDataSnapshotFullRefresh body. */
export function snapshotReply(
  m: Market,
  symbol: string,
  mdReqId: string,
  depth = 5,
): Record<string, unknown> {
  const v = bookView(m, symbol, depth)!;
  const i = m.instruments.get(symbol)!;
  return mdSnapshot({
    mdReqId,
    symbol,
    bids: v.bids,
    asks: v.asks,
    ...(v.last ? { last: v.last } : {}),
    volume: v.volume,
    settlement: i.prevSettlement,
  });
}

/**
 * MarketDataIncrementalRefresh entries that turn `prev` into `next` (by level position), or [] when
 * nothing changed. Actions: 0 new, 1 change, 2 delete.
 */
export function incrementalEntries(
  symbol: string,
  prev: BookView | undefined,
  next: BookView,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [type, a, b] of [
    [MdEntryType.bid, prev?.bids ?? [], next.bids],
    [MdEntryType.offer, prev?.asks ?? [], next.asks],
  ] as const) {
    const n = Math.max(a.length, b.length);
    for (let k = 0; k < n; k++) {
      const was = a[k];
      const is = b[k];
      if (is && was && is.price === was.price && is.qty === was.qty) continue;
      const base = { MDEntryType: type, Instrument: { Symbol: symbol }, MDEntryPositionNo: k + 1 };
      if (!is) out.push({ MDUpdateAction: '2', ...base, MDEntryPx: toFixPrice(was!.price) });
      else
        out.push({
          MDUpdateAction: was ? '1' : '0',
          ...base,
          MDEntryPx: toFixPrice(is.price),
          MDEntrySize: is.qty,
        });
    }
  }
  if (next.last && (prev?.last?.price !== next.last.price || prev?.volume !== next.volume)) {
    out.push({
      MDUpdateAction: '0',
      MDEntryType: MdEntryType.trade,
      Instrument: { Symbol: symbol },
      MDEntryPx: toFixPrice(next.last.price),
      MDEntrySize: next.last.qty,
    });
    out.push({
      MDUpdateAction: '0',
      MDEntryType: MdEntryType.tradeVolume,
      Instrument: { Symbol: symbol },
      MDEntrySize: next.volume,
    });
  }
  return out;
}

/** SecurityList body: every listed contract with its specification (limits in Text). */
export function securityList(m: Market, reqId: string): Record<string, unknown> {
  const syms = [...m.instruments.values()].map((i) => ({
    Instrument: instrumentBlock(m, i.symbol),
    Currency: 'CNY',
    RoundLot: 1,
    MinTradeVol: 1,
    Text: instrumentText(m, i.symbol),
  }));
  return {
    SecurityReqID: reqId,
    SecurityResponseID: `SL-${reqId}`,
    SecurityRequestResult: 0,
    TotNoRelatedSym: syms.length,
    LastFragment: true,
    SecListGrp: { NoRelatedSym: syms },
  };
}

/** SecurityDefinition body for one symbol. */
export function securityDefinition(m: Market, reqId: string, symbol: string): Record<string, unknown> {
  return {
    SecurityReqID: reqId,
    SecurityResponseID: `SD-${reqId}`,
    SecurityResponseType: 1,
    Instrument: instrumentBlock(m, symbol),
    Currency: 'CNY',
    RoundLot: 1,
    MinTradeVol: 1,
    Text: instrumentText(m, symbol),
  };
}

function instrumentBlock(m: Market, symbol: string): Record<string, unknown> {
  return {
    Symbol: symbol,
    SecurityExchange: m.spec.exchange,
    SecurityType: 'FUT',
    MaturityMonthYear: `20${symbol.slice(-4)}`,
    ContractMultiplier: m.spec.multiplier,
  };
}

function instrumentText(m: Market, symbol: string): string {
  const i = m.instruments.get(symbol)!;
  const s = m.spec;
  return (
    `tick=${formatMoney(s.tick)} lot=${s.multiplier}g prevSettle=${formatMoney(i.prevSettlement)} ` +
    `limitUp=${formatMoney(i.upper)} limitDown=${formatMoney(i.lower)} margin=${s.marginBps / 100}% ` +
    `feeOpen=${formatMoney(s.fees.openFen)} feeCloseToday=${formatMoney(s.fees.closeTodayFen)} feeCloseYesterday=${formatMoney(s.fees.closeYesterdayFen)} halted=${i.halted}`
  );
}

/** PositionReport bodies (one per instrument held) for an account. */
export function positionReports(m: Market, accountId: string, reqId: string): Record<string, unknown>[] {
  const a = m.accounts.get(accountId);
  if (!a) return [];
  const entries = Object.entries(a.positions).filter(
    ([, p]) => p.long.today + p.long.yesterday + p.short.today + p.short.yesterday > 0,
  );
  return entries.map(([sym, p], k) => {
    const i = m.instruments.get(sym);
    return {
      PosMaintRptID: `${reqId}-${k + 1}`,
      PosReqID: reqId,
      PosReqType: 0,
      TotalNumPosReports: entries.length,
      PosReqResult: 0,
      ClearingBusinessDate: new Date(`${m.tradingDay}T00:00:00Z`),
      Account: accountId,
      AccountType: 1,
      Instrument: { Symbol: sym, SecurityExchange: m.spec.exchange },
      Currency: 'CNY',
      SettlPrice: toFixPrice(m.markPrice(sym) ?? 0),
      SettlPriceType: 2,
      PriorSettlPrice: toFixPrice(i?.prevSettlement ?? 0),
      // PosType SOD = yesterday's (start-of-day) lots, ITD = today's (intraday) lots.
      PositionQty: {
        NoPositions: [
          { PosType: 'SOD', LongQty: p.long.yesterday, ShortQty: p.short.yesterday },
          { PosType: 'ITD', LongQty: p.long.today, ShortQty: p.short.today },
        ],
      },
    };
  });
}

/** CollateralReport body: the account's funds. */
export function collateralReport(
  m: Market,
  accountId: string,
  inquiryId: string,
): Record<string, unknown> | undefined {
  const a = m.accounts.get(accountId);
  if (!a) return undefined;
  const u = unrealized(a, m.spec, m.markPrice);
  const pm = positionMargin(a, m.spec, m.markPrice);
  const av = available(a, m.spec, m.markPrice);
  return {
    CollRptID: `CR-${inquiryId}`,
    CollInquiryID: inquiryId,
    CollStatus: 3,
    Account: accountId,
    Currency: 'CNY',
    CashOutstanding: toFixPrice(a.balance),
    TotalNetValue: toFixPrice(a.balance + u),
    MarginExcess: toFixPrice(av),
    ClearingBusinessDate: new Date(`${m.tradingDay}T00:00:00Z`),
    Text:
      `balance=${formatMoney(a.balance)} equity=${formatMoney(a.balance + u)} available=${formatMoney(av)} ` +
      `margin=${formatMoney(pm)} frozen=${formatMoney(a.frozen)} realized=${formatMoney(a.realized)} ` +
      `unrealized=${formatMoney(u)} fees=${formatMoney(a.fees)} deposits=${formatMoney(a.deposits)}`,
  };
}
