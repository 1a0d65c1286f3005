/**
 * Pre-trade checks of a new order, in the order a broker front applies them; each failure is a
 * {@link Reject} with a clear text for FIX Text(58).
 */
import type { TimeInForce } from '../../common/fix/fields.ts';
import {
  type ContractSpec,
  formatPrice,
  isOnTick,
  type Offset,
  type Price,
  type Side,
  sessionPhase,
  type TradingCalendar,
} from '../../common/shfe/index.ts';
import { type Reject, reject } from './errors.ts';
import type { InstrumentState } from './types.ts';

/** The order fields the checks need. */
export interface OrderToCheck {
  symbol: string;
  side: Side;
  price: Price;
  qty: number;
  tif: TimeInForce;
  offset: Offset;
}

/**
 * Static checks (no account state): instrument, session, halt, quantity, tick grid, price limits.
 * @param inst undefined when the symbol is unknown / not listed
 * @param alwaysOpen skip the session check (demo/test mode)
 */
export function checkOrder(
  o: OrderToCheck,
  inst: InstrumentState | undefined,
  spec: ContractSpec,
  cal: TradingCalendar,
  now: number,
  alwaysOpen: boolean,
): Reject | undefined {
  if (!inst)
    return reject('UNKNOWN_SYMBOL', `unknown symbol ${o.symbol}: not a listed ${spec.product} contract`);
  if (!alwaysOpen) {
    const phase = sessionPhase(cal, now);
    if (phase !== 'continuous' && phase !== 'call-auction') {
      return reject(
        'MARKET_CLOSED',
        `market closed (${phase}) for ${o.symbol}: orders are accepted 09:00-10:15, 10:30-11:30, 13:30-15:00, 20:55-02:30 Beijing time`,
      );
    }
  }
  if (inst.halted) return reject('HALTED', `${o.symbol} is halted`);
  if (!Number.isSafeInteger(o.qty) || o.qty <= 0 || o.qty > spec.maxOrderLots) {
    return reject('BAD_QUANTITY', `quantity ${o.qty} must be 1..${spec.maxOrderLots} lots`);
  }
  if (!isOnTick(o.price, spec.tick)) {
    return reject(
      'OFF_TICK',
      `price ${formatPrice(o.price)} is off the tick grid: must be a multiple of ${formatPrice(spec.tick)}`,
    );
  }
  if (o.price > inst.upper || o.price < inst.lower) {
    return reject(
      'PRICE_LIMIT',
      `price ${formatPrice(o.price)} outside today's limits ${formatPrice(inst.lower)}-${formatPrice(inst.upper)}`,
    );
  }
  return undefined;
}
