/**
 * Crash-resume of the FIX session, with real processes: the runtime's FixGateway (a child process streaming
 * orders) against the real counter simulator (another child process streaming market data), both with
 * their file stores, through a tap that records the wire. Either process is SIGKILLed at random points
 * mid-stream, again and again, and restarted on the same store. Every logon must succeed without
 * ResetSeqNumFlag, each side's numbers must continue above anything it sent before (never back to 1, never
 * "too low"), and the gap a restart leaves must be asked for (ResendRequest) and filled.
 *
 * To debug: CHILD_LOG_DIR=<dir> keeps each child's output there, CHILD_LOG_LEVEL=debug makes it talk.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../common/fix/testing.ts';
import { liveContract } from '../../testing/runtime-process.ts';
import { SIM_ACCOUNT } from '../../testing/simulator-process.ts';
import { type FixTap, type Frame, startFixTap, type TappedConnection } from './testing/fix-tap.ts';

const SIMULATOR = resolve(import.meta.dirname, '../../../simulator/main.ts');
const INITIATOR = resolve(import.meta.dirname, 'testing/streaming-initiator.ts');
const dir = mkdtempSync(join(tmpdir(), 'aurum-crash-resume-'));

interface Proc {
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
}
const running = new Set<Proc>();
let tap: FixTap | undefined;
afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  await tap?.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const p: Proc = { child, output, exited: new Promise((r) => child.once('exit', () => r())) };
  if (process.env.CHILD_LOG_DIR) {
    const f = `${process.env.CHILD_LOG_DIR}/${script.includes('simulator') ? 'sim' : 'ini'}-${child.pid}.log`;
    child.stdout?.on('data', (d: Buffer) => appendFileSync(f, d));
    child.stderr?.on('data', (d: Buffer) => appendFileSync(f, d));
  }
  running.add(p);
  p.exited.then(() => running.delete(p));
  return p;
}

async function kill(p: Proc): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}

async function until(what: string, cond: () => boolean, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${diagnostics()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const type = (f: Frame) => f.get(35);
const seq = (f: Frame) => Number(f.get(34));
const isLogon = (f: Frame) => type(f) === 'A';
const isResendRequest = (f: Frame) => type(f) === '2';
/** A SequenceReset-GapFill or a resent message: what answers a ResendRequest. */
const isResendAnswer = (f: Frame) => (type(f) === '4' && f.get(123) === 'Y') || f.get(43) === 'Y';
const loggedOn = (c: TappedConnection) => c.fromInitiator.some(isLogon) && c.fromCounter.some(isLogon);
/** Every ResendRequest on this connection was answered by the other side. */
const gapsAnswered = (c: TappedConnection) =>
  (!c.fromCounter.some(isResendRequest) || c.fromInitiator.some(isResendAnswer)) &&
  (!c.fromInitiator.some(isResendRequest) || c.fromCounter.some(isResendAnswer));
/** Connections that reached the counter process (not refused while it was down), from index `from`. */
const sessions = (from = 0) => (tap?.connections ?? []).slice(from).filter((c) => c.reachedCounter);
/** The open, logged-on session from index `from` on whose gaps are filled, if any. */
const resumed = (from: number) => sessions(from).find((c) => !c.closed && loggedOn(c) && gapsAnswered(c));

function diagnostics(): string {
  const lines = (tap?.connections ?? []).map((c, i) => {
    const show = (fs: Frame[]) =>
      fs
        .slice(0, 12)
        .map((f) => `${type(f)}:${seq(f)}${f.get(141) === 'Y' ? 'R' : ''}${f.get(43) === 'Y' ? 'P' : ''}`)
        .join(' ');
    return `#${i} closed=${c.closed} init[${c.fromInitiator.length}] ${show(c.fromInitiator)} | counter[${c.fromCounter.length}] ${show(c.fromCounter)}`;
  });
  return [...lines, ...[...running].map((p) => p.output.join('').slice(-1500))].join('\n');
}

async function startSimulator(fixPort: number, adminPort: number): Promise<Proc> {
  const config = join(dir, 'sim.json');
  writeFileSync(
    config,
    JSON.stringify({ liquidity: { enabled: true, intervalMs: 50 }, market: { alwaysOpen: true } }),
  );
  const p = run(SIMULATOR, {
    SIM_CONFIG: config,
    SIM_FIX_PORT: String(fixPort),
    SIM_ADMIN_PORT: String(adminPort),
    SIM_DATA_DIR: join(dir, 'sim'),
    SIM_ACCOUNTS: JSON.stringify([{ ...SIM_ACCOUNT, fundCny: '100000000' }]),
  });
  const healthy = () =>
    fetch(`http://127.0.0.1:${adminPort}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  const end = Date.now() + 60_000;
  while (!(await healthy())) {
    if (Date.now() > end || p.child.exitCode !== null)
      throw new Error(`simulator did not start: ${p.output.join('').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return p;
}

function startInitiator(port: number, instrument: string): Proc {
  return run(INITIATOR, {
    COUNTER_PORT: String(port),
    STORE_DIR: join(dir, 'runtime-fix'),
    INSTRUMENT: instrument,
    ACCOUNT: SIM_ACCOUNT.id,
    COMP_ID: SIM_ACCOUNT.compId,
    PASSWORD: SIM_ACCOUNT.password,
  });
}

describe('FIX sequence numbers across SIGKILLs of either side', () => {
  it('every logon succeeds without a reset, numbers continue, and the gaps are filled', async () => {
    const fixPort = await freePort();
    const adminPort = await freePort();
    const instrument = liveContract();
    let simulator = await startSimulator(fixPort, adminPort);
    tap = await startFixTap(fixPort);
    let initiator = startInitiator(tap.port, instrument);

    // Who dies in each round; each round kills after a random amount of traffic on a logged-on session.
    const victims = ['initiator', 'initiator', 'simulator', 'initiator', 'simulator', 'initiator'] as const;
    let from = 0;
    for (const victim of victims) {
      await until('a resumed session', () => resumed(from) !== undefined);
      const c = resumed(from)!;
      const initiatorFrames = c.fromInitiator.length + 2 + Math.floor(Math.random() * 40);
      const counterFrames = c.fromCounter.length + 1 + Math.floor(Math.random() * 20);
      await until(
        'traffic',
        () =>
          c.closed || (c.fromInitiator.length >= initiatorFrames && c.fromCounter.length >= counterFrames),
      );
      if (victim === 'initiator') {
        await kill(initiator);
        from = tap.connections.length;
        initiator = startInitiator(tap.port, instrument);
      } else {
        await kill(simulator);
        from = tap.connections.length;
        simulator = await startSimulator(fixPort, adminPort);
      }
    }
    // The last session resumes and keeps working after its gaps were filled.
    await until('the final session', () => resumed(from) !== undefined);
    const last = resumed(from)!;
    const settled = last.fromCounter.length + 20;
    await until('traffic after the gap fill', () => last.closed || last.fromCounter.length >= settled);
    expect(last.closed, diagnostics()).toBe(false);

    // ---- what went over the wire ----
    const all = sessions();
    const withLogon = all.filter((c) => c.fromInitiator.some(isLogon));
    expect(withLogon.length).toBeGreaterThanOrEqual(victims.length + 1);
    let highestFromInitiator = 0;
    let highestFromCounter = 0;
    for (const [i, c] of withLogon.entries()) {
      const logon = c.fromInitiator.find(isLogon)!;
      // Never a reset: the numbers are kept.
      expect(logon.get(141) ?? 'N', diagnostics()).toBe('N');
      // Never "MsgSeqNum too low": above anything this side sent before (and so never back to 1).
      expect(seq(logon), `initiator logon #${i}\n${diagnostics()}`).toBeGreaterThan(highestFromInitiator);
      // Every logon is accepted (a refused one closes the connection without a Logon answer).
      const answer = c.fromCounter.find(isLogon);
      expect(answer, `counter logon #${i}\n${diagnostics()}`).toBeDefined();
      expect(answer!.get(141) ?? 'N').toBe('N');
      expect(seq(answer!), `counter logon #${i}\n${diagnostics()}`).toBeGreaterThan(highestFromCounter);
      for (const f of [...c.fromInitiator, ...c.fromCounter])
        expect(f.get(58) ?? '', diagnostics()).not.toMatch(/too low/i);
      highestFromInitiator = Math.max(highestFromInitiator, ...c.fromInitiator.map(seq));
      highestFromCounter = Math.max(highestFromCounter, ...c.fromCounter.map(seq));
    }
    expect(highestFromInitiator).toBeGreaterThan(100);
    // After each restart the peer asked for the gap (a restarted side starts above what it sent), and
    // got it filled: the counter asks the runtime after runtime restarts, and vice versa.
    const later = withLogon.slice(1);
    expect(later.filter((c) => c.fromCounter.some(isResendRequest)).length).toBeGreaterThanOrEqual(4);
    expect(later.filter((c) => c.fromInitiator.some(isResendRequest)).length).toBeGreaterThanOrEqual(2);
    expect(
      later.filter((c) => c.fromInitiator.some((f) => type(f) === '4' && f.get(123) === 'Y')).length,
    ).toBeGreaterThanOrEqual(4);
    expect(later.filter((c) => c.fromCounter.some(isResendAnswer)).length).toBeGreaterThanOrEqual(2);
  }, 150_000);
});
