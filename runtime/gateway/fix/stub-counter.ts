/**
 * A minimal scriptable FIX 4.4 counter (acceptor) for the gateway's own tests: accepts one password,
 * acknowledges orders, answers status/positions/funds queries and lets the test push fills and market
 * data. The full counter simulator lives in simulator/; this stub only exercises the wire protocol.
 */
import { ExecType, OrdStatus } from '../../../common/fix/fields.ts';
import { AsciiSession, type IJsFixConfig, type MsgView } from '../../../common/fix/jspurefix.ts';
import { acceptorDescription, type FixEndpoint, startFix } from '../../../common/fix/launcher.ts';
import {
  executionReport,
  mdSnapshot,
  type NewOrder,
  parseNewOrderSingle,
} from '../../../common/fix/messages.ts';
import { createLogger } from '../../../common/log.ts';

/** What the stub remembers. */
export interface StubState {
  orders: Map<string, { order: NewOrder; orderId: string; cumQty: number; status: string; received: number }>;
  /** Every NewOrderSingle seen, PossDup or not, by ClOrdID. */
  newOrders: Map<string, number>;
  /** Market: a random walk when ticking; orders crossing it fill. */
  price: number;
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
    try {
      this.send(msgType, body);
    } catch {
      // the peer is gone (killed runtime); the next session catches up through status requests
    }
  }
  protected onApplicationMsg(t: string, v: MsgView): void {
    const m = v.toObject() as Record<string, any>;
    this.st.received.push(t);
    if (t === 'D') {
      const p = parseNewOrderSingle(m);
      if (!p.ok) return;
      this.st.newOrders.set(p.order.clOrdId, (this.st.newOrders.get(p.order.clOrdId) ?? 0) + 1);
      const known = this.st.orders.get(p.order.clOrdId);
      if (known) {
        // A resent (PossDup) or duplicated order: refuse as a duplicate, the original stands.
        this.push('8', {
          ...er(p.order, 'NONE', ExecType.rejected, OrdStatus.rejected, 0),
          ExecID: `dup-${p.order.clOrdId}-${Date.now()}`,
          OrdRejReason: 6,
          Text: 'duplicate ClOrdID',
        });
        return;
      }
      const orderId = `O${this.st.orders.size + 1}`;
      this.st.orders.set(p.order.clOrdId, {
        order: p.order,
        orderId,
        cumQty: 0,
        status: OrdStatus.new,
        received: 1,
      });
      this.push('8', er(p.order, orderId, ExecType.new, OrdStatus.new, 0));
    } else if (t === 'H') {
      const o = this.st.orders.get(m.ClOrdID);
      if (!o) {
        this.push('8', {
          OrderID: 'NONE',
          ClOrdID: m.ClOrdID,
          ExecID: `S-${m.ClOrdID}`,
          ExecType: 'I',
          OrdStatus: '8',
          OrdRejReason: 5,
          Instrument: { Symbol: m.Instrument?.Symbol },
          Side: m.Side,
          LeavesQty: 0,
          CumQty: 0,
          AvgPx: 0,
          Text: 'unknown order',
        });
      } else this.push('8', er(o.order, o.orderId, ExecType.orderStatus, o.status, o.cumQty));
    } else if (t === 'F') {
      const o = this.st.orders.get(m.OrigClOrdID);
      if (!o) return;
      if (o.status === OrdStatus.filled || o.status === OrdStatus.canceled) {
        this.push('9', {
          OrderID: o.orderId,
          ClOrdID: m.ClOrdID,
          OrigClOrdID: m.OrigClOrdID,
          OrdStatus: o.status,
          CxlRejResponseTo: '1',
          CxlRejReason: 0,
          Text: 'too late to cancel',
        });
        return;
      }
      o.status = OrdStatus.canceled;
      this.push('8', {
        ...er(o.order, o.orderId, ExecType.canceled, OrdStatus.canceled, o.cumQty),
        ClOrdID: m.ClOrdID,
        OrigClOrdID: m.OrigClOrdID,
      });
    } else if (t === 'AN') {
      this.push('AO', {
        PosMaintRptID: 'A',
        PosReqID: m.PosReqID,
        TotalNumPosReports: this.st.positions.length,
        PosReqResult: 0,
        PosReqStatus: 0,
        Account: m.Account,
        AccountType: 1,
      });
      for (const p of this.st.positions)
        this.push('AP', {
          PosMaintRptID: `R${p.symbol}`,
          PosReqID: m.PosReqID,
          PosReqResult: 0,
          ClearingBusinessDate: '20260302',
          Account: m.Account,
          AccountType: 1,
          Instrument: { Symbol: p.symbol },
          SettlPrice: 600,
          SettlPriceType: 1,
          PriorSettlPrice: 600,
          PositionQty: {
            NoPositions: [
              { PosType: 'SOD', LongQty: p.sod[0], ShortQty: p.sod[1] },
              { PosType: 'ITD', LongQty: p.itd[0], ShortQty: p.itd[1] },
            ],
          },
        });
    } else if (t === 'BB') {
      this.push('BA', {
        CollRptID: 'C1',
        CollInquiryID: m.CollInquiryID,
        CollStatus: 3,
        Account: m.Account,
        TotalNetValue: this.st.funds.balance / 100,
        MarginExcess: this.st.funds.available / 100,
      });
    } else if (t === 'V') {
      for (const s of m.InstrmtMDReqGrp?.NoRelatedSym ?? [])
        this.push(
          'W',
          mdSnapshot({
            symbol: s.Instrument.Symbol,
            bids: [{ price: 61200, qty: 5 }],
            asks: [{ price: 61202, qty: 5 }],
            last: { price: 61200, qty: 1 },
            volume: 10,
            settlement: 60000,
          }),
        );
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

function er(
  o: NewOrder,
  orderId: string,
  execType: string,
  ordStatus: string,
  cumQty: number,
  last?: { qty: number; px: number },
) {
  return executionReport({
    orderId,
    clOrdId: o.clOrdId,
    execId: `${orderId}-${execType}-${cumQty}`,
    execType,
    ordStatus,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    qty: o.qty,
    ...(o.offset ? { offset: o.offset } : {}),
    leavesQty: o.qty - cumQty,
    cumQty,
    avgPx: cumQty > 0 ? o.price : 0,
    ...(last ? { lastQty: last.qty, lastPx: last.px } : {}),
    transactTime: new Date(),
  });
}

/** Keeps the stub's positions from its fills (today's lots only: the stub has no settlement). */
function track(st: StubState, o: NewOrder, qty: number): void {
  let p = st.positions.find((x) => x.symbol === o.symbol);
  if (!p) {
    p = { symbol: o.symbol, sod: [0, 0], itd: [0, 0] };
    st.positions.push(p);
  }
  const opening = (o.offset ?? 'open') === 'open';
  const leg = opening === (o.side === 'buy') ? 0 : 1;
  const take = (bucket: [number, number], n: number) => {
    const k = Math.min(n, bucket[leg]);
    bucket[leg] -= k;
    return n - k;
  };
  if (opening) p.itd[leg] += qty;
  else if (o.offset === 'close-today') take(p.sod, take(p.itd, qty));
  else take(p.itd, take(p.sod, qty));
}

/** Starts the stub on a port; returns its state, a fill helper and a stop function. */
export function startStubCounter(port: number, password = 'pw', storeDir?: string) {
  const st: StubState = {
    orders: new Map(),
    newOrders: new Map(),
    price: 61200,
    received: [],
    positions: [],
    funds: { balance: 100_000_000, available: 90_000_000 },
  };
  const fe: FixEndpoint = startFix(
    acceptorDescription({
      port,
      host: '127.0.0.1',
      senderCompId: 'COUNTER',
      name: 'stub',
      ...(storeDir ? { storeDir } : {}),
    }),
    (c) => new StubSession(c as IJsFixConfig, st, password),
    createLogger('stub', { level: 'silent' }),
  );
  const fill = (clOrdId: string, qty: number) => {
    const o = st.orders.get(clOrdId)!;
    o.cumQty += qty;
    track(st, o.order, qty);
    o.status = o.cumQty >= o.order.qty ? OrdStatus.filled : OrdStatus.partiallyFilled;
    st.session?.push(
      '8',
      er(o.order, o.orderId, ExecType.trade, o.status, o.cumQty, { qty, px: o.order.price }),
    );
  };
  let ticker: NodeJS.Timeout | undefined;
  return {
    st,
    /**
     * Starts a market: every `ms` the price walks one tick, a snapshot goes out, and working orders that
     * the price crosses fill one lot at a time (so partial fills happen).
     */
    tickEvery(ms: number, symbol = 'au2606') {
      let n = 0;
      ticker = setInterval(() => {
        st.price += (Math.floor(Math.random() * 3) - 1) * 2;
        n++;
        for (const [id, o] of st.orders)
          if (
            (o.status === OrdStatus.new || o.status === OrdStatus.partiallyFilled) &&
            (o.order.side === 'buy' ? o.order.price >= st.price : o.order.price <= st.price)
          )
            fill(id, 1);
        st.session?.push(
          'W',
          mdSnapshot({
            symbol,
            bids: [{ price: st.price - 2, qty: 5 }],
            asks: [{ price: st.price, qty: 5 }],
            last: { price: st.price, qty: 1 },
            volume: n,
            settlement: 60000,
          }),
        );
      }, ms);
    },
    /** Fills `qty` of an order at its price. */
    fill,
    stop: () => {
      clearInterval(ticker);
      fe.stop();
    },
  };
}
