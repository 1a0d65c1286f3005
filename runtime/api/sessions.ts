/**
 * Login sessions: an opaque random token (256 bits) maps to who logged in and until when. Only a SHA-256 of the
 * token is kept, so a heap dump does not hand out live sessions. Sessions end on logout, on expiry, or when the
 * user is revoked; listeners (WebSocket streams) hear about every end so they can close at once.
 *
 * With a {@link SessionPersistence} (the runtime's journal, see journal-sessions.ts) every start and end is
 * written through, so a runtime restart (an upgrade, a crash) does not log investors out: the sessions alive
 * at the restart are loaded back, the expired ones dropped, and revoked users' are ended by the first sweep.
 * What is stored is the same hash (a fast hash suits a 256-bit random token; a slow one is for passwords).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  /** A short non-secret id for logs and stream bookkeeping. */
  id: string;
  username: string;
  role: 'trader' | 'viewer';
  createdAt: number;
  expiresAt: number;
}

/** Where sessions outlive the process. Keys are token hashes, never tokens. */
export interface SessionPersistence {
  load(): Array<{ key: string; session: Session }>;
  save(key: string, session: Session): void;
  remove(key: string): void;
}

export interface SessionStoreOptions {
  /** Write-through store; default none (sessions live as long as the process). */
  persistence?: SessionPersistence;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Lifetime of a session. Default 8 hours (a trading day). */
  ttlMs?: number;
  /** Token source. Default 32 random bytes, base64url. */
  newToken?: () => string;
}

export interface SessionStore {
  create(username: string, role: Session['role']): { token: string; session: Session };
  /** The live session for a token, or undefined (unknown, or expired: then it is ended). */
  get(token: string): Session | undefined;
  /** Ends one session by token. */
  end(token: string, reason: string): boolean;
  /** Ends every session of a user; returns how many. */
  endUser(username: string, reason: string): number;
  /** Ends expired sessions and those `keep` rejects; returns how many ended. */
  sweep(keep?: (s: Session) => string | undefined): number;
  onEnd(listener: (session: Session, reason: string) => void): () => void;
  readonly size: number;
}

const hash = (token: string): string => createHash('sha256').update(token).digest('base64url');

export function createSessionStore(opts: SessionStoreOptions = {}): SessionStore {
  const now = opts.now ?? Date.now;
  const ttlMs = opts.ttlMs ?? 8 * 3600_000;
  const newToken = opts.newToken ?? (() => randomBytes(32).toString('base64url'));
  const byHash = new Map<string, Session>();
  const listeners = new Set<(s: Session, reason: string) => void>();
  const persistence = opts.persistence;
  const started = now();
  for (const { key, session } of persistence?.load() ?? []) {
    if (session.expiresAt > started) byHash.set(key, session);
    else persistence?.remove(key);
  }

  function endKey(key: string, reason: string): void {
    const s = byHash.get(key);
    if (!s) return;
    byHash.delete(key);
    persistence?.remove(key);
    for (const l of listeners) l(s, reason);
  }

  return {
    create(username, role) {
      const token = newToken();
      const t = now();
      const session: Session = {
        id: hash(token).slice(0, 10),
        username,
        role,
        createdAt: t,
        expiresAt: t + ttlMs,
      };
      const key = hash(token);
      persistence?.save(key, session); // first: a session the store could not keep is never handed out
      byHash.set(key, session);
      return { token, session };
    },
    get(token) {
      const key = hash(token);
      const s = byHash.get(key);
      if (!s) return undefined;
      if (s.expiresAt <= now()) {
        endKey(key, 'session expired');
        return undefined;
      }
      return s;
    },
    end(token, reason) {
      const key = hash(token);
      const had = byHash.has(key);
      endKey(key, reason);
      return had;
    },
    endUser(username, reason) {
      let n = 0;
      for (const [key, s] of [...byHash]) {
        if (s.username === username) {
          endKey(key, reason);
          n++;
        }
      }
      return n;
    },
    sweep(keep) {
      let n = 0;
      const t = now();
      for (const [key, s] of [...byHash]) {
        const why = s.expiresAt <= t ? 'session expired' : keep?.(s);
        if (why) {
          endKey(key, why);
          n++;
        }
      }
      return n;
    },
    onEnd(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get size() {
      return byHash.size;
    },
  };
}
