/**
 * The counter service: the market model plus everything stateful around it — connected FIX sessions per
 * account, market-data subscriptions, the liquidity model's heartbeat, persistence after every command,
 * metrics. The FIX session class (fix/session.ts) calls {@link Counter.handle}; the admin API calls the
 * admin methods. Single-threaded: every command runs to completion, then the store is flushed.
 */
import { MsgTypes } from '../common/fix/fields.ts';
import type { Logger } from '../common/log.ts';
import { acceptsOrders, sessionPhase } from '../common/shfe/index.ts';
import { verifyPassword } from './auth.ts';
import { handleMessage } from './fix/handlers.ts';
import { type BookView, bookView, execEventReport, incrementalEntries } from './fix/replies.ts';
import type { Account } from './market/accounts.ts';
import type { SimClock } from './market/clock.ts';
import type { LiquidityModel } from './market/liquidity.ts';
import type { Market } from './market/market.ts';
import type { MarketEvent } from './market/types.ts';
import type { Metrics } from './metrics.ts';
import type { Store } from './store/store.ts';

/** What the counter needs from a connected FIX session. */
export interface SessionPort {
  /** The account it logged on as. */
  account: string;
  /** The peer's SenderCompID. */
  readonly peerCompId: string;
  /** Sends an application message to the peer. */
  deliver(msgType: string, body: Record<string, unknown>): void;
  /** Market-data subscriptions: symbol → MDReqID and the view last sent. */
  subscriptions: Map<string, { mdReqId: string; depth: number; last?: BookView }>;
}

/** Dependencies of the counter. */
export interface CounterDeps {
  market: Market;
  store: Store;
  clock: SimClock;
  liquidity?: LiquidityModel;
  metrics: Metrics;
  log: Logger;
  /** Our CompID (tag 49 on what we send). */
  compId: string;
}

export class Counter {
  readonly market: Market;
  readonly store: Store;
  readonly clock: SimClock;
  readonly liquidity: LiquidityModel | undefined;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly compId: string;
  private readonly sessions = new Set<SessionPort>();
  /** Decodes a stored raw FIX message (for resends); set by app.ts. */
  decodeFrame: ((frame: Buffer) => Record<string, unknown> | undefined) | undefined;
  private readonly changedSymbols = new Set<string>();

  constructor(d: CounterDeps) {
    this.market = d.market;
    this.store = d.store;
    this.clock = d.clock;
    this.liquidity = d.liquidity;
    this.metrics = d.metrics;
    this.log = d.log;
    this.compId = d.compId;
  }

  /**
   * Checks a Logon. Username (553) is the account id; the SenderCompID must be the account's CompID when
   * one is configured; the TargetCompID must be ours.
   * @throws Error with the text the peer receives in the Logout (58)
   */
  authenticate(senderCompId: string, targetCompId: string, username: string, password: string): Account {
    const fail = (why: string) => {
      this.metrics.logons.inc({ result: 'refused' });
      this.log.warn({ senderCompId, username, why }, 'logon refused');
      return new Error(why);
    };
    if (targetCompId !== this.compId)
      throw fail(`wrong TargetCompID ${targetCompId}: this counter is ${this.compId}`);
    const acct =
      this.market.accounts.get(username) ??
      [...this.market.accounts.values()].find((a) => a.compId === senderCompId && !username);
    if (!acct) throw fail(`unknown account "${username}" (Username 553 must be the account id)`);
    if (acct.compId && acct.compId !== senderCompId)
      throw fail(`wrong SenderCompID ${senderCompId} for account ${acct.id}`);
    if (!verifyPassword(password, acct.passwordHash)) throw fail(`bad password for account ${acct.id}`);
    this.metrics.logons.inc({ result: 'ok' });
    return acct;
  }

  attach(s: SessionPort): void {
    this.sessions.add(s);
    this.metrics.sessions.set(this.sessions.size);
  }

  detach(s: SessionPort): void {
    this.sessions.delete(s);
    this.metrics.sessions.set(this.sessions.size);
  }

  /** Handles one application message from a session. Never throws: failures become FIX rejects. */
  handle(s: SessionPort, msgType: string, body: Record<string, unknown>, seqNum: number): void {
    this.metrics.messages.inc({ type: msgType });
    try {
      this.rollIfNeeded();
      const events = handleMessage(this, s, msgType, body, seqNum);
      this.dispatch(events);
    } catch (e) {
      this.log.error({ err: (e as Error).message, msgType }, 'handler failed');
      s.deliver(MsgTypes.BusinessMessageReject, {
        RefSeqNum: seqNum,
        RefMsgType: msgType,
        BusinessRejectReason: 0,
        Text: `internal error processing ${msgType}: ${(e as Error).message}`.slice(0, 200),
      });
    } finally {
      this.schedulePersist();
    }
  }

  private persistScheduled = false;

  /**
   * Flushes the store once per event-loop turn: every message that arrived in the same TCP read is
   * committed in one SQLite transaction (before the next read is processed), not one transaction each.
   */
  schedulePersist(): void {
    if (this.persistScheduled) return;
    this.persistScheduled = true;
    setImmediate(() => {
      this.persistScheduled = false;
      this.persist();
    });
  }

  /**
   * Answers a structurally malformed message (found by the framing guard) with a session-level Reject
   * (35=3, reason 99 other) on the sender's session.
   */
  reportMalformed(senderCompId: string, seq: number, msgType: string, reason: string): void {
    this.metrics.rejects.inc({ code: 'MALFORMED' });
    for (const s of this.sessions) {
      if (s.peerCompId !== senderCompId) continue;
      s.deliver(MsgTypes.Reject, {
        RefSeqNum: seq,
        RefMsgType: msgType,
        SessionRejectReason: 99,
        Text: `malformed message: ${reason}`.slice(0, 200),
      });
    }
  }

  /** Sends execution reports to the owners' sessions and refreshes market data. */
  dispatch(events: MarketEvent[]): void {
    const now = this.clock.now();
    for (const e of events) {
      if (e.kind === 'book') {
        this.changedSymbols.add(e.symbol);
        continue;
      }
      this.metrics.execReports.inc({ exec_type: e.execType });
      if (e.execType === 'rejected') this.metrics.rejects.inc({ code: e.order.rejectCode ?? 'OTHER' });
      const body = execEventReport(e, now);
      for (const s of this.sessions)
        if (s.account === e.order.account) s.deliver(MsgTypes.ExecutionReport, body);
    }
    this.publishMarketData();
  }

  /** Sends incremental refreshes for symbols whose book changed. */
  publishMarketData(): void {
    if (this.changedSymbols.size === 0) return;
    for (const sym of this.changedSymbols) {
      for (const s of this.sessions) {
        const sub = s.subscriptions.get(sym);
        if (!sub) continue;
        const view = bookView(this.market, sym, sub.depth);
        if (!view) continue;
        const entries = incrementalEntries(sym, sub.last, view);
        sub.last = view;
        if (entries.length > 0)
          s.deliver(MsgTypes.MarketDataIncrementalRefresh, {
            MDReqID: sub.mdReqId,
            MDIncGrp: { NoMDEntries: entries },
          });
      }
    }
    this.changedSymbols.clear();
  }

  /** One heartbeat of the market: day roll, liquidity step (while trading), market data, persistence. */
  tick(): void {
    this.rollIfNeeded();
    const now = this.clock.now();
    if (
      this.liquidity &&
      ((this.market.cfg.alwaysOpen ?? false) || sessionPhase(this.market.cfg.calendar, now) === 'continuous')
    ) {
      this.dispatch(this.liquidity.stepAll());
    }
    this.persist();
    for (const [sym, b] of this.market.books) {
      this.metrics.bookOrders.set({ symbol: sym }, b.size);
      const i = this.market.instruments.get(sym);
      if (i?.last !== undefined) this.metrics.lastPrice.set({ symbol: sym }, i.last / 100);
    }
  }

  /** True when orders are accepted now. */
  isOpen(): boolean {
    return (this.market.cfg.alwaysOpen ?? false) || acceptsOrders(this.market.cfg.calendar, this.clock.now());
  }

  rollIfNeeded(): void {
    const events = this.market.roll(this.clock.now());
    if (events.length > 0) {
      this.log.info(
        { tradingDay: this.market.tradingDay },
        'trading day rolled: settled and positions moved to yesterday',
      );
      this.store.dropInstrumentsExcept([...this.market.instruments.keys()]);
      this.dispatch(events);
    }
  }

  persist(): void {
    this.store.flush(this.market.takeDirty());
  }
}
