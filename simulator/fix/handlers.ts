/**
 * Application-message handlers of the counter: decoded FIX bodies in, market commands and replies out.
 * Every bad input becomes the FIX reject a broker front would send, with a clear Text(58):
 * ExecutionReport 39=8 for orders, OrderCancelReject for cancels/modifies, MarketDataRequestReject,
 * BusinessMessageReject for unsupported messages or missing fields.
 */
import { CxlRejReason, MsgTypes, OrdStatus } from '../../common/fix/fields.ts';
import { orderCancelReject, parseNewOrderSingle } from '../../common/fix/messages.ts';
import type { Counter, SessionPort } from '../counter.ts';
import { RejectCodes } from '../market/errors.ts';
import type { MarketEvent } from '../market/types.ts';
import {
  bookView,
  collateralReport,
  orderReport,
  positionReports,
  securityDefinition,
  securityList,
  snapshotReply,
} from './replies.ts';

type Body = Record<string, any>;

/** Handles one message; returns market events for the counter to dispatch. */
export function handleMessage(
  c: Counter,
  s: SessionPort,
  msgType: string,
  m: Body,
  seqNum: number,
): MarketEvent[] {
  const bizReject = (text: string, reason = 0) => {
    s.deliver(MsgTypes.BusinessMessageReject, {
      RefSeqNum: seqNum,
      RefMsgType: msgType,
      BusinessRejectReason: reason,
      Text: text,
    });
    return [];
  };
  const wrongAccount = m.Account !== undefined && m.Account !== null && String(m.Account) !== s.account;
  switch (msgType) {
    case MsgTypes.NewOrderSingle:
      return newOrder(c, s, m, seqNum, wrongAccount);
    case MsgTypes.OrderCancelRequest: {
      const clOrdId = String(m.ClOrdID ?? '');
      const orig = m.OrigClOrdID !== undefined ? String(m.OrigClOrdID) : undefined;
      if (!clOrdId || (!orig && !m.OrderID))
        return bizReject('OrderCancelRequest needs ClOrdID(11) and OrigClOrdID(41) or OrderID(37)', 5);
      if (wrongAccount)
        return cancelReject(s, m, '1', `account ${m.Account} does not belong to this session`);
      const r = c.market.cancel(s.account, {
        ...(orig ? { origClOrdId: orig } : {}),
        ...(m.OrderID ? { orderId: String(m.OrderID) } : {}),
      });
      if (r.reject) {
        s.deliver(
          MsgTypes.OrderCancelReject,
          orderCancelReject({
            orderId: r.order?.orderId ?? 'NONE',
            clOrdId,
            origClOrdId: orig ?? '',
            ordStatus: r.order ? statusCode(r.order.status) : OrdStatus.rejected,
            responseTo: '1',
            reason: r.order ? CxlRejReason.tooLate : RejectCodes[r.reject.code].fix,
            text: r.reject.text,
            account: s.account,
          }),
        );
        return [];
      }
      return r.events;
    }
    case MsgTypes.OrderCancelReplaceRequest:
      return cancelReject(
        s,
        m,
        '2',
        'order modification is not supported on SHFE: cancel the order (35=F), then send a new one (35=D)',
        CxlRejReason.brokerOption,
      );
    case MsgTypes.OrderStatusRequest: {
      const o = m.OrderID
        ? c.market.orders.get(String(m.OrderID))
        : c.market.orderByClOrdId(s.account, String(m.ClOrdID ?? ''));
      if (!o || o.account !== s.account) {
        s.deliver(MsgTypes.ExecutionReport, {
          OrderID: 'NONE',
          ClOrdID: String(m.ClOrdID ?? ''),
          ExecID: `status-${seqNum}`,
          ExecType: 'I',
          OrdStatus: OrdStatus.rejected,
          Instrument: { Symbol: String(m.Instrument?.Symbol ?? 'NONE') },
          Side: String(m.Side ?? '1'),
          LeavesQty: 0,
          CumQty: 0,
          AvgPx: 0,
          Text: `unknown order ${m.ClOrdID ?? m.OrderID ?? ''}`,
        });
        return [];
      }
      s.deliver(
        MsgTypes.ExecutionReport,
        orderReport(o, 'I', `status-${o.orderId}-${seqNum}`, c.clock.now(), m.OrdStatusReqID ? {} : {}),
      );
      return [];
    }
    case MsgTypes.OrderMassCancelRequest: {
      const type = String(m.MassCancelRequestType ?? '');
      const symbol = m.Instrument?.Symbol ? String(m.Instrument.Symbol) : undefined;
      if (type !== '1' && type !== '7') {
        s.deliver(MsgTypes.OrderMassCancelReport, {
          ClOrdID: String(m.ClOrdID ?? ''),
          OrderID: 'NONE',
          MassCancelRequestType: type || '0',
          MassCancelResponse: '0',
          MassCancelRejectReason: '1',
          Text: 'MassCancelRequestType(530) must be 1 (by symbol) or 7 (all orders)',
        });
        return [];
      }
      if (type === '1' && !symbol) return bizReject('MassCancelRequestType 1 needs Symbol(55)', 5);
      const r = c.market.massCancel(s.account, type === '1' ? symbol : undefined);
      s.deliver(MsgTypes.OrderMassCancelReport, {
        ClOrdID: String(m.ClOrdID ?? ''),
        OrderID: `MC-${seqNum}`,
        MassCancelRequestType: type,
        MassCancelResponse: type,
        TotalAffectedOrders: r.count,
        ...(symbol ? { Instrument: { Symbol: symbol } } : {}),
      });
      return r.events;
    }
    case MsgTypes.MarketDataRequest:
      return marketData(c, s, m);
    case MsgTypes.SecurityListRequest:
      s.deliver(MsgTypes.SecurityList, securityList(c.market, String(m.SecurityReqID ?? seqNum)));
      return [];
    case MsgTypes.SecurityDefinitionRequest: {
      const sym = String(m.Instrument?.Symbol ?? '');
      const reqId = String(m.SecurityReqID ?? seqNum);
      if (!c.market.instruments.has(sym)) {
        s.deliver(MsgTypes.SecurityDefinition, {
          SecurityReqID: reqId,
          SecurityResponseID: `SD-${reqId}`,
          SecurityResponseType: 5,
          Text: `unknown symbol ${sym}`,
        });
        return [];
      }
      s.deliver(MsgTypes.SecurityDefinition, securityDefinition(c.market, reqId, sym));
      return [];
    }
    case MsgTypes.RequestForPositions: {
      const reqId = String(m.PosReqID ?? seqNum);
      if (wrongAccount) return bizReject(`account ${m.Account} does not belong to this session`);
      const reports = positionReports(c.market, s.account, reqId);
      s.deliver(MsgTypes.RequestForPositionsAck, {
        PosMaintRptID: `ACK-${reqId}`,
        PosReqID: reqId,
        TotalNumPosReports: reports.length,
        PosReqResult: reports.length > 0 ? 0 : 2,
        PosReqStatus: 0,
        Account: s.account,
        AccountType: 1,
        ...(reports.length === 0 ? { Text: 'no positions' } : {}),
      });
      for (const r of reports) s.deliver(MsgTypes.PositionReport, r);
      return [];
    }
    case MsgTypes.CollateralInquiry: {
      if (wrongAccount) return bizReject(`account ${m.Account} does not belong to this session`);
      const r = collateralReport(c.market, s.account, String(m.CollInquiryID ?? seqNum));
      if (r) s.deliver(MsgTypes.CollateralReport, r);
      return [];
    }
    default:
      return bizReject(`unsupported message type ${msgType}`, 3);
  }
}

function statusCode(st: string): string {
  return st === 'filled'
    ? OrdStatus.filled
    : st === 'canceled'
      ? OrdStatus.canceled
      : st === 'rejected'
        ? OrdStatus.rejected
        : st === 'partially-filled'
          ? OrdStatus.partiallyFilled
          : OrdStatus.new;
}

function cancelReject(
  s: SessionPort,
  m: Body,
  to: '1' | '2',
  text: string,
  reason: number = CxlRejReason.other,
): MarketEvent[] {
  s.deliver(
    MsgTypes.OrderCancelReject,
    orderCancelReject({
      orderId: String(m.OrderID ?? 'NONE'),
      clOrdId: String(m.ClOrdID ?? ''),
      origClOrdId: String(m.OrigClOrdID ?? ''),
      ordStatus: OrdStatus.rejected,
      responseTo: to,
      reason,
      text,
      account: s.account,
    }),
  );
  return [];
}

function newOrder(c: Counter, s: SessionPort, m: Body, seqNum: number, wrongAccount: boolean): MarketEvent[] {
  const p = parseNewOrderSingle(m);
  if (!p.ok) {
    if (typeof m.ClOrdID !== 'string' || !m.ClOrdID) {
      s.deliver(MsgTypes.BusinessMessageReject, {
        RefSeqNum: seqNum,
        RefMsgType: 'D',
        BusinessRejectReason: 5,
        Text: p.reason,
      });
      return [];
    }
    s.deliver(MsgTypes.ExecutionReport, {
      OrderID: 'NONE',
      ClOrdID: m.ClOrdID,
      ExecID: `rej-${seqNum}`,
      ExecType: '8',
      OrdStatus: OrdStatus.rejected,
      OrdRejReason: p.field === 40 || p.field === 59 || p.field === 77 ? RejectCodes.UNSUPPORTED.fix : 99,
      Account: s.account,
      Instrument: { Symbol: String(m.Instrument?.Symbol ?? 'NONE') },
      Side: ['1', '2'].includes(m.Side) ? m.Side : '1',
      LeavesQty: 0,
      CumQty: 0,
      AvgPx: 0,
      Text: p.reason,
    });
    c.metrics.rejects.inc({ code: 'BAD_FIELD' });
    return [];
  }
  if (wrongAccount) {
    s.deliver(MsgTypes.ExecutionReport, {
      OrderID: 'NONE',
      ClOrdID: p.order.clOrdId,
      ExecID: `rej-${seqNum}`,
      ExecType: '8',
      OrdStatus: OrdStatus.rejected,
      OrdRejReason: RejectCodes.UNKNOWN_ACCOUNT.fix,
      Account: String(m.Account),
      Instrument: { Symbol: p.order.symbol },
      Side: m.Side,
      LeavesQty: 0,
      CumQty: 0,
      AvgPx: 0,
      Text: `account ${m.Account} does not belong to this session (logged on as ${s.account})`,
    });
    return [];
  }
  const o = p.order;
  return c.market.submit(s.account, {
    clOrdId: o.clOrdId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    qty: o.qty,
    tif: o.tif ?? 'day',
    offset: o.offset ?? 'open',
  }).events;
}

function marketData(c: Counter, s: SessionPort, m: Body): MarketEvent[] {
  const reqId = String(m.MDReqID ?? '');
  const type = String(m.SubscriptionRequestType ?? '0');
  const depth = Math.min(5, Math.max(1, Number(m.MarketDepth) || 5));
  const symbols = ((m.InstrmtMDReqGrp?.NoRelatedSym ?? []) as Body[]).map((r) =>
    String(r.Instrument?.Symbol ?? ''),
  );
  const rejectMd = (text: string, reason: string) => {
    s.deliver(MsgTypes.MarketDataRequestReject, { MDReqID: reqId, MDReqRejReason: reason, Text: text });
    return [];
  };
  if (!reqId) return rejectMd('MDReqID(262) is required', '0');
  if (symbols.length === 0) return rejectMd('no instruments requested (NoRelatedSym 146)', '0');
  const unknown = symbols.filter((x) => !c.market.instruments.has(x));
  if (unknown.length > 0)
    return rejectMd(
      `unknown symbol ${unknown.join(',')}: listed are ${[...c.market.instruments.keys()].join(',')}`,
      '0',
    );
  if (type === '2') {
    for (const sym of symbols) s.subscriptions.delete(sym);
    return [];
  }
  if (type !== '0' && type !== '1')
    return rejectMd(`SubscriptionRequestType(263)=${type} not supported`, '4');
  for (const sym of symbols) {
    s.deliver(MsgTypes.MarketDataSnapshotFullRefresh, snapshotReply(c.market, sym, reqId, depth));
    if (type === '1')
      s.subscriptions.set(sym, { mdReqId: reqId, depth, last: bookView(c.market, sym, depth) });
  }
  return [];
}
