/**
 * Login sessions kept in the runtime's journal (the SQLite file on the pod's volume), so that a restart does
 * not log investors out (sessions.ts). One row per session, keyed by the token's hash; the token itself is
 * never written.
 */
import type { Journal } from '../journal/journal.ts';
import type { Session, SessionPersistence } from './sessions.ts';

export function journalSessions(journal: Journal): SessionPersistence {
  return {
    load: () => journal.sessions().map(({ key, data }) => ({ key, session: JSON.parse(data) as Session })),
    save: (key, session) => journal.tx(() => journal.saveSession(key, JSON.stringify(session))),
    remove: (key) => journal.tx(() => journal.removeSession(key)),
  };
}
