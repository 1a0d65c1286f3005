import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../journal/journal.ts';
import { CrashGuard, decideStart, type RunRecord } from './crash-guard.ts';
import type { FatalReport } from './fatal-reports.ts';

const OPTS = { holdAfter: 3, windowMs: 600_000 };
const T0 = 1_800_000_000_000;

function run(over: Partial<RunRecord> = {}): RunRecord {
  return {
    startedAt: T0,
    clean: false,
    settled: false,
    crashesBefore: 0,
    threads: {},
    starting: [],
    startingAtLastCrash: [],
    ...over,
  };
}

const OOM: FatalReport = {
  event: 'Allocation failed - JavaScript heap out of memory',
  trigger: 'OOMError',
  threadId: 7,
  time: '2026-12-03T15:30:46Z',
};

describe('decideStart', () => {
  it('starts everything on a first start and after a clean or a settled run', () => {
    for (const previous of [undefined, run({ clean: true }), run({ settled: true, crashesBefore: 2 })]) {
      const d = decideStart(previous, [], ['a', 'b'], OPTS, T0 + 5000);
      expect(d.hold.size).toBe(0);
      expect(d.crashesBefore).toBe(0);
    }
    expect(decideStart(run({ clean: true }), [], ['a'], OPTS, T0).findings).toEqual([]);
  });

  it('holds back only the strategy whose worker thread the report names, with why', () => {
    const previous = run({
      threads: { '3': { strategy: 'a', oldMb: 64 }, '7': { strategy: 'hog', oldMb: 58 } },
    });
    const d = decideStart(previous, [OOM], ['a', 'hog'], OPTS, T0 + 5000);
    expect([...d.hold.keys()]).toEqual(['hog']);
    expect(d.hold.get('hog')).toBe(
      'not restarted: the runtime was aborted at 2026-12-03T15:30:46Z by "Allocation failed - JavaScript heap out of memory" in this strategy\'s worker: one allocation larger than its 58 MB memory cap allows (V8 cannot stop just the worker then). Fix the strategy, then start it again.',
    );
    expect(d.crashesBefore).toBe(0); // the cause is known and dealt with: not a step towards a crash loop
    expect(d.findings).toEqual([
      'strategy hog aborted the previous run at 2026-12-03T15:30:46Z (Allocation failed - JavaScript heap out of memory); it is not restarted',
    ]);
  });

  it('an abort while an upload was being checked holds nothing back, says so, and is no step towards a crash loop', () => {
    // Thread 7 checked a new upload of "hog"; the version stored before keeps running.
    const previous = run({
      threads: { '3': { strategy: 'hog', oldMb: 58 }, '7': { strategy: 'hog', oldMb: 58, upload: true } },
      starting: ['hog'],
      startingAtLastCrash: ['hog'],
      crashesBefore: 2,
    });
    const d = decideStart(previous, [OOM], ['hog'], OPTS, T0 + 5000);
    expect(d.hold.size).toBe(0);
    expect(d.crashesBefore).toBe(0);
    expect(d.startingAtLastCrash).toEqual([]);
    expect(d.findings).toEqual([
      'an upload of strategy hog aborted the previous run at 2026-12-03T15:30:46Z while it was being checked (Allocation failed - JavaScript heap out of memory); the upload was not stored, and whatever version of hog was there before is unchanged',
    ]);
  });

  it('a fatal error that is not an allocation says so', () => {
    const previous = run({ threads: { '7': { strategy: 'hog', oldMb: 58 } } });
    const d = decideStart(
      previous,
      [{ event: 'Fatal JavaScript invalid size error', trigger: 'FatalError', threadId: 7 }],
      ['hog'],
      OPTS,
      T0,
    );
    expect(d.hold.get('hog')).toBe(
      'not restarted: the runtime was aborted by "Fatal JavaScript invalid size error" in this strategy\'s worker: a fatal error. Fix the strategy, then start it again.',
    );
  });

  it('a report from the engine thread or an unknown thread holds nothing back and counts towards a crash loop', () => {
    const previous = run({ threads: { '3': { strategy: 'a', oldMb: 64 } } });
    const d = decideStart(
      previous,
      [
        { ...OOM, threadId: 0 },
        { ...OOM, threadId: 9 },
      ],
      ['a'],
      OPTS,
      T0 + 2000,
    );
    expect(d.hold.size).toBe(0);
    expect(d.crashesBefore).toBe(1);
    expect(d.findings[0]).toBe(
      'the previous run was aborted at 2026-12-03T15:30:46Z by a fatal error on the engine thread: Allocation failed - JavaScript heap out of memory',
    );
    expect(d.findings[1]).toContain('on thread 9');
    expect(d.findings[2]).toBe(
      'the previous run ended abnormally (killed, or crashed without a report) at most 2 s after it started: 1 such end(s) in a row',
    );
  });

  it('holds back a strategy that was starting when each of the last two runs ended abnormally, and only it', () => {
    const first = decideStart(run({ starting: ['bad'] }), [], ['good', 'bad'], OPTS, T0 + 1000);
    expect(first.hold.size).toBe(0); // one kill that fell into a start is forgiven
    expect(first.startingAtLastCrash).toEqual(['bad']);
    const second = decideStart(
      run({
        starting: ['bad'],
        startingAtLastCrash: first.startingAtLastCrash,
        crashesBefore: first.crashesBefore,
      }),
      [],
      ['good', 'bad'],
      OPTS,
      T0 + 2000,
    );
    expect([...second.hold.keys()]).toEqual(['bad']);
    expect(second.hold.get('bad')).toBe(
      "not restarted: the runtime ended abnormally (killed, perhaps at the container's memory limit) while this strategy was starting (loading, onInit or onStart), in each of the last two runs. Fix the strategy, then start it again.",
    );
    expect(second.findings[0]).toBe(
      'strategy bad was starting when each of the last two runs ended abnormally; it is not restarted',
    );
    expect(second.crashesBefore).toBe(0);
  });

  it('does not hold a starting strategy after a clean end, another strategy starting the time before, or a report', () => {
    const both = { starting: ['bad'], startingAtLastCrash: ['bad'] };
    expect(decideStart(run({ ...both, clean: true }), [], ['bad'], OPTS, T0).hold.size).toBe(0);
    expect(
      decideStart(run({ starting: ['b'], startingAtLastCrash: ['a'] }), [], ['a', 'b'], OPTS, T0).hold.size,
    ).toBe(0);
    // A report names the culprit: the one starting is not suspected, and the suspicion starts afresh.
    const reported = decideStart(
      run({ ...both, threads: { '7': { strategy: 'hog', oldMb: 58 } } }),
      [OOM],
      ['bad', 'hog'],
      OPTS,
      T0,
    );
    expect([...reported.hold.keys()]).toEqual(['hog']);
    expect(reported.startingAtLastCrash).toEqual([]);
    // Records of the version before had neither list.
    const { starting: _s, startingAtLastCrash: _l, ...old } = run();
    expect(decideStart(old, [], ['a'], OPTS, T0).startingAtLastCrash).toEqual([]);
  });

  it('holds every strategy meant to run after holdAfter abnormal ends in a row, then counts afresh', () => {
    let previous: RunRecord | undefined;
    const held: number[] = [];
    for (let i = 1; i <= 7; i++) {
      const d = decideStart(previous, [], ['a', 'b'], OPTS, T0 + 1000);
      held.push(d.hold.size);
      if (d.hold.size) {
        expect(d.hold.get('a')).toBe(
          'not restarted: the runtime ended abnormally 3 times in a row, each within 600 s of starting, while this strategy was meant to run (a crash loop). Start it again by hand once the cause is found.',
        );
        expect(d.findings.at(-1)).toBe('crash loop: no strategy is started automatically (a, b held)');
      }
      previous = run({ crashesBefore: d.crashesBefore });
    }
    // Starts 2, 3 and 4 follow one, two and three abnormal ends.
    expect(held).toEqual([0, 0, 0, 2, 0, 0, 2]);
  });

  it('a run that outlived the window, or ended cleanly, breaks the count', () => {
    expect(decideStart(run({ crashesBefore: 2, settled: true }), [], ['a'], OPTS, T0).hold.size).toBe(0);
    expect(decideStart(run({ crashesBefore: 2, clean: true }), [], ['a'], OPTS, T0).crashesBefore).toBe(0);
    expect(decideStart(run({ crashesBefore: 2 }), [], ['a'], OPTS, T0).hold.size).toBe(1);
  });

  it('holdAfter 0 never holds', () => {
    const d = decideStart(run({ crashesBefore: 50 }), [], ['a'], { ...OPTS, holdAfter: 0 }, T0);
    expect(d.hold.size).toBe(0);
    expect(d.crashesBefore).toBe(51);
  });
});

describe('CrashGuard', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('journals each run: its worker threads before they run code, a clean end, and settling after the window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-guard-'));
    dirs.push(dir);
    const j = openJournal(join(dir, 'j.db'));
    const first = CrashGuard.begin(j, [], ['a'], { holdAfter: 3, windowMs: 50 }, T0);
    expect(j.get<RunRecord>(CrashGuard.KEY)).toEqual(run());
    first.guard.noteWorker(4, 'a', 64);
    first.guard.noteWorker(5, 'b', 64, true);
    expect(j.get<RunRecord>(CrashGuard.KEY)?.threads).toEqual({
      '4': { strategy: 'a', oldMb: 64 },
      '5': { strategy: 'b', oldMb: 64, upload: true },
    });
    first.guard.noteStarting('a', true);
    first.guard.noteStarting('b', true);
    first.guard.noteStarting('a', false);
    expect(j.get<RunRecord>(CrashGuard.KEY)?.starting).toEqual(['b']);
    await new Promise((r) => setTimeout(r, 120));
    expect(j.get<RunRecord>(CrashGuard.KEY)?.settled).toBe(true);

    // Ended without markClean (killed): the next run finds its threads and a report naming one of them.
    const second = CrashGuard.begin(j, [{ ...OOM, threadId: 4 }], ['a'], OPTS, T0 + 1000);
    expect([...second.decision.hold.keys()]).toEqual(['a']);
    expect(j.get<RunRecord>(CrashGuard.KEY)?.threads).toEqual({}); // a new run, a new thread map
    expect(j.get<RunRecord>(CrashGuard.KEY)?.starting).toEqual([]);
    second.guard.markClean();
    expect(j.get<RunRecord>(CrashGuard.KEY)?.clean).toBe(true);
    const third = CrashGuard.begin(j, [], ['a'], OPTS, T0 + 2000);
    expect(third.decision.findings).toEqual([]);
    third.guard.markClean();
    j.close();
  });

  it('remembers at most 256 worker threads of a run, the latest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-guard-'));
    dirs.push(dir);
    const j = openJournal(join(dir, 'j.db'));
    const { guard } = CrashGuard.begin(j, [], [], OPTS, T0);
    for (let t = 1; t <= 300; t++) guard.noteWorker(t, `s${t}`, 64);
    const threads = j.get<RunRecord>(CrashGuard.KEY)!.threads;
    expect(Object.keys(threads)).toHaveLength(256);
    expect(threads['300']).toEqual({ strategy: 's300', oldMb: 64 });
    expect(threads['44']).toBeUndefined();
    guard.markClean();
    j.close();
  });
});
