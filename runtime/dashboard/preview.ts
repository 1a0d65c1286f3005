/**
 * The dashboard against the in-memory fake engine, for design work without a counter:
 *   node runtime/dashboard/preview.ts [port]      → http://127.0.0.1:8090, alice / "correct horse battery"
 * Ninety minutes of price history are generated in fast-forward, then the market ticks every 150 ms.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../common/log.ts';
import { buildApiServer } from '../api/server.ts';
import { createFakeEngine } from '../api/testing/fake-engine.ts';
import { DEFAULT_USERS, usersJson } from '../api/testing/harness.ts';

const port = Number(process.argv[2] ?? 8090);
const dir = mkdtempSync(join(tmpdir(), 'aurum-preview-'));
writeFileSync(join(dir, 'users.json'), await usersJson(DEFAULT_USERS));
let offset = -90 * 60_000;
const engine = createFakeEngine({ now: () => Date.now() + offset, seed: 7 });
for (let i = 0; i < 360; i++) {
  engine.step();
  offset += 15_000;
}
offset = 0;
engine.run(150);
const app = await buildApiServer({
  engine,
  usersFile: join(dir, 'users.json'),
  health: () => ({ ready: true, checks: {} }),
  logger: createLogger('dashboard-preview'),
  platform: {
    current: async () => ({ profile: 'standard', allowedProfiles: ['standard', 'large'] }),
    requestProfile: async (profile) => ({ ok: true, value: { profile } }),
  },
});
await app.listen({ port, host: '127.0.0.1' });
console.log(
  `dashboard preview on http://127.0.0.1:${port} — users: ${DEFAULT_USERS.map((u) => `${u.username} / ${u.password}`).join(', ')}`,
);
