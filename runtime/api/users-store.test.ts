import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import { DEFAULT_USERS, usersJson } from './testing/harness.ts';
import { createUsersStore, type UserChange, type UsersStore } from './users-store.ts';

const logger = createLogger('test', { level: 'silent' });
let dir: string;
let store: UsersStore | undefined;
afterEach(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Lays out a directory the way the kubelet mounts a Secret: users.json → ..data/users.json, ..data → ..<ts>. */
function kubeMount(content: string, generation: number): void {
  const ts = join(dir, `..2026_06_01_${generation}`);
  mkdirSync(ts);
  writeFileSync(join(ts, 'users.json'), content);
  const tmpLink = join(dir, '..data_tmp');
  symlinkSync(`..2026_06_01_${generation}`, tmpLink);
  renameSync(tmpLink, join(dir, '..data')); // atomic swap, as the kubelet does
  if (generation === 1) symlinkSync('..data/users.json', join(dir, 'users.json'));
}

/** The same list without some users (same hashes, so only the removal is a change). */
const without = (json: string, ...names: string[]) =>
  JSON.stringify({
    users: JSON.parse(json).users.filter((u: { username: string }) => !names.includes(u.username)),
  });

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('users store', () => {
  it('follows a Kubernetes Secret mount through the ..data symlink swap, without polling', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aurum-users-'));
    const v1 = await usersJson(DEFAULT_USERS);
    kubeMount(v1, 1);
    store = createUsersStore({ file: join(dir, 'users.json'), logger, pollMs: 3_600_000 });
    await store.start();
    expect(store.get('alice')?.role).toBe('trader');
    const revoked: UserChange[] = [];
    store.onRevoke((c) => revoked.push(...c));
    kubeMount(without(v1, 'alice'), 2);
    await until(() => revoked.length > 0);
    expect(revoked).toEqual([{ username: 'alice', reason: 'user removed' }]);
    expect(store.get('alice')).toBeUndefined();
  });

  it('fails closed when the file disappears, and takes the newest change from either source', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aurum-users-'));
    const file = join(dir, 'users.json');
    const v1 = await usersJson(DEFAULT_USERS);
    writeFileSync(file, v1);
    store = createUsersStore({ file, logger, pollMs: 3_600_000 });
    await store.start();
    // The API watch delivers v2 before the kubelet updates the file: a re-read of the unchanged file must not undo it.
    const v2 = without(v1, 'bob');
    expect(store.apply(v2, 'kube')).toEqual([{ username: 'bob', reason: 'user removed' }]);
    await store.reloadFile();
    expect(store.get('bob')).toBeUndefined();
    rmSync(file);
    await store.reloadFile();
    expect(store.size).toBe(0);
  });

  it('rejects a list whose hashes are not slow hashes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aurum-users-'));
    const file = join(dir, 'users.json');
    writeFileSync(
      file,
      JSON.stringify({ users: [{ username: 'eve', role: 'trader', passwordHash: 'plaintext' }] }),
    );
    store = createUsersStore({ file, logger });
    await store.start();
    expect(store.get('eve')).toBeUndefined();
  });
});
