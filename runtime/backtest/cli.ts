/**
 * Backtest from the command line:
 *
 *   node runtime/backtest/cli.ts --strategy examples/strategies/ema-cross.js --ticks file.csv \
 *        [--bars bars.csv] [--params '{"fast":5}'] [--instrument au2606] [--capital 1000000] [--out report.json]
 *   node runtime/backtest/cli.ts --strategy … --synthetic 20000 [--seed 7]     (generated ticks)
 *
 * Prints a one-line summary to stderr and the JSON report to stdout (or --out).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bar, Tick } from '../domain/types.ts';
import { runBacktest } from './backtest.ts';
import { isBarFile, parseBars, parseTicks } from './csv.ts';
import { syntheticTicks } from './synthetic.ts';

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let a: ReturnType<typeof parse>;
  try {
    a = parse(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const { values: v } = a;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!v.strategy || (!v.ticks && !v.bars && !v.synthetic)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const bad = badOption(v);
  if (bad) {
    process.stderr.write(`${bad}\n`);
    return 2;
  }
  try {
    const params = v.params ? (JSON.parse(v.params) as Record<string, unknown>) : {};
    const instrument = v.instrument;
    let ticks: Tick[] | undefined;
    let bars: Bar[] | undefined;
    if (v.ticks) {
      const text = readFileSync(v.ticks, 'utf8');
      if (isBarFile(text)) bars = parseBars(text, instrument);
      else ticks = parseTicks(text, instrument);
    }
    if (v.bars) bars = parseBars(readFileSync(v.bars, 'utf8'), instrument);
    if (v.synthetic)
      ticks = syntheticTicks({
        count: Number(v.synthetic),
        seed: Number(v.seed ?? 1),
        ...(instrument ? { instrument } : {}),
      });
    const report = await runBacktest({
      strategyFile: resolve(v.strategy),
      ...(ticks ? { ticks } : {}),
      ...(bars ? { bars } : {}),
      params,
      ...(instrument ? { instruments: [instrument] } : {}),
      ...(v.capital ? { capital: Math.round(Number(v.capital) * 100) } : {}),
    });
    const s = report.summary;
    process.stderr.write(
      `ticks ${s.ticks}, bars ${s.bars}, trades ${s.trades}, net PnL ${s.netPnl} CNY, max drawdown ${s.maxDrawdown} CNY (${s.maxDrawdownPct}%), ${s.ticksPerSecond} ticks/s\n`,
    );
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (v.out) writeFileSync(v.out, json);
    else process.stdout.write(json);
    return 0;
  } catch (e) {
    process.stderr.write(`backtest failed: ${(e as Error).message}\n`);
    return 1;
  }
}

const USAGE = `usage: node runtime/backtest/cli.ts --strategy <file> (--ticks <csv> | --bars <csv> | --synthetic <n>)
         [--params <json object>] [--instrument <code>] [--capital <CNY>] [--seed <n>] [--out <file>]
Replays the strategy over the ticks (or bars) against the simulator's matching engine and prints the report
(JSON) to stdout or --out, and a one-line summary to stderr.
`;

/** Why an option's value cannot be used, or undefined when all can. */
function badOption(v: ReturnType<typeof parse>['values']): string | undefined {
  const positiveInteger = (x: string | undefined) => x === undefined || /^[1-9]\d*$/.test(x);
  if (!positiveInteger(v.synthetic))
    return `--synthetic needs a positive whole number of ticks, got "${v.synthetic}"`;
  if (v.seed !== undefined && !/^\d+$/.test(v.seed)) return `--seed needs a whole number, got "${v.seed}"`;
  if (v.capital !== undefined && !(Number(v.capital) > 0 && Number.isFinite(Number(v.capital))))
    return `--capital needs a positive amount in CNY, got "${v.capital}"`;
  if (v.params !== undefined) {
    let p: unknown;
    try {
      p = JSON.parse(v.params);
    } catch (e) {
      return `--params is not JSON: ${(e as Error).message}`;
    }
    if (typeof p !== 'object' || p === null || Array.isArray(p))
      return `--params must be a JSON object such as '{"fast":5}', got ${v.params}`;
  }
  return undefined;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      strategy: { type: 'string' },
      ticks: { type: 'string' },
      bars: { type: 'string' },
      synthetic: { type: 'string' },
      seed: { type: 'string' },
      params: { type: 'string' },
      instrument: { type: 'string' },
      capital: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
