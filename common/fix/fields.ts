/**
 * FIX 4.4 field values <-> common/shfe types, shared by the counter simulator and the runtime's gateway.
 *
 * Agreed representation of SHFE offsets in PositionEffect (77) — the one Aurum-specific convention:
 *   `O` open · `C` close (SHFE semantics: a plain close closes YESTERDAY's position) ·
 *   `T` close-today (平今) · `Y` close-yesterday (平昨), explicit.
 * `T` and `Y` are user-defined values of a standard tag, so no dictionary change is needed (QuickFIX/J only
 * sees them if it sends them). Omitted 77 means open.
 *
 * Others: Side 54 `1` buy / `2` sell; OrdType 40 `2` limit only (SHFE has no market orders);
 * TimeInForce 59 `0` day (default) / `3` IOC = FAK / `4` FOK.
 * Prices travel as decimals; {@link toFixPrice} gives jspurefix a number whose shortest decimal form is exact.
 */
import type { Offset, Side } from '../shfe/offsets.ts';
import { type Price, parsePrice } from '../shfe/price.ts';

/** Order time in force in Aurum terms. */
export type TimeInForce = 'day' | 'fak' | 'fok';

/** Side (54). */
export const FixSide = { buy: '1', sell: '2' } as const;
/** OrdType (40). */
export const FixOrdType = { market: '1', limit: '2' } as const;
/** TimeInForce (59). */
export const FixTif = { day: '0', fak: '3', fok: '4' } as const;
/** PositionEffect (77), see the module comment for `T`/`Y`. */
export const FixPositionEffect = {
  open: 'O',
  close: 'C',
  'close-today': 'T',
  'close-yesterday': 'Y',
} as const;

/** ExecType (150). */
export const ExecType = {
  new: '0',
  canceled: '4',
  replaced: '5',
  rejected: '8',
  expired: 'C',
  trade: 'F',
  orderStatus: 'I',
} as const;

/** OrdStatus (39). */
export const OrdStatus = {
  new: '0',
  partiallyFilled: '1',
  filled: '2',
  canceled: '4',
  rejected: '8',
  expired: 'C',
} as const;

/** OrdRejReason (103). */
export const OrdRejReason = {
  brokerOption: 0,
  unknownSymbol: 1,
  exchangeClosed: 2,
  orderExceedsLimit: 3,
  duplicateOrder: 6,
  unsupportedOrderCharacteristic: 11,
  incorrectQuantity: 13,
  unknownAccount: 15,
  priceExceedsBand: 16,
  other: 99,
} as const;

/** CxlRejReason (102). */
export const CxlRejReason = { tooLate: 0, unknownOrder: 1, brokerOption: 2, other: 99 } as const;

/** MsgType (35) values Aurum uses. */
export const MsgTypes = {
  Heartbeat: '0',
  TestRequest: '1',
  ResendRequest: '2',
  Reject: '3',
  SequenceReset: '4',
  Logout: '5',
  ExecutionReport: '8',
  OrderCancelReject: '9',
  Logon: 'A',
  NewOrderSingle: 'D',
  OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G',
  OrderStatusRequest: 'H',
  BusinessMessageReject: 'j',
  MarketDataRequest: 'V',
  MarketDataSnapshotFullRefresh: 'W',
  MarketDataIncrementalRefresh: 'X',
  MarketDataRequestReject: 'Y',
  SecurityDefinitionRequest: 'c',
  SecurityDefinition: 'd',
  SecurityListRequest: 'x',
  SecurityList: 'y',
  OrderMassCancelRequest: 'q',
  OrderMassCancelReport: 'r',
  RequestForPositions: 'AN',
  RequestForPositionsAck: 'AO',
  PositionReport: 'AP',
  CollateralInquiry: 'BB',
  CollateralReport: 'BA',
  CollateralInquiryAck: 'BG',
} as const;

/** Parses Side (54). */
export function parseSide(v: unknown): Side | undefined {
  return v === '1' ? 'buy' : v === '2' ? 'sell' : undefined;
}

/** Parses TimeInForce (59); absent means day. */
export function parseTif(v: unknown): TimeInForce | undefined {
  if (v === undefined || v === null || v === '' || v === '0') return 'day';
  return v === '3' ? 'fak' : v === '4' ? 'fok' : undefined;
}

/** Parses PositionEffect (77); absent means open. */
export function parseOffset(v: unknown): Offset | undefined {
  switch (v) {
    case undefined:
    case null:
    case '':
    case 'O':
      return 'open';
    case 'C':
      return 'close';
    case 'T':
      return 'close-today';
    case 'Y':
      return 'close-yesterday';
    default:
      return undefined;
  }
}

/** A {@link Price} as the number jspurefix writes: `61234` → `612.34` (prints exactly). */
export function toFixPrice(p: Price): number {
  return p / 100;
}

/** A FIX price (string or number as decoded) to a {@link Price}; undefined when not exact at 2 decimals. */
export function fromFixPrice(v: unknown): Price | undefined {
  if (typeof v === 'number' || typeof v === 'string') return parsePrice(v);
  return undefined;
}

/** Positive integer quantity from a FIX Qty value. */
export function parseQty(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
