/**
 * The backtest report, built from what a replay recorded (replay-record.ts): every trade and the equity
 * curve in exact decimal strings, the maximum drawdown over the curve, and the summary. Pure.
 */
import { formatDecimal2 } from '../../common/shfe/index.ts';
import type { Offset } from '../domain/types.ts';
import { isoTimeFormatter } from './clock.ts';
import { decimalText } from './money-text.ts';
import type { EquityColumns, FillColumns, ReplayRecord } from './replay-record.ts';

/** One trade in the report. */
export interface BacktestTrade {
  time: string;
  instrument: string;
  side: 'buy' | 'sell';
  offset: Offset;
  price: string;
  quantity: number;
  commission: string;
  realizedPnl: string;
}

/** The report (JSON). Money as decimal strings in CNY. */
export interface BacktestReport {
  strategy: string;
  params: Record<string, unknown>;
  summary: {
    ticks: number;
    bars: number;
    orders: number;
    trades: number;
    startEquity: string;
    finalEquity: string;
    netPnl: string;
    realizedPnl: string;
    commission: string;
    maxDrawdown: string;
    /** Percent of the peak equity, two decimals. */
    maxDrawdownPct: string;
    /** Wall-clock replay speed. */
    ticksPerSecond: number;
  };
  equityCurve: Array<{ time: string; equity: string }>;
  trades: BacktestTrade[];
  logs: string[];
}

/** The report of one replay. @throws RangeError when an amount is not a whole number of fen */
export function buildReport(r: ReplayRecord): BacktestReport {
  // Each loop in a function of its own: a long loop is compiled while it runs, and reaching code after it
  // in the same function, never run before, threw that compiled code away (seen with --trace-deopt).
  const trades = tradesOf(r.fills);
  const { curve, maxDd, maxDdPct } = equityCurveOf(r.equity, r.capital);
  const final = curve.at(-1)?.equity ?? formatDecimal2(r.capital);
  const finalFen = Math.round(Number(final.replace('.', '')));
  return {
    strategy: r.strategyFile,
    params: r.params,
    summary: {
      ticks: r.ticks,
      bars: r.bars,
      orders: r.orders,
      trades: trades.length,
      startEquity: formatDecimal2(r.capital),
      finalEquity: final,
      netPnl: formatDecimal2(finalFen - r.capital),
      realizedPnl: formatDecimal2(r.realizedPnl),
      commission: formatDecimal2(r.commission),
      maxDrawdown: formatDecimal2(maxDd),
      maxDrawdownPct: formatDecimal2(maxDdPct),
      ticksPerSecond: r.replaySeconds > 0 ? Math.round(r.ticks / r.replaySeconds) : r.ticks,
    },
    equityCurve: curve,
    trades,
    logs: r.logs,
  };
}

/** Every fill as a trade of the report. */
function tradesOf(f: FillColumns): BacktestTrade[] {
  const iso = isoTimeFormatter();
  const money = decimalText();
  const trades: BacktestTrade[] = [];
  for (let i = 0; i < f.length; i++)
    trades.push({
      time: iso(f.time[i]!),
      instrument: f.instrument[i]!,
      side: f.side[i]!,
      offset: f.offset[i]!,
      price: money(f.price[i]!),
      quantity: f.quantity[i]!,
      commission: money(f.commission[i]!),
      realizedPnl: money(f.realizedPnl[i]!),
    });
  return trades;
}

/** The equity curve and its maximum drawdown (fen, and percent of the peak in hundredths). */
function equityCurveOf(
  e: EquityColumns,
  capital: number,
): { curve: BacktestReport['equityCurve']; maxDd: number; maxDdPct: number } {
  const iso = isoTimeFormatter();
  const curve: BacktestReport['equityCurve'] = [];
  // Drawdown from the highest equity so far, which starts at the capital.
  let peak = capital;
  let maxDd = 0;
  let maxDdPct = 0;
  for (let i = 0; i < e.length; i++) {
    const equity = e.equity[i]!;
    curve.push({ time: iso(e.time[i]!), equity: formatDecimal2(equity) });
    if (equity > peak) peak = equity;
    if (peak - equity > maxDd) maxDd = peak - equity;
    const pct = peak > 0 ? Math.round(((peak - equity) * 10_000) / peak) : 0;
    if (pct > maxDdPct) maxDdPct = pct;
  }
  return { curve, maxDd, maxDdPct };
}
