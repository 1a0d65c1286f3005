import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../journal/journal.ts';
import { journalSessions } from './journal-sessions.ts';
import { createHarness, DEFAULT_USERS, type Harness } from './testing/harness.ts';

const alice = DEFAULT_USERS[0]!;
const dirs: string[] = [];
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const journalPath = () => {
  const d = mkdtempSync(join(tmpdir(), 'aurum-sessions-'));
  dirs.push(d);
  return join(d, 'journal.db');
};
const start = async (path: string, sessionTtlMs?: number) => {
  const journal = openJournal(path);
  const h = await createHarness({
    sessionPersistence: journalSessions(journal),
    ...(sessionTtlMs ? { sessionTtlMs } : {}),
  });
  harnesses.push(h);
  return {
    h,
    stop: async () => {
      harnesses.splice(harnesses.indexOf(h), 1);
      await h.close();
      journal.close();
    },
  };
};
const login = async (h: Harness) => {
  const r = await h.login(alice.username, alice.password);
  expect(r.status).toBe(200);
  return { token: r.token! };
};
const account = (h: Harness, token: string) =>
  h.app.inject({ url: '/api/account', headers: { authorization: `Bearer ${token}` } });

describe('sessions kept in the journal', () => {
  it('a restart of the runtime keeps investors logged in; a logout before it still counts after it', async () => {
    const path = journalPath();
    const first = await start(path);
    const stays = await login(first.h);
    const leaves = await login(first.h);
    const out = await first.h.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${leaves.token}` },
    });
    expect(out.statusCode).toBe(204);
    await first.stop();
    // Only hashes reach the disk: neither token is anywhere in the journal file.
    const raw = readFileSync(path).toString('latin1');
    expect(raw.includes(stays.token)).toBe(false);
    expect(raw.includes(leaves.token)).toBe(false);

    const second = await start(path);
    expect((await account(second.h, stays.token)).statusCode).toBe(200);
    expect((await account(second.h, leaves.token)).statusCode).toBe(401);
    await second.stop();
  });

  it('sessions that expired while the runtime was down are dropped at start', async () => {
    const path = journalPath();
    const first = await start(path, 60_000);
    const { token } = await login(first.h);
    await first.stop();
    const j = openJournal(path);
    expect(j.sessions()).toHaveLength(1);
    // The harness's clock starts at the same instant each time: make the stored session one that ended.
    const [row] = j.sessions();
    j.tx(() => j.saveSession(row!.key, JSON.stringify({ ...JSON.parse(row!.data), expiresAt: 1 })));
    j.close();
    const second = await start(path, 60_000);
    expect((await account(second.h, token)).statusCode).toBe(401);
    await second.stop();
    const k = openJournal(path);
    expect(k.sessions()).toEqual([]);
    k.close();
  });
});
