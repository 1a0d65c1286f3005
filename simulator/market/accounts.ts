/**
 * Accounts: cash, positions (today / yesterday per side), frozen margin of working orders, fees,
 * realized PnL — all integers in fen, prices in cents/g. Pure data + functions; the market calls them.
 *
 * Chinese futures accounting, simplified: positions keep a cost basis (sum of price × lots) per bucket;
 * closing realizes PnL against the bucket's average cost; daily settlement marks every position to the
 * settlement price (realizing the difference), rolls today's lots into yesterday's and recomputes margin.
 */
import {
  type ContractSpec,
  fee,
  type Money,
  margin,
  type Offset,
  type Price,
} from '../../common/shfe/index.ts';

/** One side's position in one instrument. */
export interface PositionBucket {
  /** Lots opened today. */
  today: number;
  /** Lots from earlier trading days. */
  yesterday: number;
  /** Sum of price × lots of today's lots. */
  todayCost: number;
  /** Sum of price × lots of yesterday's lots. */
  yesterdayCost: number;
  /** Lots of today's bucket reserved by working close orders. */
  frozenToday: number;
  /** Lots of yesterday's bucket reserved by working close orders. */
  frozenYesterday: number;
}

/** Positions of one instrument. */
export interface InstrumentPosition {
  long: PositionBucket;
  short: PositionBucket;
}

/** An investor's account at the counter. */
export interface Account {
  /** Account id (FIX Account 1 and Logon Username 553), e.g. `80001234`. */
  id: string;
  /** FIX SenderCompID the account logs on with; empty = any. */
  compId: string;
  /** scrypt hash of the password, `salt:hash` hex. */
  passwordHash: string;
  /** Static balance: deposits + realized PnL − fees (fen). */
  balance: Money;
  /** Total deposited (fen). */
  deposits: Money;
  /** Realized PnL today (fen), including settlement marks. */
  realized: Money;
  /** Fees paid today (fen). */
  fees: Money;
  /** Margin and fees reserved by working open orders (fen). */
  frozen: Money;
  /** Positions by instrument. */
  positions: Record<string, InstrumentPosition>;
  /** Self-trade prevention for this account's orders. Default true. */
  stp: boolean;
}

/** Creates an empty account. */
export function newAccount(id: string, compId: string, passwordHash: string): Account {
  return {
    id,
    compId,
    passwordHash,
    balance: 0,
    deposits: 0,
    realized: 0,
    fees: 0,
    frozen: 0,
    positions: {},
    stp: true,
  };
}

function emptyBucket(): PositionBucket {
  return { today: 0, yesterday: 0, todayCost: 0, yesterdayCost: 0, frozenToday: 0, frozenYesterday: 0 };
}

/** The position of an account in an instrument (created empty on first use). */
export function positionOf(a: Account, symbol: string): InstrumentPosition {
  let p = a.positions[symbol];
  if (!p) {
    p = { long: emptyBucket(), short: emptyBucket() };
    a.positions[symbol] = p;
  }
  return p;
}

/** Margin held by positions, valued at `markPrice(symbol)` (fen). */
export function positionMargin(
  a: Account,
  spec: ContractSpec,
  markPrice: (s: string) => Price | undefined,
): Money {
  let m = 0;
  for (const [sym, p] of Object.entries(a.positions)) {
    for (const b of [p.long, p.short]) {
      const lots = b.today + b.yesterday;
      if (lots === 0) continue;
      const px = markPrice(sym) ?? Math.round((b.todayCost + b.yesterdayCost) / lots);
      m += margin(px, lots, spec);
    }
  }
  return m;
}

/** Unrealized PnL of positions at `markPrice` (fen). */
export function unrealized(
  a: Account,
  spec: ContractSpec,
  markPrice: (s: string) => Price | undefined,
): Money {
  let u = 0;
  for (const [sym, p] of Object.entries(a.positions)) {
    const px = markPrice(sym);
    if (px === undefined) continue;
    for (const [b, sign] of [
      [p.long, 1],
      [p.short, -1],
    ] as const) {
      const lots = b.today + b.yesterday;
      u += sign * (px * lots - (b.todayCost + b.yesterdayCost)) * spec.multiplier;
    }
  }
  return u;
}

/** Funds available for new orders: balance + unrealized − position margin − frozen (fen). */
export function available(
  a: Account,
  spec: ContractSpec,
  markPrice: (s: string) => Price | undefined,
): Money {
  return a.balance + unrealized(a, spec, markPrice) - positionMargin(a, spec, markPrice) - a.frozen;
}

/** Which bucket(s) a close with `offset` draws from; `close` = yesterday (SHFE semantics). */
export function closeBucket(offset: Offset): 'today' | 'yesterday' {
  return offset === 'close-today' ? 'today' : 'yesterday';
}

/** Lots of a bucket not yet reserved by working closes. */
export function closable(b: PositionBucket, which: 'today' | 'yesterday'): number {
  return which === 'today' ? b.today - b.frozenToday : b.yesterday - b.frozenYesterday;
}

/** Reserves lots for a working close order. */
export function freezeClose(b: PositionBucket, which: 'today' | 'yesterday', lots: number): void {
  if (which === 'today') b.frozenToday += lots;
  else b.frozenYesterday += lots;
}

/** Releases reserved lots (cancel, or the fill that consumes them). */
export function unfreezeClose(b: PositionBucket, which: 'today' | 'yesterday', lots: number): void {
  if (which === 'today') b.frozenToday -= lots;
  else b.frozenYesterday -= lots;
}

/** Margin + fee an open order of `lots` at `price` reserves (fen). */
export function openReserve(price: Price, lots: number, spec: ContractSpec): Money {
  return margin(price, lots, spec) + fee('open', lots, spec);
}

/**
 * Applies a fill to the account. For opens the reserve of the filled lots is released (position margin
 * takes over); for closes the frozen lots are consumed and PnL realized against average cost.
 * @param bucketSide `long` or `short` — the position the order acts on
 */
export function applyFill(
  a: Account,
  spec: ContractSpec,
  symbol: string,
  bucketSide: 'long' | 'short',
  offset: Offset,
  orderPrice: Price,
  fillPrice: Price,
  lots: number,
): void {
  const b = positionOf(a, symbol)[bucketSide];
  const f = fee(offset, lots, spec);
  a.fees += f;
  a.balance -= f;
  if (offset === 'open') {
    a.frozen -= openReserve(orderPrice, lots, spec);
    b.today += lots;
    b.todayCost += fillPrice * lots;
    return;
  }
  const which = closeBucket(offset);
  unfreezeClose(b, which, lots);
  const sign = bucketSide === 'long' ? 1 : -1;
  let cost: number;
  if (which === 'today') {
    cost = Math.round((b.todayCost * lots) / b.today);
    b.today -= lots;
    b.todayCost = b.today === 0 ? 0 : b.todayCost - cost;
  } else {
    cost = Math.round((b.yesterdayCost * lots) / b.yesterday);
    b.yesterday -= lots;
    b.yesterdayCost = b.yesterday === 0 ? 0 : b.yesterdayCost - cost;
  }
  const pnl = sign * (fillPrice * lots - cost) * spec.multiplier;
  a.realized += pnl;
  a.balance += pnl;
}

/**
 * Daily settlement of one account: marks positions to `settlement(symbol)`, realizing the difference into
 * the balance, and rolls today's lots into yesterday's. Resets the day's realized/fees counters.
 * @returns the PnL realized by the marks (fen)
 */
export function settleAccount(
  a: Account,
  spec: ContractSpec,
  settlement: (s: string) => Price | undefined,
): Money {
  let total = 0;
  for (const [sym, p] of Object.entries(a.positions)) {
    const px = settlement(sym);
    for (const [b, sign] of [
      [p.long, 1],
      [p.short, -1],
    ] as const) {
      const lots = b.today + b.yesterday;
      if (px !== undefined && lots > 0) {
        total += sign * (px * lots - (b.todayCost + b.yesterdayCost)) * spec.multiplier;
        b.yesterday = lots;
        b.yesterdayCost = px * lots;
      } else {
        b.yesterday = lots;
        b.yesterdayCost += b.todayCost;
      }
      b.today = 0;
      b.todayCost = 0;
      b.frozenYesterday += b.frozenToday;
      b.frozenToday = 0;
    }
    if (
      p.long.yesterday === 0 &&
      p.short.yesterday === 0 &&
      p.long.frozenYesterday === 0 &&
      p.short.frozenYesterday === 0
    ) {
      delete a.positions[sym];
    }
  }
  a.balance += total;
  a.realized = 0;
  a.fees = 0;
  return total;
}
