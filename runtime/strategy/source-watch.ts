/**
 * Notices when the module file of a TradingPlatform strategy changes under the running runtime: the admin edited
 * its ConfigMap (kubectl, Argo CD, Flux) and the kubelet swapped the mounted files, a minute or so later. The
 * platform's configuration did not change, so the operator has no reason to restart the pod; without this the
 * new version would wait, unnoticed, for the strategy's next start.
 *
 * Every `intervalMs` it compares a SHA-256 of each file's content with the last one it acted on. A file that
 * cannot be read is skipped until it can (the kubelet's swap is atomic, but a ConfigMap can be missing for a
 * while). Polling rather than fs.watch: the kubelet replaces a symbolic link two levels up, which inotify on the
 * file does not see, and a few small files read every few seconds cost nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface SourceWatchOptions {
  /** The files to watch, by strategy name (asked at every poll: the list can change). */
  files: () => ReadonlyArray<{ name: string; file: string }>;
  /**
   * Called for a file whose content changed. Resolves true when the change was dealt with (accepted or
   * refused), false to be called again at the next poll (the strategy was busy starting or stopping).
   */
  onChange: (name: string, file: string) => Promise<boolean>;
  intervalMs: number;
  /** Reads a file; default readFileSync. */
  read?: (file: string) => Buffer;
}

export class SourceWatch {
  readonly #o: SourceWatchOptions;
  /** name → hash of the content last acted on (or seen first). */
  readonly #known = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;

  constructor(o: SourceWatchOptions) {
    this.#o = o;
  }

  /** Takes the files' current contents as the versions in effect, then polls. */
  start(): void {
    for (const { name, file } of this.#o.files()) {
      const h = this.#hash(file);
      if (h !== undefined) this.#known.set(name, h);
    }
    this.#timer = setInterval(() => void this.poll(), this.#o.intervalMs);
    this.#timer.unref();
  }

  /** One look at every file; a poll still running (a strategy being restarted) is not overlapped. */
  poll(): Promise<void> {
    this.#polling ??= this.#poll().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  async #poll(): Promise<void> {
    for (const { name, file } of this.#o.files()) {
      const h = this.#hash(file);
      if (h === undefined) continue;
      const known = this.#known.get(name);
      if (known === undefined) {
        this.#known.set(name, h);
        continue;
      }
      if (known === h) continue;
      if (await this.#o.onChange(name, file)) this.#known.set(name, h);
    }
  }

  /** Stops polling; waits for a poll under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#polling;
  }

  #hash(file: string): string | undefined {
    try {
      return createHash('sha256')
        .update((this.#o.read ?? readFileSync)(file))
        .digest('hex');
    } catch {
      return undefined;
    }
  }
}
