/**
 * SHFE gold contract rules as pure functions, shared by the counter simulator and the trading runtime.
 * Prices are integer cents per gram, money integer fen; time is always an argument.
 */
export * from './calendar.ts';
export * from './instrument.ts';
export * from './limits.ts';
export * from './offsets.ts';
export * from './price.ts';
export * from './session.ts';
export * from './spec.ts';
export * from './trading-day-memo.ts';
