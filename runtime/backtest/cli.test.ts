import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.ts';

const EMA = resolve(import.meta.dirname, '../../examples/strategies/ema-cross.js');
const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the CLI in-process; returns its exit code and what it wrote. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('backtest CLI', () => {
  it('replays synthetic ticks and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-bt-cli-'));
    dirs.push(dir);
    const out = join(dir, 'report.json');
    const r = await cli(
      '--strategy',
      EMA,
      '--synthetic',
      '5000',
      '--params',
      '{"fast":3,"slow":8,"useTicks":true}',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^ticks 5000, bars \d+, trades \d+, net PnL -?[\d.]+ CNY/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.summary.ticks).toBe(5000);
    expect(report.summary.trades).toBeGreaterThan(0);
  });

  it('--help prints the usage and succeeds; no data source is a usage error', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: node runtime\/backtest\/cli.ts --strategy <file>/);
    const none = await cli('--strategy', EMA);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^usage:/);
  });

  it('bad option values get a clear error before anything runs', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--synthetic', 'abc'], /--synthetic needs a positive whole number of ticks, got "abc"/],
      [['--synthetic', '0'], /--synthetic needs a positive whole number/],
      [['--synthetic', '10', '--capital=-5'], /--capital needs a positive amount in CNY, got "-5"/],
      [['--synthetic', '10', '--seed', 'x'], /--seed needs a whole number/],
      [['--synthetic', '10', '--params', '{fast:5}'], /--params is not JSON/],
      [['--synthetic', '10', '--params', '[5]'], /--params must be a JSON object/],
      [['--synthetic', '10', '--nope'], /Unknown option '--nope'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('--strategy', EMA, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
  });

  it('a bad tick file, a missing strategy or bad parameters fail with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-bt-cli-'));
    dirs.push(dir);
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'time,instrument,bid\n1,au2606,abc\n');
    const file = await cli('--strategy', EMA, '--ticks', csv);
    expect(file).toMatchObject({ code: 1 });
    expect(file.err).toMatch(/^backtest failed: line 1: a tick file needs columns time and last/);
    const missing = await cli('--strategy', join(dir, 'nope.js'), '--synthetic', '10');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^backtest failed: Cannot find module/);
    const params = await cli('--strategy', EMA, '--synthetic', '10', '--params', '{"fast":"x"}');
    expect(params.code).toBe(1);
    expect(params.err).toMatch(/^backtest failed: parameters: "fast" must be an integer/);
  });
});
