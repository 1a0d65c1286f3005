/**
 * Order management: turns order intents into journaled, risk-checked orders handed to the gateway, applies
 * the counter's execution reports through the state machine, keeps positions, and reconciles with the
 * counter at start and after every reconnect.
 *
 * The write-ahead rule: every decision is committed to the journal before it is acted on — a risk refusal
 * before it is returned, an order (with its client order id) before it is handed to the gateway, a fill
 * before positions and strategies see it. After a crash the journal therefore knows every order that could
 * have reached the counter; reconciliation asks the counter about each one still open and settles it.
 * Orders are never re-sent automatically: one the counter never saw is closed as rejected, with an alert.
 *
 * One commit per decision: an accepted order is journaled in ONE transaction with everything it changes —
 * the strategy state it came from, the risk decision and its alerts, the order (each leg) and the risk
 * counters that count it — and only then handed to the gateway; a cancel likewise (its id, the order's
 * pending-cancel state, the counters). The counters therefore count an order or cancel from the moment it
 * is durable, even if the hand-over then fails (conservative: the daily lines can only be reached early).
 *
 * Working orders are kept in an index (./working-index.ts) maintained on every state change, so risk checks,
 * bulk cancels and reconciliation cost O(working orders), not O(orders of the session).
 */
import { DEFAULT_AU_SPEC, fee, splitClose } from '../../common/shfe/index.ts';
import { type ErrorCode, refuse } from '../domain/errors.ts';
import type {
  Alert,
  CancelReject,
  ClOrdId,
  CounterFunds,
  ExecutionReport,
  Fill,
  Offset,
  Order,
  Price,
  Side,
  Tick,
  TimeInForce,
} from '../domain/types.ts';
import { type Gateway, UNKNOWN_ORDER_TEXT } from '../gateway/gateway.ts';
import type { Journal } from '../journal/journal.ts';
import type { RiskContext, RiskEngine, WorkingOrder } from '../risk/risk-engine.ts';
import { legLots, type PositionBook } from './positions.ts';
import { isWorking, type OrderEvent, transition } from './state-machine.ts';
import { WorkingIndex } from './working-index.ts';

/** A request for an order, before risk checks and the close split. */
export interface OrderIntent {
  instrument: string;
  side: Side;
  offset: Offset;
  price: Price;
  quantity: number;
  timeInForce?: TimeInForce;
  /** Strategy name or `manual:<user>`. */
  origin: string;
}

/** What the order manager tells the rest of the runtime. */
export type OmsEvent =
  | { type: 'order'; order: Order }
  | { type: 'fill'; fill: Fill; order: Order }
  | { type: 'alert'; alert: Alert }
  | { type: 'position'; instrument: string }
  | { type: 'funds'; funds: CounterFunds };

/** Result of submit/cancel: the value, or a catalogued refusal. */
export type OmsResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

/** Dependencies of an {@link OrderManager}. */
export interface OrderManagerDeps {
  journal: Journal;
  gateway: Gateway;
  risk: RiskEngine;
  book: PositionBook;
  /** Latest tick per instrument (for prices, limits and unrealized PnL). */
  lastTick: (instrument: string) => Tick | undefined;
  now: () => number;
  onEvent: (e: OmsEvent) => void;
  /** Alert ids. */
  newId: () => string;
  /** An order was just handed to the gateway (the end of the tick-to-order path, for its metric). */
  onSent?: (order: Order) => void;
}

const EMPTY_FUNDS = (): CounterFunds => ({ accountId: '', balance: 0, available: 0, margin: 0, time: 0 });

/** The order manager of one account. */
export class OrderManager {
  readonly #d: OrderManagerDeps;
  readonly #orders = new Map<ClOrdId, Order>();
  readonly #working = new WorkingIndex();
  /** Cancel request id → the order it cancels. */
  readonly #cancels = new Map<ClOrdId, ClOrdId>();
  #funds: CounterFunds = EMPTY_FUNDS();
  readonly #fills: Fill[] = [];

  constructor(deps: OrderManagerDeps) {
    this.#d = deps;
  }

  /** Loads orders, fills, positions, funds and risk counters from the journal (startup and crash recovery). */
  recover(): void {
    const j = this.#d.journal;
    for (const o of j.orders()) this.#put(o);
    this.#fills.push(...j.fills());
    const snap = j.get<ReturnType<PositionBook['snapshot']>>('positions');
    if (snap) this.#d.book.restore(snap);
    this.#funds = j.get<CounterFunds>('funds') ?? EMPTY_FUNDS();
    for (const [k, v] of j.cancels()) this.#cancels.set(k, v);
    const counters = j.get<Parameters<RiskEngine['restore']>[0]>('risk:counters');
    const paused = j.get<{ reason: string } | null>('risk:paused');
    if (counters) this.#d.risk.restore(counters, paused ?? undefined);
    else if (paused) this.#d.risk.pause(paused.reason);
  }

  /**
   * Moves to a trading day: on a new day today's lots become yesterday's and daily PnL restarts. Journaled,
   * so a restart within the same day does not roll twice.
   */
  setTradingDay(day: string): void {
    const j = this.#d.journal;
    const prev = j.get<string>('tradingDay');
    if (prev === day) return;
    if (prev !== undefined) this.#d.book.rollDay();
    j.tx(() => {
      j.set('tradingDay', day);
      j.set('positions', this.#d.book.snapshot());
      j.append('tradingDay', { from: prev ?? null, to: day });
    });
  }

  /**
   * Lots adopted from the counter before any price was known take `price` (the instrument's first tick) as
   * their entry. Journaled at once, so a restart keeps this entry instead of taking a later tick's.
   */
  priceAdoptedLots(instrument: string, price: Price): void {
    const { book, journal } = this.#d;
    if (!book.priceUnknownCosts(instrument, price)) return;
    journal.tx(() => {
      journal.set('positions', book.snapshot());
      journal.append('positionPriced', { instrument, price });
    });
    this.#d.onEvent({ type: 'position', instrument });
  }

  /** Every order (newest last). */
  orders(): Order[] {
    return [...this.#orders.values()];
  }

  get(clOrdId: ClOrdId): Order | undefined {
    return this.#orders.get(clOrdId);
  }

  fills(): Fill[] {
    return this.#fills;
  }

  funds(): CounterFunds {
    return this.#funds;
  }

  /**
   * Working (not terminal) orders, oldest first, from the index.
   * @param instrument only this contract's; default all
   */
  workingOrderList(instrument?: string): Order[] {
    return this.#working.list(instrument);
  }

  /**
   * Working orders in the risk engine's shape.
   * @param instrument only this contract's; default all
   */
  workingOrders(instrument?: string): WorkingOrder[] {
    return this.#working.list(instrument).map((o) => ({
      instrument: o.instrument,
      side: o.side,
      offset: o.offset,
      price: o.price,
      leaves: o.quantity - o.filledQuantity,
    }));
  }

  /** Today's PnL in fen: realized + unrealized − commissions, all instruments. */
  dailyPnl(): number {
    let pnl = 0;
    for (const p of this.#d.book.all())
      pnl +=
        p.realizedPnl -
        p.commission +
        this.#d.book.unrealized(p.instrument, this.#d.lastTick(p.instrument)?.lastPrice);
    return pnl;
  }

  riskContext(instrument: string): RiskContext {
    const t = this.#d.lastTick(instrument);
    const p = this.#d.book.asCounterPosition(instrument);
    return {
      now: this.#d.now(),
      position: p,
      // Every check on working orders concerns the order's own contract, so the others are left out.
      workingOrders: this.workingOrders(instrument),
      available: this.#funds.available,
      ...(t ? { lastPrice: t.lastPrice } : {}),
      ...(t?.upperLimit !== undefined ? { upperLimit: t.upperLimit } : {}),
      ...(t?.lowerLimit !== undefined ? { lowerLimit: t.lowerLimit } : {}),
      dailyPnl: this.dailyPnl(),
    };
  }

  /**
   * Risk-checks, journals and sends an order. A `close` is split into close-today then close-yesterday
   * legs (SHFE), so one intent may become two orders.
   * @param alsoJournal extra writes committed in the same transaction as the decision (e.g. the strategy
   *   state the order came from), so one fsync covers both
   */
  submit(intent: OrderIntent, alsoJournal?: () => void): OmsResult<Order[]> {
    return this.submitAll([{ intent, ...(alsoJournal ? { alsoJournal } : {}) }])[0]!;
  }

  /**
   * {@link submit} for several intents decided together (a strategy reversing its position asks for the
   * close and the new entry in one callback): each is risk-checked in turn, seeing the orders accepted
   * before it as working and counted, then every decision is committed in ONE transaction and only then
   * are the accepted orders handed to the gateway, in order. Write-ahead as for one order; the second order
   * of a reversal no longer waits for a commit of its own. If the commit fails, nothing was sent and the
   * staged orders are forgotten.
   * @returns one result per intent, in order
   */
  submitAll(
    items: ReadonlyArray<{ intent: OrderIntent; alsoJournal?: () => void }>,
  ): Array<OmsResult<Order[]>> {
    const { journal, gateway } = this.#d;
    const results: Array<OmsResult<Order[]>> = [];
    const alerts: Alert[] = [];
    const staged: Order[] = [];
    try {
      journal.tx(() => {
        for (const { intent, alsoJournal } of items) {
          alsoJournal?.();
          const r = this.#decide(intent, alerts);
          results.push(r);
          if (r.ok) staged.push(...r.value);
        }
        if (staged.length > 0) this.#journalRiskCounters();
      });
    } catch (e) {
      for (const o of staged) this.#unput(o);
      throw e;
    }
    this.#emitAlerts(alerts);
    for (const o of staged) {
      try {
        gateway.sendOrder(o);
        this.#d.onSent?.(o);
      } catch (e) {
        // Nothing was written to the wire: close it here, durably, with the reason.
        this.#apply(o, 'rejected', `not sent: ${(e as Error).message}`);
        continue;
      }
      this.#d.onEvent({ type: 'order', order: o });
    }
    return results;
  }

  /**
   * One intent's decision, inside the caller's transaction: journals the refusal, or the acceptance and its
   * orders (registered as working at once, so that the next intent of the same batch sees them).
   */
  #decide(intent: OrderIntent, alerts: Alert[]): OmsResult<Order[]> {
    const { journal, risk, gateway } = this.#d;
    const now = this.#d.now();
    const decision = risk.checkOrder(intent, this.riskContext(intent.instrument));
    const refused = (code: ErrorCode, message: string): OmsResult<Order[]> => {
      for (const a of decision.alerts) journal.append('alert', a);
      alerts.push(...decision.alerts);
      journal.append('riskRejected', { intent, code, message });
      return { ok: false, code, message };
    };
    if (!decision.ok) return refused(decision.code, decision.message);
    if (gateway.status().state !== 'loggedOn') {
      const r = refuse('NOT_CONNECTED');
      return refused(r.code, r.message);
    }
    const legs = this.#legs(intent);
    if (!legs) {
      const r = refuse('INSUFFICIENT_POSITION');
      return refused(r.code, r.message);
    }
    // Counted before the commit so the counters in it include these orders (see the module comment).
    const mine = [...decision.alerts];
    for (const _ of legs) mine.push(...risk.orderSent(now));
    for (const a of mine) journal.append('alert', a);
    alerts.push(...mine);
    journal.append('riskAccepted', { intent });
    const made = legs.map(([offset, quantity]) => {
      const o: Order = {
        clOrdId: journal.nextClOrdId(),
        instrument: intent.instrument,
        side: intent.side,
        offset,
        price: intent.price,
        quantity,
        filledQuantity: 0,
        filledNotional: 0,
        status: 'pendingNew',
        timeInForce: intent.timeInForce ?? 'day',
        origin: intent.origin,
        createdAt: now,
        updatedAt: now,
      };
      journal.saveOrder(o, 'orderNew');
      this.#put(o);
      return o;
    });
    return { ok: true, value: made };
  }

  /** Splits a close by today's and yesterday's free lots (today first). */
  #legs(intent: OrderIntent): Array<[Order['offset'], number]> | undefined {
    if (intent.offset !== 'close') return [[intent.offset, intent.quantity]];
    const p = this.#d.book.find(intent.instrument);
    if (!p) return undefined; // nothing held there: nothing to close
    const leg = intent.side === 'sell' ? p.long : p.short;
    let today = leg.today;
    let yest = leg.yesterday;
    for (const w of this.workingOrders(intent.instrument))
      if (w.side === intent.side) {
        if (w.offset === 'close-today') today -= w.leaves;
        else if (w.offset !== 'open') yest -= w.leaves;
      }
    const split = splitClose(intent.quantity, Math.max(0, today), Math.max(0, yest));
    if (!split) return legLots(leg) >= intent.quantity ? [['close', intent.quantity]] : undefined;
    return split.map((l) => [l.offset, l.lots]);
  }

  /**
   * Asks the counter to cancel a working order.
   * @param urgent bulk/emergency cancels skip the per-second rate limit (never the daily cancel count)
   */
  cancel(clOrdId: ClOrdId, urgent = false): OmsResult<Order> {
    const { journal, risk, gateway } = this.#d;
    const o = this.#orders.get(clOrdId);
    if (!o) return refuse('UNKNOWN_ORDER', `clOrdId ${clOrdId}.`);
    if (!isWorking(o.status) || o.status === 'pendingCancel')
      return refuse('ORDER_NOT_WORKING', `It is ${o.status}.`);
    const now = this.#d.now();
    const leaves = o.quantity - o.filledQuantity;
    const d = risk.checkCancel(o.instrument, leaves, now, urgent);
    if (!d.ok) {
      journal.tx(() =>
        journal.append('riskRejected', { cancel: clOrdId, code: d.code, message: d.message }, clOrdId),
      );
      return { ok: false, code: d.code, message: d.message };
    }
    if (gateway.status().state !== 'loggedOn') return refuse('NOT_CONNECTED');
    const next = this.#advance(o, 'cancelRequested');
    if (!next) return refuse('ORDER_NOT_WORKING', `It is ${o.status}.`);
    // One commit: the cancel's id, the order's pending-cancel state and the counters that count it.
    const alerts = [...d.alerts, ...risk.cancelSent(o.instrument, leaves, now)];
    const cancelId = journal.tx(() => {
      const id = journal.nextClOrdId();
      journal.saveCancel(id, clOrdId);
      journal.saveOrder(next, 'order:cancelRequested', { cancelId: id });
      for (const a of alerts) journal.append('alert', a);
      this.#journalRiskCounters();
      return id;
    });
    this.#cancels.set(cancelId, clOrdId);
    this.#commit(o, next);
    gateway.cancelOrder(cancelId, o);
    this.#emitAlerts(alerts);
    return { ok: true, value: o };
  }

  /** Bulk cancel: every working order of one instrument, or all. Returns how many were requested. */
  cancelAll(instrument?: string, origin?: string): number {
    let n = 0;
    // A copy of the working orders: each cancel changes the index while we walk it.
    for (const o of this.#working.list(instrument || undefined))
      if (isWorking(o.status) && o.status !== 'pendingCancel' && (!origin || o.origin === origin))
        if (this.cancel(o.clOrdId, true).ok) n++;
    return n;
  }

  /** Applies an execution report from the counter. Replayed reports (same trade id) change nothing. */
  onExecution(r: ExecutionReport): void {
    const id = this.#orders.has(r.clOrdId) ? r.clOrdId : (this.#cancels.get(r.clOrdId) ?? r.origClOrdId);
    const o = id ? this.#orders.get(id) : undefined;
    if (!o) {
      this.#alert(
        this.#mkAlert(
          'warning',
          'UNKNOWN_EXECUTION',
          `Execution report for an order this runtime does not know: ${r.clOrdId}.`,
          r.instrument,
        ),
      );
      return;
    }
    if (r.orderId && !o.orderId) o.orderId = r.orderId;
    switch (r.execType) {
      case 'new':
      case 'pendingNew':
        if (o.status === 'pendingNew') this.#apply(o, 'accepted');
        return;
      case 'pendingCancel':
        return;
      case 'trade':
        this.#fill(o, r);
        return;
      case 'cancelled':
      case 'expired':
        if (isWorking(o.status)) this.#apply(o, 'cancelled', r.text);
        return;
      case 'rejected':
        if (isWorking(o.status)) this.#apply(o, o.filledQuantity > 0 ? 'cancelled' : 'rejected', r.text);
        return;
      case 'status':
        this.#settleFromStatus(o, r);
        return;
    }
  }

  /** A cancel refused by the counter: the order keeps working (or was already done). */
  onCancelReject(r: CancelReject): void {
    const id = this.#cancels.get(r.clOrdId) ?? r.origClOrdId;
    const o = this.#orders.get(id);
    if (!o) return;
    if (o.status === 'pendingCancel') this.#apply(o, 'cancelRejected', r.text);
    this.#alert(
      this.#mkAlert(
        'info',
        'CANCEL_REJECTED',
        `Cancel of ${o.clOrdId} refused by the counter: ${r.text ?? 'no reason given'}.`,
        o.instrument,
      ),
    );
  }

  #fill(o: Order, r: ExecutionReport): void {
    // The counter's cumulative quantity bounds what a report can add. A report replayed after the logon
    // reconciliation booked its fill (under a synthetic trade id, so the ExecID check cannot see it) adds
    // nothing instead of booking the fill twice.
    const uncovered = r.cumQty - o.filledQuantity;
    const qty = Math.min(r.lastQty ?? uncovered, uncovered);
    const px = r.lastPx ?? r.price ?? o.price;
    if (qty <= 0 || this.#d.journal.hasFill(r.execId)) return;
    this.#recordFill(o, r.execId, px, qty, r.time);
  }

  #recordFill(o: Order, tradeId: string, price: Price, qty: number, time: number): void {
    const { journal, book } = this.#d;
    const fill: Fill = {
      tradeId,
      clOrdId: o.clOrdId,
      instrument: o.instrument,
      side: o.side,
      offset: o.offset,
      price,
      quantity: qty,
      // The counter's fee schedule (configuration); FIX execution reports rarely carry it.
      commission: fee(o.offset, qty, DEFAULT_AU_SPEC),
      time,
      origin: o.origin,
    };
    const filled = o.filledQuantity + qty;
    const event: OrderEvent = filled >= o.quantity ? 'filled' : 'partiallyFilled';
    const to = transition(o.status, event, filled);
    const next: Order = {
      ...o,
      filledQuantity: filled,
      filledNotional: o.filledNotional + price * qty,
      status: to ?? o.status,
      updatedAt: this.#d.now(),
    };
    book.applyFill(fill);
    journal.tx(() => {
      journal.recordFill(fill);
      journal.saveOrder(next, 'orderFilled', { tradeId, price, qty });
      journal.set('positions', book.snapshot());
    });
    Object.assign(o, next);
    this.#working.track(o);
    this.#fills.push(fill);
    if (!to)
      this.#alert(
        this.#mkAlert(
          'warning',
          'ILLEGAL_TRANSITION',
          `Fill on ${o.clOrdId} while ${o.status}.`,
          o.instrument,
        ),
      );
    this.#d.onEvent({ type: 'fill', fill, order: o });
    this.#d.onEvent({ type: 'order', order: o });
    this.#d.onEvent({ type: 'position', instrument: o.instrument });
  }

  #apply(o: Order, event: OrderEvent, text?: string, data?: unknown): void {
    const next = this.#advance(o, event, text);
    if (!next) return;
    this.#d.journal.tx(() =>
      this.#d.journal.saveOrder(next, `order:${event}`, data ?? { status: next.status, text }),
    );
    this.#commit(o, next);
  }

  /** The order after `event` (not yet applied), or undefined — with an alert — when the table forbids it. */
  #advance(o: Order, event: OrderEvent, text?: string): Order | undefined {
    const to = transition(o.status, event, o.filledQuantity);
    if (!to) {
      this.#alert(
        this.#mkAlert(
          'warning',
          'ILLEGAL_TRANSITION',
          `Order ${o.clOrdId}: ${event} while ${o.status} ignored.`,
          o.instrument,
        ),
      );
      return undefined;
    }
    return { ...o, status: to, updatedAt: this.#d.now(), ...(text ? { text } : {}) };
  }

  /** Applies a journaled state change in memory (order, index) and tells the runtime. */
  #commit(o: Order, next: Order): void {
    Object.assign(o, next);
    this.#working.track(o);
    this.#d.onEvent({ type: 'order', order: o });
  }

  /** Registers an order (new or recovered) in the list and, while it works, in the index. */
  #put(o: Order): void {
    this.#orders.set(o.clOrdId, o);
    this.#working.track(o);
  }

  /** Forgets an order whose journal commit failed (it was never sent). */
  #unput(o: Order): void {
    this.#orders.delete(o.clOrdId);
    this.#working.remove(o);
  }

  /** Settles an order from the counter's status answer (reconciliation). */
  #settleFromStatus(o: Order, r: ExecutionReport): void {
    if (r.text === UNKNOWN_ORDER_TEXT) {
      if (o.status === 'pendingNew') {
        // Journaled, never reached the counter (the runtime stopped in between): close it, do not resend.
        this.#apply(
          o,
          'rejected',
          'never reached the counter (runtime restarted before sending); not resent',
        );
        this.#alert(
          this.#mkAlert(
            'warning',
            'RECONCILE_NOT_SENT',
            `Order ${o.clOrdId} was journaled but never reached the counter; closed as rejected.`,
            o.instrument,
          ),
        );
      } else {
        this.#alert(
          this.#mkAlert(
            'critical',
            'RECONCILE_MISMATCH',
            `Counter does not know order ${o.clOrdId} (${o.status} here).`,
            o.instrument,
          ),
        );
      }
      return;
    }
    if (r.cumQty > o.filledQuantity) {
      // Fills we missed while down: book them at the price implied by the counter's average.
      const qty = r.cumQty - o.filledQuantity;
      const avg = r.avgPx ?? r.lastPx ?? o.price;
      const px = Math.round((avg * r.cumQty - o.filledNotional) / qty);
      this.#recordFill(o, `${r.orderId ?? o.clOrdId}:recon:${r.cumQty}`, px, qty, r.time);
      this.#alert(
        this.#mkAlert(
          'info',
          'RECONCILE_FILLS',
          `Order ${o.clOrdId}: ${qty} lots filled while disconnected, booked from the counter's status.`,
          o.instrument,
        ),
      );
    }
    if (o.status === 'pendingNew' && (r.status === 'new' || r.status === 'partiallyFilled'))
      this.#apply(o, 'accepted');
    if (isWorking(o.status) && (r.status === 'cancelled' || r.status === 'rejected'))
      this.#apply(o, o.filledQuantity > 0 || r.status === 'cancelled' ? 'cancelled' : 'rejected', r.text);
    if (o.status === 'pendingCancel' && (r.status === 'new' || r.status === 'partiallyFilled'))
      this.#apply(o, 'cancelRejected');
  }

  /**
   * Reconciles with the counter: the status of every order still open here, then positions, then funds.
   * Mismatches become alerts; the counter's numbers win.
   * @returns the number of mismatches found
   */
  async reconcile(): Promise<number> {
    const { gateway, book } = this.#d;
    let mismatches = 0;
    const open = this.#working.list();
    if (open.length > 0) {
      const reports = await gateway.requestOrderStatus(open);
      for (const r of reports) {
        const o = this.#orders.get(r.clOrdId);
        if (!o) continue;
        const before = `${o.status}/${o.filledQuantity}`;
        this.#settleFromStatus(o, { ...r, execType: 'status' });
        if (`${o.status}/${o.filledQuantity}` !== before) mismatches++;
      }
    }
    const positions = await gateway.requestPositions();
    const seen = new Set<string>();
    for (const cp of positions) {
      seen.add(cp.instrument);
      const mine = book.asCounterPosition(cp.instrument);
      if (JSON.stringify(mine) !== JSON.stringify({ ...cp, instrument: cp.instrument })) {
        mismatches++;
        this.#alert(
          this.#mkAlert(
            'warning',
            'RECONCILE_POSITION',
            `Position ${cp.instrument} differs: here ${fmtPos(mine)}, counter ${fmtPos(cp)}; adopted the counter's.`,
            cp.instrument,
          ),
        );
        book.adopt(cp, this.#d.lastTick(cp.instrument)?.lastPrice);
        this.#d.onEvent({ type: 'position', instrument: cp.instrument });
      }
    }
    for (const p of book.all())
      if (!seen.has(p.instrument) && legLots(p.long) + legLots(p.short) > 0) {
        mismatches++;
        this.#alert(
          this.#mkAlert(
            'warning',
            'RECONCILE_POSITION',
            `Position ${p.instrument} is flat at the counter; adopted.`,
            p.instrument,
          ),
        );
        book.adopt(
          { instrument: p.instrument, longToday: 0, longYesterday: 0, shortToday: 0, shortYesterday: 0 },
          undefined,
        );
      }
    this.#d.journal.tx(() => {
      this.#d.journal.set('positions', book.snapshot());
      this.#d.journal.append('reconciled', { mismatches, orders: open.length, positions: positions.length });
    });
    await this.refreshFunds();
    return mismatches;
  }

  /** Fetches funds from the counter and journals them. */
  async refreshFunds(): Promise<CounterFunds> {
    const f = await this.#d.gateway.requestFunds();
    this.#funds = f;
    this.#d.journal.tx(() => this.#d.journal.set('funds', f));
    this.#d.onEvent({ type: 'funds', funds: f });
    return f;
  }

  /**
   * Daily order/cancel counts survive a restart (the 500-cancel line must hold across one). Written inside
   * the caller's transaction. The object is small (a few numbers per contract), so it is written whole.
   */
  #journalRiskCounters(): void {
    const { actionsLastSecond: _, ...c } = this.#d.risk.counters(this.#d.now());
    this.#d.journal.set('risk:counters', c);
  }

  /** Tells the runtime about alerts already journaled by the caller. */
  #emitAlerts(alerts: readonly Alert[]): void {
    for (const a of alerts) this.#d.onEvent({ type: 'alert', alert: a });
  }

  #mkAlert(level: Alert['level'], code: string, message: string, instrument?: string): Alert {
    return {
      id: this.#d.newId(),
      time: this.#d.now(),
      level,
      code,
      message,
      ...(instrument ? { instrument } : {}),
    };
  }

  #alert(a: Alert): void {
    this.#d.journal.tx(() => this.#d.journal.append('alert', a));
    this.#d.onEvent({ type: 'alert', alert: a });
  }
}

function fmtPos(p: {
  longToday: number;
  longYesterday: number;
  shortToday: number;
  shortYesterday: number;
}): string {
  return `long ${p.longToday}+${p.longYesterday}, short ${p.shortToday}+${p.shortYesterday}`;
}
