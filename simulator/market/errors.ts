/**
 * The simulator's error catalog: every business reject carries a stable code (for logs, metrics and the
 * admin API) and a FIX reason (OrdRejReason 103 / CxlRejReason 102); the human text goes to FIX Text 58.
 */
import { CxlRejReason, OrdRejReason } from '../../common/fix/fields.ts';

/** Stable reject codes. */
export const RejectCodes = {
  UNKNOWN_SYMBOL: {
    fix: OrdRejReason.unknownSymbol,
    doc: 'symbol malformed or not listed on the trading day',
  },
  MARKET_CLOSED: { fix: OrdRejReason.exchangeClosed, doc: 'order outside the trading sessions' },
  HALTED: { fix: OrdRejReason.exchangeClosed, doc: 'instrument halted by the operator' },
  OFF_TICK: { fix: OrdRejReason.other, doc: 'price not on the 0.02 CNY/g tick grid' },
  PRICE_LIMIT: {
    fix: OrdRejReason.priceExceedsBand,
    doc: 'price outside the daily limit-up/limit-down band',
  },
  BAD_QUANTITY: {
    fix: OrdRejReason.incorrectQuantity,
    doc: 'quantity not a whole number of lots within the maximum',
  },
  INSUFFICIENT_MARGIN: { fix: OrdRejReason.orderExceedsLimit, doc: 'available funds below margin + fee' },
  INSUFFICIENT_POSITION: {
    fix: OrdRejReason.other,
    doc: 'not enough position (today/yesterday as the offset requires)',
  },
  DUPLICATE_ORDER: { fix: OrdRejReason.duplicateOrder, doc: 'ClOrdID already used by this account' },
  UNKNOWN_ACCOUNT: { fix: OrdRejReason.unknownAccount, doc: 'Account(1) does not belong to the session' },
  UNSUPPORTED: {
    fix: OrdRejReason.unsupportedOrderCharacteristic,
    doc: 'order type/field not supported by SHFE',
  },
  SELF_TRADE: { fix: OrdRejReason.other, doc: 'order would trade against the same account' },
  UNKNOWN_ORDER: {
    fix: CxlRejReason.unknownOrder,
    doc: 'cancel for an order that does not exist or is not working',
  },
  MODIFY_NOT_SUPPORTED: {
    fix: CxlRejReason.brokerOption,
    doc: 'SHFE has no modify: cancel, then send a new order',
  },
} as const;

/** A reject code. */
export type RejectCode = keyof typeof RejectCodes;

/** A business reject. */
export interface Reject {
  code: RejectCode;
  /** Human text for FIX Text(58). */
  text: string;
}

/** Builds a reject. */
export function reject(code: RejectCode, text: string): Reject {
  return { code, text };
}
