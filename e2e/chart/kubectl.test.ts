/**
 * kubectl ergonomics on the real API server: `kubectl explain` prints the descriptions the schemas carry,
 * `kubectl get` shows the printer columns, and the `kubectl aurum` plugin reports a platform in one line —
 * invoked the way users invoke it, through kubectl's plugin discovery on PATH.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCrd } from '../../operator/api/crd.ts';
import { KINDS } from '../../operator/api/kinds.ts';
import type { Manager } from '../../operator/kube/manager.ts';
import { ensureOperator } from '../access/lib.ts';
import {
  apply,
  kubeconfigPath,
  kubectl,
  kubectlBinary,
  kubectlJson,
  useNamespace,
  waitFor,
} from '../lib/index.ts';
import { installAurum, platformManifests } from './lib.ts';

type Schema = { description?: string; properties?: Record<string, Schema> };
const words = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('kubectl ergonomics', () => {
  const ns = useNamespace('kubectl');
  let inProcess: Manager | undefined;
  beforeAll(async () => {
    installAurum();
    inProcess = await ensureOperator();
  });
  afterAll(async () => {
    await inProcess?.stop();
  });

  it('kubectl explain prints every kind and every spec field with the schema descriptions', () => {
    for (const k of KINDS) {
      const root = (buildCrd(k) as any).spec.versions[0].schema.openAPIV3Schema as Schema;
      expect(words(kubectl(['explain', k.plural]).stdout)).toContain(words(k.description));
      for (const [field, schema] of Object.entries(root.properties!.spec!.properties!)) {
        const text = words(kubectl(['explain', `${k.plural}.spec.${field}`]).stdout);
        expect(text, `${k.plural}.spec.${field}`).toContain(words(schema.description ?? '').slice(0, 60));
      }
    }
  });

  it('kubectl get shows the printer columns (wide adds the priority ones) and the short names work', async () => {
    apply(platformManifests(ns.name, 'cols'));
    await waitFor(() => kubectlJson(['-n', ns.name, 'get', 'tp', 'cols']).status?.phase, {
      describe: 'the platform to get a phase',
    });
    const tpKind = KINDS.find((k) => k.kind === 'TradingPlatform')!;
    const wide = kubectl(['-n', ns.name, 'get', 'tp', '-o', 'wide']).stdout.split('\n')[0]!;
    expect(wide.split(/\s{2,}/).map((h) => h.trim())).toEqual([
      'NAME',
      ...tpKind.printerColumns.map((c) => c.name.toUpperCase()),
    ]);
    const narrow = kubectl(['-n', ns.name, 'get', 'tp']).stdout.split('\n');
    const cols = narrow[0]!.split(/\s{2,}/);
    expect(cols).toEqual([
      'NAME',
      ...KINDS[0]!.printerColumns.filter((c) => !c.priority).map((c) => c.name.toUpperCase()),
    ]);
    expect(narrow[1]).toMatch(/^cols\s+cols\s+(Pending|Provisioning|Ready|Degraded|Failed)\s/);
  });

  it('kubectl aurum status gives one line of health, through kubectl plugin discovery', async () => {
    await waitFor(
      () =>
        kubectlJson(['-n', ns.name, 'get', 'tp', 'cols']).status?.conditions?.find(
          (c: any) => c.type === 'Ready',
        )?.status === 'True',
      { describe: 'the platform to be Ready', timeout: 180_000 },
    );
    const cli = join(import.meta.dirname, '..', '..', 'cli');
    const env = {
      ...process.env,
      KUBECONFIG: kubeconfigPath(),
      PATH: `${cli}:${dirname(kubectlBinary())}:${process.env.PATH}`,
    };
    const r = spawnSync(kubectlBinary(), ['aurum', 'status', 'cols', '-n', ns.name], {
      env,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${ns.name}/cols {2}Ready {2}ready=True\\(\\w+\\) {2}.*pod=cols-runtime-0 Running (\\d)/\\1 restarts=\\d+ {2}profile=small`,
      ),
    );

    const missing = spawnSync(kubectlBinary(), ['aurum', 'status', 'nope', '-n', ns.name], {
      env,
      encoding: 'utf8',
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('not found');
  });

  it("kubectl aurum wg-config prints the investor's wg-quick file from the access Secret", async () => {
    apply(
      {
        apiVersion: 'aurum.dev/v1alpha1',
        kind: 'InvestorAccess',
        metadata: { name: 'cols-laptop', namespace: ns.name },
        spec: { platformRef: { name: 'cols' }, username: 'cols', role: 'viewer' },
      },
      ns.name,
    );
    const secretName = await waitFor(
      () =>
        kubectlJson(['-n', ns.name, 'get', 'ia', 'cols-laptop']).status?.clientConfigSecretRef?.name as
          | string
          | undefined,
      { describe: 'the access Secret', timeout: 120_000 },
    );
    const secret = kubectlJson(['-n', ns.name, 'get', 'secret', secretName]);
    const conf = Buffer.from(secret.data['aurum.conf'], 'base64').toString();
    const env = {
      ...process.env,
      KUBECONFIG: kubeconfigPath(),
      PATH: `${join(import.meta.dirname, '..', '..', 'cli')}:${dirname(kubectlBinary())}:${process.env.PATH}`,
    };
    const r = spawnSync(kubectlBinary(), ['aurum', 'wg-config', 'cols-laptop', '-n', ns.name], {
      env,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(conf);
    expect(r.stdout).toMatch(/^\[Interface\]\nPrivateKey = /);
  });
});
