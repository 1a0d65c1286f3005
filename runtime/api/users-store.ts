/**
 * The live user list. Credentials come from the Secret `<platform>-users` (common/auth/users.ts), which reaches
 * the runtime two ways: mounted as a file (kubelet updates it by swapping the `..data` symlink, a minute or so
 * after the Secret changes) and, in a pod, through a watch on the Kubernetes API (seconds). Each source is
 * applied only when its own content changes, so a stale file read never undoes a newer API update; the newest
 * change from either source wins.
 *
 * Fail closed: a missing file means no users. A file that does not parse keeps the last good list (a partial
 * write must not lock everybody out) and is logged.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type RuntimeUser, RuntimeUsersFileSchema } from '../../common/auth/users.ts';
import type { Logger } from '../../common/log.ts';

export type UsersSource = 'file' | 'kube' | 'test';

/** Why a user's sessions must end, or undefined when the user may go on. */
export type UserChange = { username: string; reason: string };

export interface UsersStore {
  get(username: string): RuntimeUser | undefined;
  /** Some user, or undefined when there are none (the login uses its hash cost for unknown names). */
  any(): RuntimeUser | undefined;
  /** Why the user may not log in or keep a session now (disabled, expired, removed), or undefined. */
  refusal(username: string, now: Date): string | undefined;
  /** Applies a new users.json text from a source; returns the users whose sessions must end. */
  apply(text: string | undefined, source: UsersSource): UserChange[];
  /** Subscribes to changes that end sessions (password, role, disabled, expiry date, removal). */
  onRevoke(listener: (changes: UserChange[]) => void): () => void;
  /** Reads the file now (also done on every file event and every `pollMs`). */
  reloadFile(): Promise<void>;
  /** Starts watching the file; resolves after the first read. */
  start(): Promise<void>;
  close(): void;
  readonly size: number;
}

export interface UsersStoreOptions {
  file: string;
  logger: Logger;
  /** Periodic re-read, a safety net for missed fs events. Default 5000 ms. */
  pollMs?: number;
}

const digest = (text: string | undefined): string =>
  text === undefined ? 'absent' : createHash('sha256').update(text).digest('hex');

/** Parses users.json text; throws with a readable message when it is malformed. */
export function parseUsers(text: string): Map<string, RuntimeUser> {
  const parsed = RuntimeUsersFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return new Map(parsed.data.users.map((u) => [u.username, u]));
}

/** What changed between two lists that must end a user's sessions. Pure. */
export function diffUsers(before: Map<string, RuntimeUser>, after: Map<string, RuntimeUser>): UserChange[] {
  const changes: UserChange[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now) changes.push({ username: name, reason: 'user removed' });
    else if (now.disabled && !old.disabled) changes.push({ username: name, reason: 'user disabled' });
    else if (now.passwordHash !== old.passwordHash)
      changes.push({ username: name, reason: 'password changed' });
    else if (now.role !== old.role) changes.push({ username: name, reason: `role changed to ${now.role}` });
    else if (now.expiresAt !== old.expiresAt && now.expiresAt)
      changes.push({ username: name, reason: 'expiry changed' });
  }
  return changes;
}

/** Creates the store; call {@link UsersStore.start} to read and watch the file. */
export function createUsersStore(opts: UsersStoreOptions): UsersStore {
  const { file, logger } = opts;
  const pollMs = opts.pollMs ?? 5000;
  let users = new Map<string, RuntimeUser>();
  const lastDigest = new Map<UsersSource, string>();
  const listeners = new Set<(changes: UserChange[]) => void>();
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<void> | undefined;
  let rereadQueued = false;

  function apply(text: string | undefined, source: UsersSource): UserChange[] {
    const d = digest(text);
    if (lastDigest.get(source) === d) return [];
    let next: Map<string, RuntimeUser>;
    try {
      next = text === undefined ? new Map() : parseUsers(text);
    } catch (err) {
      // Remember the digest so a persistently broken file is logged once, not on every poll.
      lastDigest.set(source, d);
      logger.error(
        { source, err: (err as Error).message },
        'users file malformed; keeping the previous list',
      );
      return [];
    }
    lastDigest.set(source, d);
    const changes = diffUsers(users, next);
    users = next;
    logger.info({ source, users: next.size, revoked: changes.length }, 'users reloaded');
    if (changes.length > 0) for (const l of listeners) l(changes);
    return changes;
  }

  async function readOnce(): Promise<void> {
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger.error({ file, err: (err as Error).message }, 'users file unreadable');
        return;
      }
    }
    apply(text, 'file');
  }

  /** Serialises reads; an event during a read schedules exactly one more. */
  function reloadFile(): Promise<void> {
    if (reading) {
      rereadQueued = true;
      return reading;
    }
    reading = readOnce().finally(() => {
      reading = undefined;
      if (rereadQueued) {
        rereadQueued = false;
        void reloadFile();
      }
    });
    return reading;
  }

  return {
    get: (username) => users.get(username),
    any: () => users.values().next().value,
    refusal(username, now) {
      const u = users.get(username);
      if (!u) return 'unknown user';
      if (u.disabled) return 'user disabled';
      if (u.expiresAt && Date.parse(u.expiresAt) <= now.getTime()) return 'access expired';
      return undefined;
    },
    apply,
    onRevoke(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reloadFile,
    async start() {
      await reloadFile();
      // Watch the directory, not the file: a mounted Secret replaces `..data` (a symlink swap), which a watch
      // on the file's old inode would never see.
      try {
        watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
          if (!name || name === basename(file) || name.startsWith('..')) void reloadFile();
        });
        watcher.on('error', (err) =>
          logger.warn({ err: err.message }, 'users directory watch failed; polling only'),
        );
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'cannot watch the users directory; polling only');
      }
      timer = setInterval(() => void reloadFile(), pollMs);
      timer.unref();
    },
    close() {
      watcher?.close();
      if (timer) clearInterval(timer);
      listeners.clear();
    },
    get size() {
      return users.size;
    },
  };
}
