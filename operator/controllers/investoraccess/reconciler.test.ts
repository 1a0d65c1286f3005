import { describe, expect, it } from 'vitest';
import { RuntimeUsersFileSchema } from '../../../common/auth/users.ts';
import { createLogger } from '../../../common/log.ts';
import { parseOperatorConfig } from '../../config.ts';
import type { KubeClient } from '../../kube/client.ts';
import { ApiError } from '../../kube/errors.ts';
import { type KubeObject, objectKey } from '../../kube/resources.ts';
import { FakeClock } from '../../kube/testing.ts';
import { samplePlatform } from '../../render/fixtures.ts';
import type { CredentialGenerators } from './credentials.ts';
import { type AccessCaches, type InvestorAccessObject, InvestorAccessReconciler } from './reconciler.ts';

class FakeCache<T extends KubeObject = KubeObject> {
  readonly m = new Map<string, T>();
  get(key: string) {
    return this.m.get(key);
  }
  list() {
    return [...this.m.values()];
  }
  observe(o: T) {
    this.m.set(objectKey(o), o);
  }
}

/** Secrets in a map; SSA = replace data; status applies land in the caches; `failOnce` breaks one write. */
class FakeApi {
  secrets = new Map<string, Record<string, string>>();
  writes: string[] = [];
  failOnce: string | undefined;
  caches: Record<string, FakeCache>;
  constructor(caches: Record<string, FakeCache>) {
    this.caches = caches;
  }
  async get(path: string) {
    const name = path.split('/').at(-1)!;
    const data = this.secrets.get(name);
    if (!data) throw new ApiError(404, 'GET', path, {});
    return { data };
  }
  async request(_m: string, path: string, obj: any) {
    const name = obj.metadata.name as string;
    const what = `${obj.kind}${path.includes('/status') ? '/status' : ''} ${name}`;
    if (this.failOnce && what.startsWith(this.failOnce)) {
      this.failOnce = undefined;
      throw new ApiError(500, 'PATCH', path, {});
    }
    this.writes.push(what);
    if (obj.kind === 'Secret') this.secrets.set(name, obj.data);
    const cache = this.caches[obj.kind];
    if (!cache) return obj;
    const cur = cache.get(objectKey({ metadata: { name, namespace: obj.metadata.namespace } }));
    const merged = path.includes('/status')
      ? { ...cur, status: { ...(cur as any)?.status, ...obj.status } }
      : { ...obj, spec: obj.spec };
    cache.observe(merged);
    return merged;
  }
}

let n = 0;
const gen: CredentialGenerators = {
  keyPair: () => {
    n++;
    const k = Buffer.alloc(32, n).toString('base64');
    return { privateKey: k, publicKey: Buffer.alloc(32, n + 100).toString('base64') };
  },
  password: () => `pw-${++n}`,
  hash: async (pw) => `scrypt$1024$8$1$c2FsdA==$${Buffer.from(pw).toString('base64')}`,
};

function setup(judged = true) {
  const tp = samplePlatform();
  // The TradingPlatform controller's first verdict; platform status from this controller waits for it.
  if (judged)
    tp.status = {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'Provisioning',
          message: '',
          lastTransitionTime: '2026-11-25T00:00:00Z',
        },
      ],
    } as never;
  const caches = {
    TradingPlatform: new FakeCache(),
    InvestorAccess: new FakeCache<InvestorAccessObject>(),
    Pod: new FakeCache(),
    Service: new FakeCache(),
  };
  caches.TradingPlatform.observe(tp as unknown as KubeObject);
  caches.Pod.observe({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'alice-runtime-0', namespace: 'investors' },
    status: { hostIP: '192.0.2.2' },
  } as KubeObject);
  caches.Service.observe({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'alice-wireguard', namespace: 'investors' },
    spec: { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 51820, nodePort: 31820 }] },
  } as KubeObject);
  const api = new FakeApi(caches as never);
  const make = (generators: CredentialGenerators = gen) =>
    new InvestorAccessReconciler({
      client: api as unknown as KubeClient,
      config: parseOperatorConfig({}),
      caches: {
        platforms: caches.TradingPlatform,
        accesses: caches.InvestorAccess,
        pods: caches.Pod,
        services: caches.Service,
      } as unknown as AccessCaches,
      clock: new FakeClock(Date.parse('2026-11-25T00:00:00Z')),
      generators,
    });
  const access = (name: string, spec: Record<string, unknown> = {}) =>
    caches.InvestorAccess.observe({
      apiVersion: 'aurum.dev/v1alpha1',
      kind: 'InvestorAccess',
      metadata: {
        name,
        namespace: 'investors',
        uid: `uid-${name}`,
        generation: 1,
        creationTimestamp: `2026-11-01T00:00:0${caches.InvestorAccess.m.size}Z`,
      },
      spec: {
        platformRef: { name: 'alice' },
        username: name.replace('-', ''),
        role: 'trader',
        wireguard: {},
        disabled: false,
        ...spec,
      },
    } as unknown as InvestorAccessObject);
  const ctx = { log: createLogger('test', { level: 'silent' }), signal: new AbortController().signal };
  const req = { namespace: 'investors', name: 'alice' };
  const decode = (secret: string, key: string) =>
    Buffer.from(api.secrets.get(secret)?.[key] ?? '', 'base64').toString();
  return { api, make, access, ctx, req, decode, caches };
}

describe('InvestorAccessReconciler', () => {
  it('renders peers, users, the access Secret with the endpoint, and statuses; a second pass writes nothing', async () => {
    const { api, make, access, ctx, req, decode, caches } = setup();
    access('alice-laptop');
    const r = make();
    await r.reconcile(ctx, req);
    expect(JSON.parse(decode('alice-peers', 'peers.json')).peers).toHaveLength(1);
    const users = RuntimeUsersFileSchema.parse(JSON.parse(decode('alice-users', 'users.json'))).users;
    expect(users.map((u) => u.username)).toEqual(['alicelaptop']);
    const conf = decode('alice-laptop-access', 'aurum.conf');
    expect(conf).toContain('Endpoint = 192.0.2.2:31820');
    expect(conf).toContain('Address = 10.77.0.2/32');
    expect(decode('alice-laptop-access', 'password')).not.toBe('');
    expect(decode('alice-users', 'users.json')).not.toContain(decode('alice-laptop-access', 'password'));
    expect((caches.InvestorAccess.get('investors/alice-laptop') as any).status.tunnelAddress).toBe(
      '10.77.0.2/32',
    );
    expect((caches.TradingPlatform.get('investors/alice') as any).status.endpoint).toEqual({
      wireguard: '192.0.2.2:31820',
      api: 'http://10.77.0.1:8080',
    });
    api.writes = [];
    await r.reconcile(ctx, req);
    expect(api.writes).toEqual([]);
  });

  it('holds the platform status until the TradingPlatform controller has judged the platform (kstatus)', async () => {
    const { make, access, ctx, req, caches } = setup(false);
    access('alice-laptop');
    const result = await make().reconcile(ctx, req);
    expect((caches.TradingPlatform.get('investors/alice') as any).status).toBeUndefined();
    expect(result?.requeueAfter).toBeLessThanOrEqual(1000);
  });

  it('reuses credentials when a later write failed (no second key for the same investor)', async () => {
    const { api, make, access, ctx, req, decode } = setup();
    access('alice-laptop');
    api.failOnce = 'Secret alice-users';
    await expect(make().reconcile(ctx, req)).rejects.toThrow();
    const key = decode('alice-laptop-access', 'publicKey');
    expect(key).not.toBe('');
    expect(decode('alice-laptop-access', 'aurum.conf')).toBe(''); // not handed out before the peer is published
    await make().reconcile(ctx, req);
    expect(decode('alice-laptop-access', 'publicKey')).toBe(key);
    expect(decode('alice-peers', 'peers.json')).toContain(key);
  });

  it('revokes a disabled access and keeps addresses across operator restarts', async () => {
    const { make, access, ctx, req, decode } = setup();
    access('alice-laptop');
    access('alice-phone');
    await make().reconcile(ctx, req);
    const before = decode('alice-peers', 'allocations.json');
    access('alice-laptop', { disabled: true });
    await make().reconcile(ctx, req);
    const peers = JSON.parse(decode('alice-peers', 'peers.json')).peers as { name: string }[];
    expect(peers.map((p) => p.name)).toEqual(['alice-phone']);
    expect(decode('alice-users', 'users.json')).not.toContain('alicelaptop');
    expect(decode('alice-peers', 'allocations.json')).toBe(before);
  });

  it('publishes the peer before the password is hashed, and hands out the wg-quick file last', async () => {
    const { api, access, ctx, req, make } = setup();
    let release: () => void = () => {};
    const slowHash = new Promise<void>((r) => (release = r));
    const slow: CredentialGenerators = {
      ...gen,
      hash: async (pw) => {
        await slowHash;
        return gen.hash(pw);
      },
    };
    access('alice-laptop');
    const r = make(slow);
    const pass = r.reconcile(ctx, req);
    for (let i = 0; i < 50 && !api.writes.includes('Secret alice-peers'); i++)
      await new Promise((x) => setTimeout(x, 1));
    // server key (first pass), the new key pair alone, the peer — all while the hash is still running
    expect(api.writes).toEqual([
      'Secret alice-wireguard',
      'Secret alice-laptop-access',
      'Secret alice-peers',
    ]);
    release();
    await pass;
    expect(api.writes.slice(3, 5)).toEqual(['Secret alice-users', 'Secret alice-laptop-access']);
  });
});
