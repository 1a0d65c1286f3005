import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import { KubeClient } from '../platform/kube-client.ts';
import { DEFAULT_USERS, usersJson } from './testing/harness.ts';
import { usersKubeWatch } from './users-kube-watch.ts';
import { createUsersStore, type UserChange } from './users-store.ts';

const logger = createLogger('test', { level: 'silent' });
const secret = (json: string) => ({
  metadata: { name: 'alice-users' },
  data: { 'users.json': Buffer.from(json).toString('base64') },
});
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('users Secret watch', () => {
  it('applies Secret changes from the API before the mounted file changes, and fails closed on delete', async () => {
    const v1 = await usersJson(DEFAULT_USERS);
    const v2 = JSON.stringify({
      users: JSON.parse(v1).users.filter((u: { username: string }) => u.username !== 'alice'),
    });
    let stream: ServerResponse | undefined;
    const urls: string[] = [];
    const server = createServer((req, res) => {
      urls.push(req.url!);
      res.setHeader('content-type', 'application/json');
      if (req.url!.includes('watch=true')) {
        stream = res;
        res.write('');
        return;
      }
      if (req.url !== '/api/v1/namespaces/investors/secrets/alice-users') {
        res.statusCode = 403; // the runtime's Role allows get and watch on this Secret only
        return res.end('{}');
      }
      res.end(JSON.stringify({ ...secret(v1), metadata: { name: 'alice-users', resourceVersion: '7' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new KubeClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: () => 't',
    });
    const dir = mkdtempSync(join(tmpdir(), 'aurum-kw-'));
    const file = join(dir, 'users.json');
    writeFileSync(file, v1);
    const store = createUsersStore({ file, logger, pollMs: 3_600_000 });
    await store.start();
    const revoked: UserChange[] = [];
    store.onRevoke((c) => revoked.push(...c));
    const stop = usersKubeWatch({ client, namespace: 'investors', platform: 'alice', logger })(store);
    await until(() => stream !== undefined);
    expect(urls[0]).toBe('/api/v1/namespaces/investors/secrets/alice-users');
    expect(urls[1]).toBe(
      '/api/v1/namespaces/investors/secrets?watch=true&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dalice-users&resourceVersion=7',
    );
    stream!.write(`${JSON.stringify({ type: 'MODIFIED', object: secret(v2) })}\n`);
    await until(() => revoked.length > 0);
    expect(revoked).toEqual([{ username: 'alice', reason: 'user removed' }]);
    // The stale file does not bring alice back.
    await store.reloadFile();
    expect(store.get('alice')).toBeUndefined();
    stream!.write(`${JSON.stringify({ type: 'DELETED', object: secret(v2) })}\n`);
    await until(() => store.size === 0);
    stop();
    store.close();
    stream!.end();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
