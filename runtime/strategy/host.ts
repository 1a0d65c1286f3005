/**
 * The strategy host: runs each strategy in its own worker thread and is the only way strategies touch the
 * engine. Isolation: memory is capped per worker (resourceLimits), a watchdog terminates a worker whose
 * callback does not return in time, and any exception stops that one strategy with the reason — the runtime
 * and the other strategies carry on. Start, stop, parameter changes and hot reload need no restart.
 *
 * Every lifecycle change, parameter change and persistent-state change is journaled before it takes effect.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { basename, dirname, join } from 'node:path';
import {
  MessageChannel,
  type MessagePort,
  type ResourceLimits,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import {
  containerMemoryLimit,
  MIN_STRATEGY_HEAP_MB,
  type StrategyMemory,
  strategyMemory,
} from '../../common/strategy-memory.ts';
import type { StrategyLogLine, StrategyView } from '../api/engine-port.ts';
import { type ErrorCode, refuse } from '../domain/errors.ts';
import type { Journal } from '../journal/journal.ts';
import { strategyDirUrls } from './confine.ts';
import { strategyErrorText, syntaxErrorText } from './error-text.ts';
import { logLine } from './log-line.ts';
import { OneAtATime } from './one-at-a-time.ts';
import { paramsJsonSchema, validateParams } from './params.ts';
import type { FromWorker, OrderRequest, OrderTrigger, ToWorker } from './protocol.ts';
import type {
  ParamSpec,
  StrategyBar,
  StrategyOrder,
  StrategyPosition,
  StrategyTick,
  StrategyTrade,
} from './sdk.ts';
import { createLaneBuffers, LaneWriter } from './tick-lane.ts';
import { MAX_TIMERS, timerPeriod } from './timer-rules.ts';

/** How a strategy is defined (from the CR's ConfigMap, or uploaded). */
export interface StrategyDefinition {
  name: string;
  file: string;
  instruments: string[];
  params: Record<string, unknown>;
  enabled: boolean;
  source: 'configMap' | 'upload';
}

/** One order a strategy asked for, as handed to the engine. */
export interface StrategyOrderRequest {
  order: OrderRequest;
  /** Writes the strategy state the order came from; call inside the transaction journaling the order. */
  persistState?: () => void;
  /** The tick the order was sent for (when sent from onTick). */
  trigger?: OrderTrigger;
  /** `performance.now()` when the engine received that tick (see dispatchTick), while the host still knows it. */
  tickReceivedAt?: number;
}

/** Dependencies and limits of a {@link StrategyHost}. */
export interface StrategyHostOptions {
  journal: Journal;
  /** Where uploaded modules are stored (on the pod's volume). */
  uploadDir: string;
  /**
   * A strategy asked for orders: one, or several sent one after another for the same tick (a reversal's
   * close and new entry), which the engine journals in one transaction before handing them over in order.
   * Each `persistState`, when given, must be called inside that transaction (it writes the strategy state
   * the order came from).
   */
  submit: (strategy: string, requests: readonly StrategyOrderRequest[]) => void;
  /** A strategy asked to cancel all its working orders. */
  cancelAll: (strategy: string) => void;
  /** Net lots built by the strategy's own fills (restored on start). */
  positionsOf: (strategy: string) => Record<string, StrategyPosition>;
  /** Status changes, for the API's event stream. */
  onChange?: (view: StrategyView) => void;
  /**
   * A worker thread was created for a strategy and is about to be given its code (to run it, or only to
   * check it): called before the code is handed over, so that a crash of the whole process in that thread
   * can be traced to the strategy at the next start (./crash-guard.ts).
   */
  onWorker?: (threadId: number, strategy: string, oldMb: number, upload: boolean) => void;
  /** A strategy begins (true) or ends (false, started or failed) its start: loading, onInit, onStart. */
  onStarting?: (strategy: string, starting: boolean) => void;
  /** A callback running longer than this is considered stuck. Default 2000 ms. */
  watchdogMs?: number;
  /**
   * Budget for loading a module (worker start, import, onInit): worker start-up time depends on the machine's
   * load, not on the strategy, so it gets more than a callback. Default 15 000 ms.
   */
  loadTimeoutMs?: number;
  /**
   * Old-generation heap cap per strategy, at most. Default 64 MB. Under a container memory limit the caps are
   * smaller, sized so that the strategies together fit what the runtime leaves of it (common/strategy-memory.ts).
   */
  memoryMb?: number;
  /** The container's memory limit in bytes, undefined for none; read at each start. Default: the cgroup's. */
  memoryLimit?: () => number | undefined;
  /** Tick size in cents (default 2). */
  tick?: number;
  /**
   * Workers spin on their tick lane instead of parking while ticks flow, and the engine thread waits longer
   * for a worker's answer to a tick (see worker.ts, `pump`). A core per strategy while the market is open.
   * Default false.
   */
  busyPoll?: boolean;
  now?: () => number;
}

type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

interface Pending {
  at: number;
  what: string;
  /** Budget for this callback; default the watchdog's. */
  limitMs?: number;
  resolve?: (r: { ok: true } | { ok: false; message: string }) => void;
}

interface Running {
  worker: Worker;
  /** Ticks go through shared memory (./tick-lane.ts), not messages. */
  lane: LaneWriter;
  /** The worker's answers; read synchronously right after a tick (see dispatchTick). */
  reply: MessagePort;
  /** Wait for the worker's answer after a tick; off after a wait ran out, on again once it caught up. */
  spin: boolean;
  /** When the engine received the tick of each of the last RECEIVED_KEPT lane numbers (lane number & mask). */
  receivedAt: Float64Array;
  /** The lane's progress as last seen by the watchdog, and since when it has not moved. */
  laneSeen: number;
  laneSince: number;
  /** State (JSON) reported by the worker, not yet journaled (flushed periodically, before any order, on stop). */
  dirtyState?: string;
  seq: number;
  pending: Map<number, Pending>;
  timers: Map<string, NodeJS.Timeout>;
  /** The heap caps it was started with. */
  memory: MemoryCaps;
  /**
   * Memory outside the V8 heap (ArrayBuffers, Buffers), which resourceLimits does not cap: what the worker
   * held at the first look after start, and whether a look is in flight (see #checkBuffers).
   */
  externalBase?: number;
  lookingAtBuffers: boolean;
}

interface Entry {
  def: StrategyDefinition;
  state: StrategyView['state'];
  error?: string;
  schema?: Record<string, ParamSpec>;
  logs: StrategyLogLine[];
  run?: Running;
}

const LOG_LINES = 500;
/** Lane numbers whose receive time a running strategy remembers (a power of two): far more than it lags by. */
const RECEIVED_KEPT = 256;
/**
 * After handing a tick over, the engine thread waits at most this long for the strategy to finish it, so
 * an order it sends is taken in at once rather than after an event-loop wake-up (which costs 40–60 µs at
 * the median and milliseconds at the tail on the benchmark VM). The wait ends as soon as the worker reports
 * the tick done; it is skipped while the worker lags, and after a wait that ran out until the worker has
 * caught up. A parked worker needs a futex wake-up first (p90 ~150 µs on that VM); a busy-polling one
 * usually answers within tens of µs, and the longer bound only matters for a slow onTick.
 */
const TICK_SPIN_MS = 0.3;
const TICK_SPIN_BUSY_MS = 1;
const WORKER_URL = new URL('./worker.ts', import.meta.url);
/** A strategy's environment: none of the runtime's (see confine.ts). */
const STRATEGY_ENV: Readonly<Record<string, string>> = Object.freeze({});

type MemoryCaps = Extract<StrategyMemory, { ok: true }>;

function resourceLimits(m: MemoryCaps): ResourceLimits {
  return { maxOldGenerationSizeMb: m.oldMb, maxYoungGenerationSizeMb: m.youngMb };
}

/** Runs the strategies of one runtime. */
export class StrategyHost {
  readonly #o: Required<Omit<StrategyHostOptions, 'onChange' | 'onWorker' | 'onStarting'>> &
    Pick<StrategyHostOptions, 'onChange' | 'onWorker' | 'onStarting'>;
  readonly #entries = new Map<string, Entry>();
  readonly #watchdog: NodeJS.Timeout;
  /** Module checks, one at a time (one-at-a-time.ts). */
  readonly #checks = new OneAtATime();
  #ticks = 0;
  readonly #flushEvery: number;
  readonly #spinMs: number;
  #submitting: { strategy: string; trigger?: OrderTrigger } | undefined;

  constructor(opts: StrategyHostOptions) {
    this.#o = {
      watchdogMs: 2000,
      loadTimeoutMs: 15_000,
      memoryMb: 64,
      memoryLimit: containerMemoryLimit,
      tick: 2,
      now: Date.now,
      busyPoll: false,
      ...opts,
    };
    this.#spinMs = this.#o.busyPoll ? TICK_SPIN_BUSY_MS : TICK_SPIN_MS;
    const period = Math.max(50, Math.floor(this.#o.watchdogMs / 4));
    this.#flushEvery = Math.max(1, Math.round(1000 / period));
    this.#watchdog = setInterval(() => this.#checkWatchdog(), period);
    this.#watchdog.unref();
  }

  /**
   * Registers a strategy definition. Uploaded definitions and parameter changes stored in the journal take
   * precedence over the configuration (they are the investor's later decisions).
   */
  add(def: StrategyDefinition): void {
    const stored = this.#o.journal.get<StrategyDefinition>(`strategy:${def.name}:def`);
    const params = this.#o.journal.get<Record<string, unknown>>(`strategy:${def.name}:params`);
    const d = { ...def, ...(stored ?? {}), ...(params ? { params } : {}) };
    this.#entries.set(def.name, { def: d, state: 'stopped', logs: [] });
  }

  /** Loads strategies uploaded in earlier runs (from the journal). */
  restoreUploads(): void {
    const names = this.#o.journal.get<string[]>('strategies:uploaded') ?? [];
    const kept = new Set<string>();
    for (const name of names) {
      const def = this.#o.journal.get<StrategyDefinition>(`strategy:${name}:def`);
      if (def) kept.add(basename(def.file));
      if (def && !this.#entries.has(name)) this.add(def);
    }
    // Files no stored upload names: an upload whose check brought the previous run down before it was refused.
    let files: string[] = [];
    try {
      files = readdirSync(this.#o.uploadDir);
    } catch {
      // no uploads yet
    }
    for (const f of files)
      if (f.endsWith('.mjs') && !kept.has(f)) rmSync(join(this.#o.uploadDir, f), { force: true });
  }

  /** Starts every enabled strategy; failures are recorded per strategy, never thrown. */
  async startEnabled(signal?: AbortSignal): Promise<void> {
    for (const e of this.#entries.values()) {
      if (signal?.aborted) return;
      if (this.#meantToRun(e)) await this.start(e.def.name);
    }
  }

  /** The strategies `startEnabled` would start: enabled, or left running by the investor. */
  meantToRun(): string[] {
    return [...this.#entries.values()].filter((e) => this.#meantToRun(e)).map((e) => e.def.name);
  }

  /**
   * Stops a running strategy at once, as a failure with `reason` (its worker is terminated; what it sent after
   * this is dropped). Safe from within the submit callback: the host stops reading that worker's replies.
   */
  halt(name: string, reason: string): void {
    const e = this.#entries.get(name);
    if (e?.run) this.#fail(e, reason);
  }

  /**
   * Keeps a strategy from starting by itself: it is marked failed with the reason, as if it had failed,
   * until the investor starts it again.
   */
  hold(name: string, reason: string): void {
    const e = this.#entries.get(name);
    if (e && !e.run) this.#fail(e, reason);
  }

  #meantToRun(e: Entry): boolean {
    return this.#o.journal.get<boolean>(`strategy:${e.def.name}:running`) ?? e.def.enabled;
  }

  list(): StrategyView[] {
    return [...this.#entries.values()].map((e) => this.#view(e));
  }

  get(name: string): StrategyView | undefined {
    const e = this.#entries.get(name);
    return e ? this.#view(e) : undefined;
  }

  /** Adds a line to a strategy's log (e.g. why the engine refused one of its orders). */
  log(name: string, level: StrategyLogLine['level'], message: string): void {
    const e = this.#entries.get(name);
    if (e) this.#log(e, level, message);
  }

  /** True when `name` is a registered strategy. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  logs(name: string, limit = 100): StrategyLogLine[] {
    return (this.#entries.get(name)?.logs ?? []).slice(-limit);
  }

  /**
   * Validates and stores uploaded code (JS, or TS whose types are stripped). Replaces a stopped strategy
   * of the same name (hot reload); a running one must be stopped first.
   */
  async upload(name: string, code: string, instruments: string[]): Promise<Result<StrategyView>> {
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(name))
      return refuse('STRATEGY_INVALID', `Name "${name}" must be lower-case letters, digits and dashes.`);
    const existing = this.#entries.get(name);
    if (existing && (existing.state === 'running' || existing.state === 'starting'))
      return refuse('STRATEGY_RUNNING', `Stop "${name}" before replacing it.`);
    let js: string;
    try {
      js = stripTypeScriptTypes(code);
    } catch (e) {
      return refuse('STRATEGY_INVALID', `Syntax error at ${syntaxErrorText(e)}`);
    }
    mkdirSync(this.#o.uploadDir, { recursive: true });
    // A new file name per upload: ESM caches modules by URL, and a fresh name makes hot reload exact.
    const file = join(this.#o.uploadDir, `${name}.${this.#o.now()}-${randomBytes(3).toString('hex')}.mjs`);
    writeFileSync(file, js);
    const described = await this.#describe(name, file, this.#checkMemory(), true);
    if (!described.ok) {
      rmSync(file, { force: true }); // refused: nothing of it is kept
      return refuse('STRATEGY_INVALID', described.message);
    }
    const params = validateParams(described.params, existing?.def.params ?? {});
    const def: StrategyDefinition = {
      name,
      file,
      instruments: instruments.length ? instruments : (existing?.def.instruments ?? []),
      params: params.ok
        ? params.value
        : validateParams(described.params, {}).ok
          ? (validateParams(described.params, {}) as { value: Record<string, unknown> }).value
          : {},
      enabled: existing?.def.enabled ?? false,
      source: 'upload',
    };
    const j = this.#o.journal;
    j.tx(() => {
      j.set(`strategy:${name}:def`, def);
      j.set(`strategy:${name}:params`, def.params);
      const names = new Set(j.get<string[]>('strategies:uploaded') ?? []);
      names.add(name);
      j.set('strategies:uploaded', [...names]);
      j.append('strategyUploaded', { name, file, bytes: code.length });
    });
    // The version it replaces is not needed any more (a running strategy cannot be replaced).
    const replaced = existing?.def.source === 'upload' ? existing.def.file : undefined;
    if (replaced && replaced !== file && dirname(replaced) === dirname(file))
      rmSync(replaced, { force: true });
    const e: Entry = { def, state: 'stopped', schema: described.params ?? {}, logs: existing?.logs ?? [] };
    this.#entries.set(name, e);
    this.#log(e, 'info', `uploaded (${code.length} bytes)`);
    this.#changed(e);
    return { ok: true, value: this.#view(e) };
  }

  /**
   * Checks a strategy's module file again, after it changed on disk (source-watch.ts): loads it in a throw-away
   * worker and checks the current parameters against its schema. Nothing changes when either fails; on success
   * the new schema is the one in effect (a running strategy runs the old code until it is started again).
   */
  async checkSource(name: string): Promise<Result<StrategyView>> {
    const e = this.#entries.get(name);
    if (!e) return refuse('STRATEGY_NOT_FOUND', `"${name}".`);
    const described = await this.#describe(name, e.def.file, this.#checkMemory());
    if (!described.ok) return refuse('STRATEGY_INVALID', described.message);
    const params = validateParams(described.params, e.def.params);
    if (!params.ok)
      return refuse('STRATEGY_PARAMS_INVALID', `The current parameters do not fit it: ${params.message}`);
    e.schema = described.params ?? {};
    return { ok: true, value: this.#view(e) };
  }

  /** Starts a strategy in a fresh worker: load → onInit (warm-up, orders held back) → onStart → trading. */
  async start(name: string): Promise<Result<StrategyView>> {
    const e = this.#entries.get(name);
    if (!e) return refuse('STRATEGY_NOT_FOUND', `"${name}".`);
    if (e.run) return { ok: true, value: this.#view(e) };
    this.#o.onStarting?.(name, true);
    try {
      return await this.#start(e);
    } finally {
      this.#o.onStarting?.(name, false);
    }
  }

  async #start(e: Entry): Promise<Result<StrategyView>> {
    const name = e.def.name;
    const j = this.#o.journal;
    j.tx(() => {
      j.set(`strategy:${name}:running`, true);
      j.append('strategyStarting', { name });
    });
    e.state = 'starting';
    e.error = undefined;
    this.#changed(e);
    const memory = this.#memory();
    if (!memory.ok) return this.#fail(e, memory.message);
    const described = await this.#describe(name, e.def.file, memory);
    if (!described.ok) return this.#fail(e, described.message);
    e.schema = described.params ?? {};
    const params = validateParams(e.schema, e.def.params);
    if (!params.ok) return this.#fail(e, `parameters: ${params.message}`, 'STRATEGY_PARAMS_INVALID');
    e.def.params = params.value;
    const run = this.#spawn(e, memory);
    const init = await this.#call(e, run, {
      type: 'init',
      file: e.def.file,
      name,
      instruments: e.def.instruments,
      params: params.value,
      state: j.get<Record<string, unknown>>(`strategy:${name}:state`) ?? {},
      positions: this.#o.positionsOf(name),
      tick: this.#o.tick,
    });
    if (!init.ok) return this.#fail(e, init.message);
    const started = await this.#call(e, run, { type: 'start' });
    if (!started.ok) return this.#fail(e, started.message);
    e.state = 'running';
    j.tx(() => j.append('strategyStarted', { name }));
    this.#log(e, 'info', 'started');
    this.#changed(e);
    return { ok: true, value: this.#view(e) };
  }

  /** Stops a strategy: onStop, then the worker ends. Its working orders are left to the caller. */
  async stop(name: string): Promise<Result<StrategyView>> {
    const e = this.#entries.get(name);
    if (!e) return refuse('STRATEGY_NOT_FOUND', `"${name}".`);
    const j = this.#o.journal;
    j.tx(() => {
      j.set(`strategy:${name}:running`, false);
      j.append('strategyStopping', { name });
    });
    const run = e.run;
    if (run) {
      e.state = 'stopping';
      this.#changed(e);
      await this.#call(e, run, { type: 'stop' });
      this.#kill(e);
    }
    if (e.state !== 'failed') e.state = 'stopped';
    j.tx(() => j.append('strategyStopped', { name }));
    this.#log(e, 'info', 'stopped');
    this.#changed(e);
    return { ok: true, value: this.#view(e) };
  }

  /** Validates and applies parameters (live when running); journaled first. */
  async setParams(name: string, params: Record<string, unknown>): Promise<Result<StrategyView>> {
    const e = this.#entries.get(name);
    if (!e) return refuse('STRATEGY_NOT_FOUND', `"${name}".`);
    if (!e.schema) {
      const d = await this.#describe(name, e.def.file, this.#checkMemory());
      if (!d.ok) return refuse('STRATEGY_INVALID', d.message);
      e.schema = d.params ?? {};
    }
    const v = validateParams(e.schema, { ...e.def.params, ...params });
    if (!v.ok) return refuse('STRATEGY_PARAMS_INVALID', v.message);
    const j = this.#o.journal;
    j.tx(() => {
      j.set(`strategy:${name}:params`, v.value);
      j.append('strategyParams', { name, params: v.value });
    });
    e.def.params = v.value;
    if (e.run) await this.#call(e, e.run, { type: 'params', params: v.value });
    this.#log(e, 'info', `parameters ${JSON.stringify(v.value)}`);
    this.#changed(e);
    return { ok: true, value: this.#view(e) };
  }

  /** Market data to every running strategy that trades the instrument. */
  dispatchTick(tick: StrategyTick, receivedAt = performance.now()): void {
    for (const e of this.#entries.values()) {
      const run = e.run;
      if (!run || e.state !== 'running') continue;
      const slot = e.def.instruments.indexOf(tick.instrument);
      if (slot < 0) continue;
      const caughtUp = run.lane.processed() === run.lane.published();
      const published = run.lane.publish(slot, tick);
      run.receivedAt[published & (RECEIVED_KEPT - 1)] = receivedAt;
      if (!caughtUp || !run.spin) {
        // Lagging: no wait (the ring holds the ticks; far behind, it is conflated); waits again once caught up.
        if (caughtUp) run.spin = true;
        continue;
      }
      const until = performance.now() + this.#spinMs;
      while (run.lane.processed() !== published && performance.now() < until);
      if (run.lane.processed() !== published) run.spin = false;
      this.#takeReplies(e, run);
    }
  }

  /**
   * The strategy order being handed to the engine right now (only during the synchronous `submit` call):
   * which strategy, and the tick it was sent for. For observers of the hand-over that see only the order,
   * such as the latency benchmark's gateway.
   */
  submitting(): { strategy: string; trigger?: OrderTrigger } | undefined {
    return this.#submitting;
  }

  /** The last sequence number published on a running strategy's tick lane (0 before its first tick). */
  lanePublished(name: string): number | undefined {
    return this.#entries.get(name)?.run?.lane.published();
  }

  /** Ticks a running strategy's worker skipped by conflation (tick-lane.ts) since it started. */
  laneConflated(name: string): number | undefined {
    return this.#entries.get(name)?.run?.lane.conflated();
  }

  /**
   * Handles the worker's answers already queued, synchronously (the orders it sent for the last tick).
   * Consecutive orders for the same tick go to the engine together (see `submit`).
   */
  #takeReplies(e: Entry, run: Running, first?: FromWorker): void {
    let orders: OrderMessage[] = [];
    let next = first ?? (receiveMessageOnPort(run.reply)?.message as FromWorker | undefined);
    for (
      ;
      next !== undefined && e.run === run;
      next = receiveMessageOnPort(run.reply)?.message as FromWorker | undefined
    ) {
      const msg = next;
      if (msg.type === 'order' && (orders.length === 0 || sameTrigger(orders[0]!, msg))) {
        orders.push(msg);
        continue;
      }
      if (orders.length > 0) {
        this.#submit(e, run, orders);
        orders = [];
      }
      if (msg.type === 'order') orders.push(msg);
      else this.#onMessage(e, run, msg);
    }
    if (orders.length > 0 && e.run === run) this.#submit(e, run, orders);
  }

  dispatchBar(bar: StrategyBar): void {
    for (const e of this.#entries.values())
      if (e.run && e.state === 'running' && e.def.instruments.includes(bar.instrument))
        this.#send(e, e.run, { type: 'bar', bar });
  }

  dispatchOrder(strategy: string, order: StrategyOrder): void {
    const e = this.#entries.get(strategy);
    if (e?.run) this.#send(e, e.run, { type: 'order', order });
  }

  dispatchTrade(strategy: string, trade: StrategyTrade): void {
    const e = this.#entries.get(strategy);
    if (e?.run) this.#send(e, e.run, { type: 'trade', trade });
  }

  /** Stops everything (shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#watchdog);
    for (const e of this.#entries.values()) if (e.run) this.#kill(e);
  }

  /**
   * Heap caps for a strategy starting now. The limit is shared among the strategies meant to run (running,
   * starting, or to be started: enabled and not stopped by the investor), so that strategies started one
   * after another do not give the first ones more than their share. Stopped and failed ones take none.
   */
  #memory(): StrategyMemory {
    let meant = 0;
    for (const e of this.#entries.values())
      if (e.run || e.state === 'starting' || this.#meantToRun(e)) meant++;
    return strategyMemory({
      limitBytes: this.#o.memoryLimit(),
      strategies: Math.max(1, meant),
      maxOldMb: this.#o.memoryMb,
    });
  }

  /** Caps for a short-lived worker that only loads a module to check it: a start's, or the smallest. */
  #checkMemory(): MemoryCaps {
    const m = this.#memory();
    return m.ok ? m : { ok: true, oldMb: MIN_STRATEGY_HEAP_MB, youngMb: 4, limited: true };
  }

  #spawn(e: Entry, memory: MemoryCaps): Running {
    const buffers = createLaneBuffers();
    const channel = new MessageChannel();
    const worker = new Worker(WORKER_URL, {
      resourceLimits: resourceLimits(memory),
      env: STRATEGY_ENV,
      stdout: true,
      stderr: true,
      workerData: { lane: buffers, reply: channel.port2, busyPoll: this.#o.busyPoll },
      transferList: [channel.port2],
    });
    this.#o.onWorker?.(worker.threadId, e.def.name, memory.oldMb, false);
    const run: Running = {
      worker,
      lane: new LaneWriter(buffers),
      reply: channel.port1,
      spin: true,
      receivedAt: new Float64Array(RECEIVED_KEPT),
      laneSeen: 0,
      laneSince: this.#o.now(),
      seq: 0,
      pending: new Map(),
      timers: new Map(),
      memory,
      lookingAtBuffers: false,
    };
    e.run = run;
    // An order read here (its tick's spin was over) takes the orders queued right behind it along.
    run.reply.on('message', (m: FromWorker) =>
      m.type === 'order' ? this.#takeReplies(e, run, m) : this.#onMessage(e, run, m),
    );
    // Raw output of the worker (its strategy's console is confined to ctx.log, confine.ts): cut as it enters.
    worker.stdout.on('data', (d: Buffer) => this.#log(e, 'info', logLine(d.toString().trimEnd())));
    worker.stderr.on('data', (d: Buffer) => this.#log(e, 'warn', logLine(d.toString().trimEnd())));
    worker.on('error', (err: Error & { code?: string }) => {
      const why =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `memory limit of ${memory.oldMb} MB exceeded${memory.limited ? ` (its share of the pod's memory limit)` : ''}`
          : strategyErrorText(err, strategyDirUrls(e.def.file));
      this.#fail(e, why);
    });
    worker.on('exit', (code) => {
      if (e.run === run && e.state !== 'stopping') this.#fail(e, `worker exited (code ${code})`);
    });
    return run;
  }

  #onMessage(e: Entry, run: Running, m: FromWorker): void {
    if (e.run !== run) return;
    switch (m.type) {
      case 'done': {
        if (m.state) run.dirtyState = m.state;
        const p = run.pending.get(m.seq);
        run.pending.delete(m.seq);
        p?.resolve?.({ ok: true });
        return;
      }
      case 'failed': {
        const p = run.pending.get(m.seq);
        run.pending.delete(m.seq);
        const msg = m.message.split('\n').slice(0, 4).join('\n');
        p?.resolve?.({ ok: false, message: msg });
        if (!p?.resolve) this.#fail(e, msg);
        return;
      }
      case 'order':
        this.#submit(e, run, [m]);
        return;
      case 'cancelAll':
        this.#o.cancelAll(e.def.name);
        return;
      case 'log':
        this.#log(e, m.level, m.message);
        return;
      case 'setTimer': {
        // The worker checks the request where the strategy made it (worker.ts); this thread keeps its own
        // bounds all the same, as a timer here runs on the engine's event loop.
        if (typeof m.ms !== 'number' || !Number.isFinite(m.ms)) return;
        if (!run.timers.has(m.name) && run.timers.size >= MAX_TIMERS) return;
        const ms = timerPeriod(m.ms);
        clearInterval(run.timers.get(m.name));
        run.timers.set(
          m.name,
          setInterval(() => this.#send(e, run, { type: 'timer', name: m.name }), ms),
        );
        return;
      }
      case 'clearTimer':
        clearInterval(run.timers.get(m.name));
        run.timers.delete(m.name);
        return;
      case 'described':
        return;
    }
  }

  /**
   * Hands orders of one strategy to the engine. The state each came from is durable before the order
   * exists: committed in the same transaction as the orders (one fsync), or on its own if the strategy
   * is no longer running.
   */
  #submit(e: Entry, run: Running, messages: readonly OrderMessage[]): void {
    const name = e.def.name;
    const requests: StrategyOrderRequest[] = [];
    let stateOnly: string | undefined;
    for (const m of messages) {
      const state = m.state ?? run.dirtyState;
      run.dirtyState = undefined;
      if (e.state !== 'running') {
        stateOnly = state ?? stateOnly;
        continue;
      }
      const lag = m.trigger ? run.lane.published() - m.trigger.lane : RECEIVED_KEPT;
      requests.push({
        order: m.order,
        ...(state ? { persistState: () => this.#o.journal.setJson(`strategy:${name}:state`, state) } : {}),
        ...(m.trigger ? { trigger: m.trigger } : {}),
        ...(lag >= 0 && lag < RECEIVED_KEPT
          ? { tickReceivedAt: run.receivedAt[m.trigger!.lane & (RECEIVED_KEPT - 1)]! }
          : {}),
      });
    }
    if (stateOnly) this.#saveState(name, stateOnly);
    if (requests.length === 0) return;
    const trigger = requests[0]!.trigger;
    this.#submitting = { strategy: name, ...(trigger ? { trigger } : {}) };
    try {
      this.#o.submit(name, requests);
    } finally {
      this.#submitting = undefined;
    }
  }

  #send(e: Entry, run: Running, m: DistributiveOmit<ToWorker, 'seq'>, resolve?: Pending['resolve']): void {
    const seq = ++run.seq;
    run.pending.set(seq, {
      at: this.#o.now(),
      what: `on${m.type[0]!.toUpperCase()}${m.type.slice(1)}`,
      ...(m.type === 'init' ? { limitMs: this.#o.loadTimeoutMs } : {}),
      ...(resolve ? { resolve } : {}),
    });
    run.worker.postMessage({ ...m, seq } as ToWorker);
    run.lane.ring(); // the worker may be parked on the lane
    void e;
  }

  #call(
    e: Entry,
    run: Running,
    m: DistributiveOmit<ToWorker, 'seq'>,
  ): Promise<{ ok: true } | { ok: false; message: string }> {
    return new Promise((resolve) => this.#send(e, run, m, resolve));
  }

  #saveState(name: string, state: string): void {
    const j = this.#o.journal;
    j.tx(() => j.setJson(`strategy:${name}:state`, state));
  }

  #flush(e: Entry, run: Running): void {
    if (!run.dirtyState) return;
    const s = run.dirtyState;
    run.dirtyState = undefined;
    this.#saveState(e.def.name, s);
  }

  #checkWatchdog(): void {
    const now = this.#o.now();
    this.#ticks++;
    for (const e of this.#entries.values()) {
      const run = e.run;
      if (!run) continue;
      // State-only changes (no order) are journaled about once a second, not on every tick: an fsync per tick
      // would cap the tick rate; anything acted on (an order) has its state journaled first, above.
      if (this.#ticks % this.#flushEvery === 0) this.#flush(e, run);
      // Ticks carry no seq: a lane whose processed count stays behind for the limit is a stuck onTick.
      const processed = run.lane.processed();
      if (processed !== run.laneSeen || processed === run.lane.published()) {
        run.laneSeen = processed;
        run.laneSince = now;
      } else if (now - run.laneSince > this.#o.watchdogMs) {
        this.#fail(
          e,
          `onTick did not return within ${this.#o.watchdogMs} ms (endless loop?); the worker was terminated`,
        );
        continue;
      }
      this.#checkBuffers(e, run);
      const oldest = run.pending.values().next().value as Pending | undefined;
      const limit = oldest?.limitMs ?? this.#o.watchdogMs;
      if (oldest && now - oldest.at > limit)
        this.#fail(
          e,
          `${oldest.what === 'onInit' ? 'loading/onInit' : oldest.what} did not return within ${limit} ms (endless loop?); the worker was terminated`,
        );
    }
  }

  /**
   * V8 caps a worker's heap, not the memory its ArrayBuffers and Buffers hold outside it. The watchdog looks
   * at that too: a strategy whose buffers grew by more than its heap cap since it started is stopped as if its
   * heap were full. Growth is caught within a watchdog period; one allocation larger than the pod's free memory
   * is not (docs/runtime.md "Memory").
   */
  #checkBuffers(e: Entry, run: Running): void {
    if (run.lookingAtBuffers) return;
    run.lookingAtBuffers = true;
    run.worker.getHeapStatistics().then(
      (h) => {
        run.lookingAtBuffers = false;
        if (e.run !== run) return;
        run.externalBase ??= h.external_memory;
        const grownMb = (h.external_memory - run.externalBase) / 2 ** 20;
        if (grownMb > run.memory.oldMb)
          this.#fail(
            e,
            `memory limit of ${run.memory.oldMb} MB exceeded by buffers outside the heap (${Math.round(grownMb)} MB)`,
          );
      },
      () => {
        run.lookingAtBuffers = false; // the worker is gone; its exit is reported on its own
      },
    );
  }

  #fail(
    e: Entry,
    message: string,
    code: ErrorCode = 'STRATEGY_FAILED',
  ): { ok: false; code: ErrorCode; message: string } {
    const run = e.run;
    if (run) for (const p of run.pending.values()) p.resolve?.({ ok: false, message });
    this.#kill(e);
    e.state = 'failed';
    e.error = message;
    const j = this.#o.journal;
    j.tx(() => {
      j.set(`strategy:${e.def.name}:running`, false);
      j.append('strategyFailed', { name: e.def.name, error: message });
    });
    this.#log(e, 'error', message);
    this.#changed(e);
    return refuse(code, message);
  }

  #kill(e: Entry): void {
    const run = e.run;
    if (!run) return;
    this.#flush(e, run);
    e.run = undefined;
    for (const t of run.timers.values()) clearInterval(t);
    run.pending.clear();
    run.reply.close();
    void run.worker.terminate();
  }

  /**
   * Loads a module in a short-lived worker to check it (syntax, export shape, parameter declarations).
   * `upload`: the module is an upload not stored yet (the crash guard tells the two apart).
   */
  #describe(
    name: string,
    file: string,
    memory: MemoryCaps,
    upload = false,
  ): Promise<{ ok: true; params?: Record<string, ParamSpec> } | { ok: false; message: string }> {
    return this.#checks.run(() => this.#describeNow(name, file, memory, upload));
  }

  /** {@link #describe} itself; settles once the checking worker has ended. */
  #describeNow(
    name: string,
    file: string,
    memory: MemoryCaps,
    upload: boolean,
  ): Promise<{ ok: true; params?: Record<string, ParamSpec> } | { ok: false; message: string }> {
    return new Promise((resolve) => {
      const w = new Worker(WORKER_URL, { resourceLimits: resourceLimits(memory), env: STRATEGY_ENV });
      this.#o.onWorker?.(w.threadId, name, memory.oldMb, upload);
      const done = (r: { ok: true; params?: Record<string, ParamSpec> } | { ok: false; message: string }) => {
        clearTimeout(timer);
        w.removeAllListeners();
        w.on('error', () => {});
        void w.terminate().finally(() => resolve(r));
      };
      const timer = setTimeout(
        () => done({ ok: false, message: `loading did not finish within ${this.#o.loadTimeoutMs} ms` }),
        this.#o.loadTimeoutMs,
      );
      w.on('message', (m: FromWorker) => {
        if (m.type === 'described') done({ ok: true, ...(m.params ? { params: m.params } : {}) });
        else if (m.type === 'failed')
          done({ ok: false, message: m.message.split('\n').slice(0, 4).join('\n') });
      });
      w.on('error', (err) => done({ ok: false, message: String(err) }));
      w.postMessage({
        type: 'init',
        seq: 0,
        file,
        name: 'describe',
        instruments: [],
        params: {},
        state: {},
        positions: {},
        tick: this.#o.tick,
        describeOnly: true,
      } satisfies ToWorker);
    });
  }

  #log(e: Entry, level: StrategyLogLine['level'], message: string): void {
    e.logs.push({ time: new Date(this.#o.now()).toISOString(), level, message });
    if (e.logs.length > LOG_LINES) e.logs.splice(0, e.logs.length - LOG_LINES);
  }

  #changed(e: Entry): void {
    this.#o.onChange?.(this.#view(e));
  }

  #view(e: Entry): StrategyView {
    return {
      name: e.def.name,
      instruments: e.def.instruments,
      params: e.def.params,
      ...(e.schema ? { paramsSchema: paramsJsonSchema(e.schema) } : {}),
      state: e.state,
      ...(e.error ? { error: e.error } : {}),
      source: e.def.source,
      enabled: e.def.enabled,
    };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type OrderMessage = Extract<FromWorker, { type: 'order' }>;

/** Both sent for the same tick (or both not from onTick). */
function sameTrigger(a: OrderMessage, b: OrderMessage): boolean {
  return a.trigger?.lane === b.trigger?.lane && a.trigger?.time === b.trigger?.time;
}
