import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log.ts';
import { KubeClient } from './kube-client.ts';
import { createKubePlatform, TRADING_PLATFORM_PATH } from './kube-platform.ts';

const logger = createLogger('test', { level: 'silent' });
const actor = { username: 'alice', role: 'trader' as const };

/** A loopback stand-in for the API server holding one TradingPlatform; `deny` makes PATCH answer 403. */
async function fakeApi(opts: { deny?: boolean } = {}) {
  const tp = {
    spec: { runtime: { profile: 'standard', allowedProfiles: ['standard', 'large'] } },
    status: {
      runtime: {
        profile: 'standard',
        resources: { limits: { cpu: '1', memory: '1Gi' } },
        resizeMethod: 'InPlace',
      },
    },
  };
  const seen: { method: string; url: string; auth?: string; type?: string; body?: unknown }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      const body = text ? JSON.parse(text) : undefined;
      seen.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body,
      });
      res.setHeader('content-type', 'application/json');
      if (req.url !== TRADING_PLATFORM_PATH('investors', 'alice')) {
        res.statusCode = 404;
        return res.end(JSON.stringify({ message: 'not found' }));
      }
      if (req.method === 'PATCH') {
        if (opts.deny) {
          res.statusCode = 403;
          return res.end(
            JSON.stringify({ message: 'ValidatingAdmissionPolicy denied: only spec.runtime.profile' }),
          );
        }
        tp.spec.runtime.profile = body.spec.runtime.profile;
      }
      res.end(JSON.stringify(tp));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const client = new KubeClient({ baseUrl: `http://127.0.0.1:${port}`, token: () => 'sa-token' });
  return { server, seen, tp, client };
}

let api: Awaited<ReturnType<typeof fakeApi>> | undefined;
afterEach(() => api?.server.close());

describe('kube platform', () => {
  it('reads the profile and merge-patches spec.runtime.profile with the service-account token', async () => {
    api = await fakeApi();
    const platform = createKubePlatform({
      client: api.client,
      namespace: 'investors',
      name: 'alice',
      logger,
    });
    expect(await platform.current()).toEqual({
      profile: 'standard',
      effectiveProfile: 'standard',
      allowedProfiles: ['standard', 'large'],
      resources: { limits: { cpu: '1', memory: '1Gi' } },
      resizeStatus: 'InPlace',
    });
    expect(await platform.requestProfile('large', actor)).toEqual({ ok: true, value: { profile: 'large' } });
    const patch = api.seen.find((s) => s.method === 'PATCH')!;
    expect(patch).toMatchObject({
      auth: 'Bearer sa-token',
      type: 'application/merge-patch+json',
      body: { spec: { runtime: { profile: 'large' } } },
    });
    // Until the operator has resized the pod, the status still says standard.
    expect(await platform.current()).toMatchObject({
      profile: 'large',
      effectiveProfile: 'standard',
      resizeStatus: 'pending',
    });
  });

  it('refuses a profile outside allowedProfiles without calling the API to change anything', async () => {
    api = await fakeApi();
    const platform = createKubePlatform({
      client: api.client,
      namespace: 'investors',
      name: 'alice',
      logger,
    });
    const res = await platform.requestProfile('huge', actor);
    expect(res).toEqual({
      ok: false,
      code: 'PROFILE_NOT_ALLOWED',
      message: 'Profile huge is not allowed for this platform; choose one of: standard, large.',
    });
    expect(api.seen.some((s) => s.method === 'PATCH')).toBe(false);
  });

  it('reports the cluster refusing the change, and an unreachable API', async () => {
    api = await fakeApi({ deny: true });
    const platform = createKubePlatform({
      client: api.client,
      namespace: 'investors',
      name: 'alice',
      logger,
    });
    const denied = await platform.requestProfile('large', actor);
    expect(denied).toMatchObject({ ok: false, code: 'PROFILE_CHANGE_DENIED' });
    expect(denied.ok ? '' : denied.message).toContain('ValidatingAdmissionPolicy denied');
    const gone = createKubePlatform({
      client: new KubeClient({ baseUrl: 'http://127.0.0.1:1', token: () => 't' }),
      namespace: 'investors',
      name: 'alice',
      logger,
    });
    expect(await gone.requestProfile('large', actor)).toMatchObject({
      ok: false,
      code: 'PLATFORM_UNAVAILABLE',
    });
  });
});
