/**
 * Node's diagnostic reports on fatal errors, used to learn at the next start which thread brought the runtime
 * down. A worker's V8 heap cap gives it only ~16 MB of leeway past the cap: one allocation larger than that
 * (a `new Array(12e6).fill(0)` under a 64 MB cap) makes V8 abort the whole process instead of failing the
 * worker. Node then writes a report whose header names the thread (`threadId`), which the strategy host has
 * journaled for every worker it started (see ./crash-guard.ts).
 *
 * The report is written only when the process runs with `--report-exclude-env` (the image's entry point and
 * the test harness pass it): without it the report would copy the environment to disk.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** What the runtime keeps of one report: the rest (heap, native stack, libraries) is not needed. */
export interface FatalReport {
  /** e.g. "Allocation failed - JavaScript heap out of memory". */
  event: string;
  /** e.g. "OOMError", "FatalError". */
  trigger: string;
  /** The thread that failed: 0 for the main thread, a Worker's `threadId` otherwise. */
  threadId: number;
  /** When it happened (ISO 8601), if the report says. */
  time?: string;
}

const REPORT_FILE = /^report\..*\.json$/;

/** True when this process was started so that reports leave the environment out. */
export function reportsExcludeEnv(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): boolean {
  return execArgv.includes('--report-exclude-env') || /(^|\s)--report-exclude-env(\s|$)/.test(nodeOptions);
}

/**
 * Asks Node to write a compact report into `dir` if the process dies of a fatal error. Does nothing (and
 * says so) unless the environment is excluded from reports.
 * @returns whether reports are on
 */
export function enableFatalReports(dir: string): boolean {
  if (!reportsExcludeEnv()) return false;
  mkdirSync(dir, { recursive: true });
  process.report.directory = dir;
  process.report.compact = true;
  // Network interfaces are of no use here (and the typings lag behind Node on this setting).
  (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
  process.report.reportOnFatalError = true;
  return true;
}

/** The fields of a report the runtime uses; undefined when the text is not a Node report. */
export function parseFatalReport(text: string): FatalReport | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const header = (doc as { header?: Record<string, unknown> } | null)?.header;
  if (!header || typeof header !== 'object') return undefined;
  const { event, trigger, threadId, dumpEventTime } = header;
  if (typeof event !== 'string' || typeof trigger !== 'string') return undefined;
  if (typeof threadId !== 'number' || !Number.isInteger(threadId) || threadId < 0) return undefined;
  return {
    event,
    trigger,
    threadId,
    ...(typeof dumpEventTime === 'string' ? { time: dumpEventTime } : {}),
  };
}

/**
 * Reads and deletes the reports left in `dir` (by the process that ran before this one), oldest first.
 * Files that are not reports are deleted too when they have a report's name: half-written ones are of no use.
 */
export function takeFatalReports(dir: string): FatalReport[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => REPORT_FILE.test(n));
  } catch {
    return [];
  }
  const reports: FatalReport[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // unreadable: dropped below
    }
    rmSync(path, { force: true });
    const r = parseFatalReport(text);
    if (r) reports.push(r);
  }
  return reports;
}
