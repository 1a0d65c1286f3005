/**
 * The runtime's Kubernetes client on the real API server, with the runtime's own identity (a token of its
 * ServiceAccount, the cluster CA): it reads and switches its platform's resource profile (runtime/platform) and
 * follows its users Secret live (runtime/api/users-kube-watch.ts) within the operator's Role — get and watch on
 * that Secret by name, no list. Revoking an InvestorAccess reaches the watch within seconds.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeUsersFileSchema } from '../../common/auth/users.ts';
import { createLogger } from '../../common/log.ts';
import type { Manager } from '../../operator/kube/manager.ts';
import { renderRuntimeAdmissionPolicy, runtimeIdentityName } from '../../operator/render/runtime-identity.ts';
import { watchUsersSecret } from '../../runtime/api/users-kube-watch.ts';
import { KubeClient } from '../../runtime/platform/kube-client.ts';
import { createKubePlatform } from '../../runtime/platform/kube-platform.ts';
import { counterSecret, ensureOperator, platform } from '../access/lib.ts';
import { apply, kubectl, kubectlJson, useNamespace, waitFor } from '../lib/index.ts';

const logger = createLogger('e2e-runtime-kube', { level: 'warn' });
const actor = { username: 'alice', role: 'trader' as const };

describe('runtime identity through the runtime’s own client', () => {
  const ns = useNamespace('api-kube');
  let mgr: Manager | undefined;
  let client: KubeClient;
  const seen: { at: number; users: { username: string; disabled: boolean }[] | undefined }[] = [];
  let stopWatch: (() => void) | undefined;

  beforeAll(async () => {
    mgr = await ensureOperator(ns.name);
    apply(renderRuntimeAdmissionPolicy());
    apply([counterSecret('alice'), platform('alice', ns.name)], ns.name);
    await waitFor(
      () =>
        kubectl(['-n', ns.name, 'get', 'rolebinding', runtimeIdentityName('alice')], { check: false })
          .code === 0,
      { timeout: 120_000, describe: 'the runtime identity of alice' },
    );
    const token = kubectl([
      '-n',
      ns.name,
      'create',
      'token',
      runtimeIdentityName('alice'),
      '--duration=1h',
    ]).stdout.trim();
    const cluster = kubectlJson(['config', 'view', '--raw', '--minify']).clusters[0].cluster;
    const ca = cluster['certificate-authority-data']
      ? Buffer.from(cluster['certificate-authority-data'], 'base64')
      : readFileSync(cluster['certificate-authority']);
    client = new KubeClient({ baseUrl: cluster.server, token: () => token, ca });
    stopWatch = watchUsersSecret(
      { client, namespace: ns.name, platform: 'alice', logger, retryMs: 500 },
      (text) =>
        seen.push({
          at: Date.now(),
          users: text === undefined ? undefined : RuntimeUsersFileSchema.parse(JSON.parse(text)).users,
        }),
    );
  }, 600_000);

  afterAll(async () => {
    stopWatch?.();
    await mgr?.stop();
  });

  it('may not list Secrets (the watch gets by name)', async () => {
    const res = await client.request('GET', `/api/v1/namespaces/${ns.name}/secrets`);
    expect(res.status).toBe(403);
  });

  it('reads and switches its own profile within allowedProfiles', async () => {
    const platformPort = createKubePlatform({ client, namespace: ns.name, name: 'alice', logger });
    expect(await platformPort.current()).toMatchObject({
      profile: 'standard',
      allowedProfiles: ['standard', 'large'],
    });
    expect(await platformPort.requestProfile('huge', actor)).toMatchObject({
      ok: false,
      code: 'PROFILE_NOT_ALLOWED',
    });
    expect(await platformPort.requestProfile('large', actor)).toEqual({
      ok: true,
      value: { profile: 'large' },
    });
    expect(kubectlJson(['-n', ns.name, 'get', 'tradingplatform', 'alice']).spec.runtime.profile).toBe(
      'large',
    );
    expect((await platformPort.current()).profile).toBe('large');
  });

  it('sees an InvestorAccess appear in the users Secret and its revocation', async () => {
    const ia = (disabled: boolean) => ({
      apiVersion: 'aurum.dev/v1alpha1',
      kind: 'InvestorAccess',
      metadata: { name: 'alice-laptop' },
      spec: { platformRef: { name: 'alice' }, username: 'alice', role: 'trader', disabled },
    });
    apply(ia(false), ns.name);
    await waitFor(() => seen.at(-1)?.users?.some((u) => u.username === 'alice' && !u.disabled), {
      timeout: 120_000,
      describe: 'alice in the users Secret, through the watch',
    });
    const before = Date.now();
    apply(ia(true), ns.name);
    await waitFor(() => !seen.at(-1)?.users?.some((u) => u.username === 'alice' && !u.disabled), {
      timeout: 60_000,
      describe: 'alice revoked, through the watch',
    });
    const seconds = (Date.now() - before) / 1000;
    console.log(
      `users Secret watch: revocation seen ${seconds.toFixed(1)} s after the InvestorAccess change`,
    );
    expect(seconds).toBeLessThan(30);
  });
});
