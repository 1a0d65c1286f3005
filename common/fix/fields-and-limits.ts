/**
 * Convenience re-export for gateways: FIX field codes and mappings together with the SHFE price limits
 * (both are needed to interpret market data and execution reports).
 */

export { type PriceLimits, priceLimits } from '../shfe/limits.ts';
export * from './fields.ts';
