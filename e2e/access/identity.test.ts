/**
 * The runtime's identity on the real API server: the pod's ServiceAccount may read its own users/peers
 * Secrets and switch its own profile within allowedProfiles — and nothing else. RBAC limits verbs and names;
 * the ValidatingAdmissionPolicy shipped with the operator refuses every other change, e.g. raising its own
 * risk limits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manager } from '../../operator/kube/manager.ts';
import { renderRuntimeAdmissionPolicy, runtimeIdentityName } from '../../operator/render/runtime-identity.ts';
import { apply, kubectl, kubectlJson, useNamespace, waitFor } from '../lib/index.ts';
import { counterSecret, ensureOperator, platform } from './lib.ts';

describe('runtime identity: profile switch only, enforced by the API server', () => {
  const ns = useNamespace('identity');
  let mgr: Manager | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'aurum-id-'));
  let asRuntime: (args: string[]) => { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    mgr = await ensureOperator(ns.name);
    apply(renderRuntimeAdmissionPolicy());
    apply(
      [counterSecret('alice'), counterSecret('bob'), platform('alice', ns.name), platform('bob', ns.name)],
      ns.name,
    );
    await waitFor(
      () =>
        kubectl(['-n', ns.name, 'get', 'rolebinding', runtimeIdentityName('alice')], { check: false })
          .code === 0,
      {
        timeout: 120_000,
        describe: 'the runtime identity of alice',
      },
    );
    const token = kubectl([
      '-n',
      ns.name,
      'create',
      'token',
      runtimeIdentityName('alice'),
      '--duration=1h',
    ]).stdout.trim();
    const admin = kubectlJson(['config', 'view', '--raw', '--minify']);
    const cluster = admin.clusters[0].cluster;
    const kubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: cluster.server,
            ...(cluster['certificate-authority-data']
              ? { 'certificate-authority-data': cluster['certificate-authority-data'] }
              : { 'certificate-authority': cluster['certificate-authority'] }),
          },
        },
      ],
      users: [{ name: 'runtime', user: { token } }],
      contexts: [{ name: 'runtime', context: { cluster: 'c', user: 'runtime', namespace: ns.name } }],
      'current-context': 'runtime',
    };
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, JSON.stringify(kubeconfig), { mode: 0o600 });
    // kubectl() prepends the admin kubeconfig; a later --kubeconfig wins.
    asRuntime = (args) => kubectl(['--kubeconfig', path, '-n', ns.name, ...args], { check: false });
    const who = asRuntime(['get', 'tradingplatform', 'alice', '-o', 'name']);
    expect(who.stdout.trim(), who.stderr).toBe('tradingplatform.aurum.dev/alice');
    // The policy compiles asynchronously: wait until a forbidden change is refused (dry run, so nothing changes meanwhile).
    await waitFor(
      () =>
        asRuntime([
          'patch',
          'tradingplatform',
          'alice',
          '--type=merge',
          '--dry-run=server',
          '-p',
          '{"spec":{"risk":{"maxOrderLots":10}}}',
        ]).stderr.includes('ValidatingAdmissionPolicy'),
      {
        timeout: 60_000,
        describe: 'the admission policy active',
      },
    );
  }, 600_000);

  afterAll(async () => {
    await mgr?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('may switch its own profile within allowedProfiles', () => {
    const r = asRuntime([
      'patch',
      'tradingplatform',
      'alice',
      '--type=merge',
      '-p',
      '{"spec":{"runtime":{"profile":"large"}}}',
    ]);
    expect(r.stderr).toBe('');
    expect(kubectlJson(['-n', ns.name, 'get', 'tradingplatform', 'alice']).spec.runtime.profile).toBe(
      'large',
    );
    const outside = asRuntime([
      'patch',
      'tradingplatform',
      'alice',
      '--type=merge',
      '-p',
      '{"spec":{"runtime":{"profile":"small"}}}',
    ]);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toContain('profile must be one of allowedProfiles');
  });

  it('is refused by the API server when it tries to raise its own risk limits or change anything else', () => {
    const risk = asRuntime([
      'patch',
      'tradingplatform',
      'alice',
      '--type=merge',
      '-p',
      '{"spec":{"risk":{"maxOrderLots":10,"maxPositionLots":100}}}',
    ]);
    expect(risk.code).not.toBe(0);
    expect(risk.stderr).toContain('a runtime identity may change only spec.runtime.profile, not spec.risk');
    expect(kubectlJson(['-n', ns.name, 'get', 'tradingplatform', 'alice']).spec.risk.maxOrderLots).toBe(5);
    for (const [patch, what] of [
      [
        '{"spec":{"runtime":{"allowedProfiles":["standard","large","huge"]}}}',
        'spec.runtime.allowedProfiles',
      ],
      ['{"spec":{"paused":true}}', 'spec.paused'],
      ['{"metadata":{"labels":{"tier":"gold"}}}', 'metadata.labels'],
    ] as const) {
      const r = asRuntime(['patch', 'tradingplatform', 'alice', '--type=merge', '-p', patch]);
      expect(r.code, patch).not.toBe(0);
      expect(r.stderr).toContain(what);
    }
    // RBAC: not another platform, no delete, not other Secrets; its own users Secret is readable.
    expect(
      asRuntime([
        'patch',
        'tradingplatform',
        'bob',
        '--type=merge',
        '-p',
        '{"spec":{"runtime":{"profile":"large"}}}',
      ]).stderr,
    ).toContain('forbidden');
    expect(asRuntime(['delete', 'tradingplatform', 'alice', '--dry-run=server']).stderr).toContain(
      'forbidden',
    );
    expect(asRuntime(['get', 'secret', 'alice-counter']).stderr).toContain('forbidden');
    expect(asRuntime(['get', 'secrets']).stderr).toContain('forbidden');
    const users = asRuntime(['get', 'secret', 'alice-users', '-o', 'name']);
    expect(users.stderr.includes('forbidden')).toBe(false);
  });
});
