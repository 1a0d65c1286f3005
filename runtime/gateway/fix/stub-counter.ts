/**
 * A minimal scriptable FIX 4.4 counter (acceptor) for the gateway's own tests: accepts one password,
 * acknowledges orders, answers status/positions/funds queries and lets the test push fills and market
 * data. The full counter simulator lives in simulator/; this stub only exercises the wire protocol.
 */
import { ExecType, OrdStatus } from '../../../common/fix/fields.ts';
import { AsciiSession, type IJsFixConfig, type MsgView } from '../../../common/fix/jspurefix.ts';
import { acceptorDescription, type FixEndpoint, startFix } from '../../../common/fix/launcher.ts';
import { executionReport, mdSnapshot, type NewOrder, parseNewOrderSingle } from '../../../common/fix/messages.ts';
import { createLogger } from '../../../common/log.ts';

/** What the stub remembers. */
export interface StubState {
  orders: Map<string, { order: NewOrder; orderId: string; cumQty: number; status: string }>;
  received: string[];
  positions: Array<{ symbol: string; sod: [number, number]; itd: [number, number] }>;
  funds: { balance: number; available: number };
  session?: StubSession;
}

class StubSession extends AsciiSession {
  readonly st: StubState;
  readonly password: string;
  constructor(c: IJsFixConfig, st: StubState, password: string) {
    super(c);
    this.st = st;
    this.password = password;
  }
  push(msgType: string, body: Record<string, unknown>): void {
    this.send(msgType, body);
  }
  protected onApplicationMsg(t: string, v: MsgView): void {
    const m = v.toObject() as Record<string, any>;
    this.st.received.push(t);
    if (t === 'D') {
      const p = parseNewOrderSingle(m);
      if (!p.ok) return;
      const orderId = `O${this.st.orders.size + 1}`;
      this.st.orders.set(p.order.clOrdId, { order: p.order, orderId, cumQty: 0, status: OrdStatus.new });
      this.push('8', er(p.order, orderId, ExecType.new, OrdStatus.new, 0));
    } else if (t === 'H') {
      const o = this.st.orders.get(m.ClOrdID);
      if (!o) {
        this.push('8', {
          OrderID: 'NONE', ClOrdID: m.ClOrdID, ExecID: `S-${m.ClOrdID}`, ExecType: 'I', OrdStatus: '8', OrdRejReason: 5,
          Instrument: { Symbol: m.Instrument?.Symbol }, Side: m.Side, LeavesQty: 0, CumQty: 0, AvgPx: 0, Text: 'unknown order',
        });
      } else this.push('8', er(o.order, o.orderId, ExecType.orderStatus, o.status, o.cumQty));
    } else if (t === 'F') {
      const o = this.st.orders.get(m.OrigClOrdID);
      if (!o) return;
      o.status = OrdStatus.canceled;
      this.push('8', { ...er(o.order, o.orderId, ExecType.canceled, OrdStatus.canceled, o.cumQty), ClOrdID: m.ClOrdID, OrigClOrdID: m.OrigClOrdID });
    } else if (t === 'AN') {
      this.push('AO', { PosMaintRptID: 'A', PosReqID: m.PosReqID, TotalNumPosReports: this.st.positions.length, PosReqResult: 0, PosReqStatus: 0, Account: m.Account, AccountType: 1 });
      for (const p of this.st.positions)
        this.push('AP', {
          PosMaintRptID: `R${p.symbol}`, PosReqID: m.PosReqID, PosReqResult: 0, ClearingBusinessDate: '20260302', Account: m.Account, AccountType: 1,
          Instrument: { Symbol: p.symbol }, SettlPrice: 600, SettlPriceType: 1, PriorSettlPrice: 600,
          PositionQty: { NoPositions: [{ PosType: 'SOD', LongQty: p.sod[0], ShortQty: p.sod[1] }, { PosType: 'ITD', LongQty: p.itd[0], ShortQty: p.itd[1] }] },
        });
    } else if (t === 'BB') {
      this.push('BA', { CollRptID: 'C1', CollInquiryID: m.CollInquiryID, CollStatus: 3, Account: m.Account, TotalNetValue: this.st.funds.balance / 100, MarginExcess: this.st.funds.available / 100 });
    } else if (t === 'V') {
      for (const s of m.InstrmtMDReqGrp?.NoRelatedSym ?? [])
        this.push('W', mdSnapshot({ symbol: s.Instrument.Symbol, bids: [{ price: 61200, qty: 5 }], asks: [{ price: 61202, qty: 5 }], last: { price: 61200, qty: 1 }, volume: 10, settlement: 60000 }));
    }
  }
  protected onReady(): void {
    this.st.session = this;
  }
  protected onStopped(): void {}
  protected onLogon(_v: MsgView, _u: string, p: string): boolean {
    return p === this.password;
  }
  protected onDecoded(): void {}
  protected onEncoded(): void {}
}

function er(o: NewOrder, orderId: string, execType: string, ordStatus: string, cumQty: number, last?: { qty: number; px: number }) {
  return executionReport({
    orderId, clOrdId: o.clOrdId, execId: `${orderId}-${execType}-${cumQty}`, execType, ordStatus, symbol: o.symbol, side: o.side,
    price: o.price, qty: o.qty, ...(o.offset ? { offset: o.offset } : {}), leavesQty: o.qty - cumQty, cumQty, avgPx: cumQty > 0 ? o.price : 0,
    ...(last ? { lastQty: last.qty, lastPx: last.px } : {}), transactTime: new Date(),
  });
}

/** Starts the stub on a port; returns its state, a fill helper and a stop function. */
export function startStubCounter(port: number, password = 'pw', storeDir?: string) {
  const st: StubState = { orders: new Map(), received: [], positions: [], funds: { balance: 100_000_000, available: 90_000_000 } };
  const fe: FixEndpoint = startFix(
    acceptorDescription({ port, host: '127.0.0.1', senderCompId: 'COUNTER', name: 'stub', ...(storeDir ? { storeDir } : {}) }),
    (c) => new StubSession(c as IJsFixConfig, st, password),
    createLogger('stub', { level: 'silent' }),
  );
  return {
    st,
    /** Fills `qty` of an order at its price. */
    fill(clOrdId: string, qty: number) {
      const o = st.orders.get(clOrdId)!;
      o.cumQty += qty;
      o.status = o.cumQty >= o.order.qty ? OrdStatus.filled : OrdStatus.partiallyFilled;
      st.session?.push('8', er(o.order, o.orderId, ExecType.trade, o.status, o.cumQty, { qty, px: o.order.price }));
    },
    stop: () => fe.stop(),
  };
}
