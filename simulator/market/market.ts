/**
 * The counter's market model: one price-time-priority book per listed `au` contract, accounts with margin,
 * fees and today/yesterday positions, SHFE checks, daily settlement. Pure logic: time and ids are injected,
 * nothing here does I/O. Commands return {@link MarketEvent}s for the FIX layer; mutated records are
 * tracked as dirty for the store.
 */
import {
  type ContractSpec,
  formatPrice,
  instrumentProblem,
  listedContracts,
  type Price,
  positionSideOf,
  priceLimits,
  type TradingCalendar,
  tradingDayOf,
} from '../../common/shfe/index.ts';
import { OrderBook } from '../matching/engine.ts';
import {
  type Account,
  applyFill,
  available,
  closable,
  closeBucket,
  freezeClose,
  openReserve,
  positionOf,
  settleAccount,
  unfreezeClose,
} from './accounts.ts';
import { type Reject, reject } from './errors.ts';
import {
  type ClientOrder,
  type ExecEvent,
  HOUSE_ACCOUNT,
  type InstrumentState,
  type MarketEvent,
} from './types.ts';
import { checkOrder, type OrderToCheck } from './validate.ts';

/** Market configuration. */
export interface MarketConfig {
  spec: ContractSpec;
  calendar: TradingCalendar;
  /** Accept and match orders at any time (demos, tests at any hour). Default false. */
  alwaysOpen?: boolean;
  /** Settlement price to start an instrument with when nothing is known (cents/g). Default 61200. */
  initialSettlement?: Price;
  /** Per-symbol starting settlement overrides. */
  settlements?: Record<string, Price>;
}

/** Injected effects. */
export interface MarketDeps {
  /** Current simulated time, epoch ms. */
  now: () => number;
}

/** A new order command. */
export interface NewOrderCommand extends OrderToCheck {
  clOrdId: string;
}

/** Result of a command: events, or a reject for cancel-type commands. */
export interface CommandResult {
  events: MarketEvent[];
  reject?: Reject;
  order?: ClientOrder;
}

/** The whole persisted state. */
export interface MarketState {
  tradingDay: string;
  seq: number;
  instruments: InstrumentState[];
  accounts: Account[];
  /** Orders of the current trading day. */
  orders: ClientOrder[];
}

export class Market {
  readonly cfg: MarketConfig;
  readonly spec: ContractSpec;
  private readonly deps: MarketDeps;
  tradingDay: string;
  private seq = 0;
  private execSeq = 0;
  readonly instruments = new Map<string, InstrumentState>();
  readonly books = new Map<string, OrderBook>();
  readonly accounts = new Map<string, Account>();
  readonly orders = new Map<string, ClientOrder>();
  private readonly byClOrd = new Map<string, string>();
  /** Records changed since the last {@link takeDirty}. */
  private dirty = {
    accounts: new Set<string>(),
    orders: new Set<string>(),
    instruments: new Set<string>(),
    meta: false,
  };

  constructor(cfg: MarketConfig, deps: MarketDeps, state?: MarketState) {
    this.cfg = cfg;
    this.spec = cfg.spec;
    this.deps = deps;
    this.tradingDay = state?.tradingDay ?? tradingDayOf(cfg.calendar, deps.now());
    if (state) this.restore(state);
    this.listInstruments();
  }

  // ---- queries -------------------------------------------------------------------------------------

  /** Mark price: last trade, else previous settlement. */
  readonly markPrice = (symbol: string): Price | undefined => {
    const i = this.instruments.get(symbol);
    return i ? (i.last ?? i.prevSettlement) : undefined;
  };

  /** An account's order by ClOrdID. */
  orderByClOrdId(account: string, clOrdId: string): ClientOrder | undefined {
    const id = this.byClOrd.get(`${account}\u0000${clOrdId}`);
    return id ? this.orders.get(id) : undefined;
  }

  /** Funds available to an account (fen). */
  available(a: Account): number {
    return available(a, this.spec, this.markPrice);
  }

  /** Changed records since the last call (for the store). */
  takeDirty(): {
    accounts: Account[];
    orders: ClientOrder[];
    instruments: InstrumentState[];
    meta: { tradingDay: string; seq: number } | undefined;
  } {
    const d = this.dirty;
    this.dirty = { accounts: new Set(), orders: new Set(), instruments: new Set(), meta: false };
    return {
      accounts: [...d.accounts].map((id) => this.accounts.get(id)).filter((x): x is Account => !!x),
      orders: [...d.orders].map((id) => this.orders.get(id)).filter((x): x is ClientOrder => !!x),
      instruments: [...d.instruments]
        .map((s) => this.instruments.get(s))
        .filter((x): x is InstrumentState => !!x),
      meta: d.meta ? { tradingDay: this.tradingDay, seq: this.seq } : undefined,
    };
  }

  // ---- admin -----------------------------------------------------------------------------------------

  /** Adds or replaces an account record. */
  putAccount(a: Account): void {
    this.accounts.set(a.id, a);
    this.dirty.accounts.add(a.id);
  }

  /** Deposits (positive) or withdraws (negative) fen. */
  fund(accountId: string, fen: number): Account | undefined {
    const a = this.accounts.get(accountId);
    if (!a) return undefined;
    a.balance += fen;
    a.deposits += fen;
    this.dirty.accounts.add(a.id);
    return a;
  }

  /** Halts or resumes an instrument. */
  setHalted(symbol: string, halted: boolean): boolean {
    const i = this.instruments.get(symbol);
    if (!i) return false;
    i.halted = halted;
    this.dirty.instruments.add(symbol);
    return true;
  }

  /** Sets the previous settlement (and so the limits) of an instrument. */
  setSettlement(symbol: string, price: Price): boolean {
    const i = this.instruments.get(symbol);
    if (!i) return false;
    i.prevSettlement = price;
    const l = priceLimits(price, this.spec);
    i.upper = l.upper;
    i.lower = l.lower;
    this.dirty.instruments.add(symbol);
    return true;
  }

  // ---- orders ----------------------------------------------------------------------------------------

  /** Enters a client (or house) order. */
  submit(accountId: string, cmd: NewOrderCommand): CommandResult {
    const now = this.deps.now();
    const house = accountId === HOUSE_ACCOUNT;
    const order: ClientOrder = {
      orderId: `${this.tradingDay.replaceAll('-', '')}-${++this.seq}`,
      clOrdId: cmd.clOrdId,
      account: accountId,
      symbol: cmd.symbol,
      side: cmd.side,
      offset: cmd.offset,
      positionSide: positionSideOf(cmd.side, cmd.offset),
      price: cmd.price,
      qty: cmd.qty,
      tif: cmd.tif,
      cumQty: 0,
      filledNotional: 0,
      status: 'new',
      reserved: 0,
      tradingDay: this.tradingDay,
      createdAt: now,
      updatedAt: now,
      seq: this.seq,
    };
    this.dirty.meta = true;
    const acct = this.accounts.get(accountId);
    const problem = house ? undefined : this.precheck(order, acct, cmd, now);
    if (!house) {
      this.orders.set(order.orderId, order);
      this.byClOrd.set(`${accountId}\u0000${cmd.clOrdId}`, order.orderId);
      this.dirty.orders.add(order.orderId);
    }
    if (problem) {
      order.status = 'rejected';
      order.text = problem.text;
      order.rejectCode = problem.code;
      return { events: [this.exec(order, 'rejected')], order };
    }
    const events: MarketEvent[] = house ? [] : [this.exec(order, 'new')];
    const book = this.book(cmd.symbol);
    const r = book.submit({
      id: order.orderId,
      account: accountId,
      side: cmd.side,
      price: cmd.price,
      qty: cmd.qty,
      tif: cmd.tif,
      stp: house ? false : (acct?.stp ?? true),
    });
    const inst = this.instruments.get(cmd.symbol)!;
    for (const f of r.fills) {
      this.fillOrder(order, f.price, f.qty, events);
      const maker = this.orders.get(f.makerId);
      if (maker) this.fillOrder(maker, f.price, f.qty, events);
      inst.last = f.price;
      inst.lastQty = f.qty;
      inst.volume += f.qty;
      inst.turnover += f.price * f.qty;
    }
    if (r.fills.length > 0) this.dirty.instruments.add(cmd.symbol);
    if (r.cancelled > 0 && !house) {
      order.text =
        r.cancelReason === 'stp'
          ? `self-trade prevention: ${r.cancelled} lots cancelled, would trade against this account's own order`
          : r.cancelReason === 'fok'
            ? `FOK not filled: fewer than ${cmd.qty} lots available at ${formatPrice(cmd.price)} or better`
            : `FAK remainder of ${r.cancelled} lots cancelled`;
      this.release(order, r.cancelled);
      order.status = 'canceled';
      events.push(this.exec(order, 'canceled'));
    }
    events.push({ kind: 'book', symbol: cmd.symbol });
    return { events, order };
  }

  /** Cancels a working order of an account, by ClOrdID or OrderID. */
  cancel(accountId: string, ref: { origClOrdId?: string; orderId?: string }): CommandResult {
    const order =
      (ref.orderId ? this.orders.get(ref.orderId) : undefined) ??
      (ref.origClOrdId ? this.orderByClOrdId(accountId, ref.origClOrdId) : undefined);
    if (!order || order.account !== accountId) {
      return {
        events: [],
        reject: reject(
          'UNKNOWN_ORDER',
          `unknown order ${ref.origClOrdId ?? ref.orderId ?? ''} for account ${accountId}`,
        ),
      };
    }
    if (order.status !== 'new' && order.status !== 'partially-filled') {
      return {
        events: [],
        reject: reject('UNKNOWN_ORDER', `order ${order.clOrdId} is ${order.status}: nothing to cancel`),
        order,
      };
    }
    const rest = this.books.get(order.symbol)?.cancel(order.orderId);
    const leaves = rest?.remaining ?? order.qty - order.cumQty;
    this.release(order, leaves);
    order.status = 'canceled';
    order.text = 'cancelled on request';
    order.updatedAt = this.deps.now();
    this.dirty.orders.add(order.orderId);
    return { events: [this.exec(order, 'canceled'), { kind: 'book', symbol: order.symbol }], order };
  }

  /** Cancels every working order of an account (optionally one symbol). */
  massCancel(accountId: string, symbol?: string): { events: MarketEvent[]; count: number } {
    const events: MarketEvent[] = [];
    let count = 0;
    for (const o of [...this.orders.values()]) {
      if (o.account !== accountId || (symbol && o.symbol !== symbol)) continue;
      if (o.status !== 'new' && o.status !== 'partially-filled') continue;
      events.push(...this.cancel(accountId, { orderId: o.orderId }).events);
      count++;
    }
    return { events, count };
  }

  /** Cancels a house order (liquidity model); silent. */
  cancelHouse(orderId: string, symbol: string): void {
    this.books.get(symbol)?.cancel(orderId);
  }

  // ---- day cycle -------------------------------------------------------------------------------------

  /**
   * Rolls to the trading day of `now` if it changed: cancels working orders, settles every account at each
   * instrument's settlement price (VWAP of the day, else last, else previous), rolls positions, re-lists.
   * @returns events (cancel reports), empty when the day did not change
   */
  roll(now = this.deps.now()): MarketEvent[] {
    const day = tradingDayOf(this.cfg.calendar, now);
    if (day === this.tradingDay) return [];
    return this.settle(day);
  }

  /** Settles the current trading day and starts `nextDay`. */
  settle(nextDay: string): MarketEvent[] {
    const events: MarketEvent[] = [];
    for (const a of this.accounts.values()) events.push(...this.massCancel(a.id).events);
    const settlement = new Map<string, Price>();
    for (const i of this.instruments.values()) {
      const vwap =
        i.volume > 0 ? Math.round(i.turnover / i.volume / this.spec.tick) * this.spec.tick : undefined;
      settlement.set(i.symbol, vwap ?? i.last ?? i.prevSettlement);
    }
    for (const a of this.accounts.values()) {
      settleAccount(a, this.spec, (s) => settlement.get(s));
      this.dirty.accounts.add(a.id);
    }
    for (const [sym, px] of settlement) {
      const i = this.instruments.get(sym)!;
      Object.assign(i, { prevSettlement: px, volume: 0, turnover: 0, ...priceLimits(px, this.spec) });
      delete i.last;
      delete i.lastQty;
      this.books.set(sym, new OrderBook()); // house orders are re-quoted by the liquidity model
      this.dirty.instruments.add(sym);
    }
    this.tradingDay = nextDay;
    this.orders.clear();
    this.byClOrd.clear();
    this.dirty.meta = true;
    this.listInstruments();
    for (const sym of this.instruments.keys()) events.push({ kind: 'book', symbol: sym });
    return events;
  }

  /** A copy of the state for persistence or inspection. */
  snapshot(): MarketState {
    return structuredClone({
      tradingDay: this.tradingDay,
      seq: this.seq,
      instruments: [...this.instruments.values()],
      accounts: [...this.accounts.values()],
      orders: [...this.orders.values()],
    });
  }

  // ---- internals -------------------------------------------------------------------------------------

  private precheck(
    order: ClientOrder,
    acct: Account | undefined,
    cmd: NewOrderCommand,
    now: number,
  ): Reject | undefined {
    if (!acct) return reject('UNKNOWN_ACCOUNT', `unknown account ${order.account}`);
    if (this.byClOrd.has(`${acct.id}\u0000${cmd.clOrdId}`))
      return reject('DUPLICATE_ORDER', `duplicate ClOrdID ${cmd.clOrdId}`);
    const inst = this.instruments.get(cmd.symbol);
    const listed = inst
      ? undefined
      : instrumentProblem(
          this.cfg.calendar,
          cmd.symbol,
          this.tradingDay,
          this.spec.product,
          this.spec.lastTradingDayOfMonth,
        );
    const r = checkOrder(cmd, inst, this.spec, this.cfg.calendar, now, this.cfg.alwaysOpen ?? false);
    if (r) return r.code === 'UNKNOWN_SYMBOL' && listed ? { code: r.code, text: listed } : r;
    if (cmd.offset === 'open') {
      const need = openReserve(cmd.price, cmd.qty, this.spec);
      const avail = this.available(acct);
      if (need > avail) {
        return reject(
          'INSUFFICIENT_MARGIN',
          `insufficient funds: order needs ${formatPrice(need)} CNY margin+fee, available ${formatPrice(avail)} CNY`,
        );
      }
      acct.frozen += need;
      order.reserved = need;
    } else {
      const bucket = positionOf(acct, cmd.symbol)[order.positionSide];
      const which = closeBucket(cmd.offset);
      const can = closable(bucket, which);
      if (cmd.qty > can) {
        const what =
          which === 'today'
            ? "today's"
            : cmd.offset === 'close'
              ? "yesterday's (a plain close closes yesterday's position on SHFE; use close-today 77=T)"
              : "yesterday's";
        return reject(
          'INSUFFICIENT_POSITION',
          `insufficient position: ${cmd.qty} lots to close but only ${can} closable ${order.positionSide} lots of ${what} position in ${cmd.symbol}`,
        );
      }
      freezeClose(bucket, which, cmd.qty);
      order.closeFrom = which;
    }
    this.dirty.accounts.add(acct.id);
    return undefined;
  }

  private fillOrder(o: ClientOrder, price: Price, qty: number, events: MarketEvent[]): void {
    if (o.account === HOUSE_ACCOUNT) return;
    const acct = this.accounts.get(o.account)!;
    o.cumQty += qty;
    o.filledNotional += price * qty;
    o.status = o.cumQty === o.qty ? 'filled' : 'partially-filled';
    o.updatedAt = this.deps.now();
    if (o.offset === 'open') {
      const part =
        o.cumQty === o.qty ? o.reserved : Math.min(o.reserved, openReserve(o.price, qty, this.spec));
      o.reserved -= part;
      acct.frozen -= part;
      acct.frozen += openReserve(o.price, qty, this.spec); // applyFill releases the standard amount
    }
    applyFill(acct, this.spec, o.symbol, o.positionSide, o.offset, o.price, price, qty);
    this.dirty.orders.add(o.orderId);
    this.dirty.accounts.add(acct.id);
    events.push(this.exec(o, 'trade', qty, price));
  }

  /** Releases what a cancelled remainder of `lots` reserved. */
  private release(o: ClientOrder, lots: number): void {
    const acct = this.accounts.get(o.account);
    if (!acct || lots <= 0) return;
    if (o.offset === 'open') {
      acct.frozen -= o.reserved;
      o.reserved = 0;
    } else if (o.closeFrom) {
      unfreezeClose(positionOf(acct, o.symbol)[o.positionSide], o.closeFrom, lots);
    }
    this.dirty.accounts.add(acct.id);
  }

  private exec(
    order: ClientOrder,
    execType: ExecEvent['execType'],
    lastQty?: number,
    lastPx?: Price,
  ): ExecEvent {
    return {
      kind: 'exec',
      order: { ...order },
      execType,
      execId: `${order.orderId}-${++this.execSeq}`,
      ...(lastQty !== undefined ? { lastQty, lastPx } : {}),
    };
  }

  private book(symbol: string): OrderBook {
    let b = this.books.get(symbol);
    if (!b) {
      b = new OrderBook();
      this.books.set(symbol, b);
    }
    return b;
  }

  /** Makes sure every contract listed on the trading day has state; drops expired ones. */
  private listInstruments(): void {
    const listed = listedContracts(
      this.cfg.calendar,
      this.tradingDay,
      this.spec.product,
      this.spec.lastTradingDayOfMonth,
    );
    for (const sym of [...this.instruments.keys()]) {
      if (!listed.includes(sym)) {
        this.instruments.delete(sym);
        this.books.delete(sym);
      }
    }
    for (const [idx, sym] of listed.entries()) {
      if (this.instruments.has(sym)) continue;
      // A gentle contango: each further contract a little dearer (about 0.3% per step).
      const base = this.cfg.settlements?.[sym] ?? this.cfg.initialSettlement ?? 61200;
      const px =
        this.cfg.settlements?.[sym] ??
        Math.round((base * (1000 + 3 * idx)) / 1000 / this.spec.tick) * this.spec.tick;
      this.instruments.set(sym, {
        symbol: sym,
        prevSettlement: px,
        ...priceLimits(px, this.spec),
        volume: 0,
        turnover: 0,
        halted: false,
      });
      this.book(sym);
      this.dirty.instruments.add(sym);
    }
  }

  private restore(s: MarketState): void {
    this.seq = s.seq;
    for (const i of s.instruments) this.instruments.set(i.symbol, i);
    for (const a of s.accounts) this.accounts.set(a.id, a);
    const working: ClientOrder[] = [];
    for (const o of s.orders) {
      if (o.tradingDay !== this.tradingDay) continue;
      this.orders.set(o.orderId, o);
      this.byClOrd.set(`${o.account}\u0000${o.clOrdId}`, o.orderId);
      if (o.status === 'new' || o.status === 'partially-filled') working.push(o);
    }
    // Re-enter working orders in their original sequence so time priority survives the restart.
    working.sort((a, b) => a.seq - b.seq);
    for (const o of working) {
      this.book(o.symbol).submit({
        id: o.orderId,
        account: o.account,
        side: o.side,
        price: o.price,
        qty: o.qty - o.cumQty,
        tif: 'day',
      });
    }
  }
}
