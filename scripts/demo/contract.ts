/**
 * Which gold contract the demo trades: a fixed code in a static example expires (examples/ names au2606,
 * which stops trading in June 2026), so the demo picks one listed on today's trading day with the same rules
 * the counter simulator lists contracts by (common/shfe): the first even-month contract after the nearest one
 * (gold's active contracts are the even months; the nearest may be close to delivery).
 */
import { listedContracts, makeCalendar, tradingDayOf } from '../../common/shfe/index.ts';

/** The contract code for `nowMs` (epoch ms), e.g. `au2702` on 2026-11-25. */
export function demoContract(nowMs: number): string {
  const cal = makeCalendar();
  const listed = listedContracts(cal, tradingDayOf(cal, nowMs));
  return listed.find((c, i) => i > 0 && Number(c.slice(-2)) % 2 === 0) ?? listed[0]!;
}

/** The TradingPlatform objects in `objects`, set to trade `contract` only (market data and every strategy). */
export function tradeContract(objects: Record<string, any>[], contract: string): Record<string, any>[] {
  return objects.map((o) => {
    if (o.kind !== 'TradingPlatform') return o;
    const spec = { ...o.spec, marketData: { ...o.spec.marketData, instruments: [contract] } };
    spec.strategies = (o.spec.strategies ?? []).map((s: Record<string, unknown>) => ({
      ...s,
      instruments: [contract],
    }));
    return { ...o, spec };
  });
}
