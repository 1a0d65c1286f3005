import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { argocdCmPatch } from './argocd.ts';
import { buildLuaHarness, evaluate } from './harness.ts';

const SCRIPT = join(import.meta.dirname, 'health.lua');

const tp = (generation: number, status: unknown, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'aurum.dev/v1alpha1',
  kind: 'TradingPlatform',
  metadata: { name: 'alice', namespace: 'investors', generation },
  spec: { investor: 'alice', ...spec },
  ...(status === undefined ? {} : { status }),
});
const c = (type: string, status: string, reason: string, message = '') => ({ type, status, reason, message });

describe('Argo CD health check (health.lua, run by gopher-lua as Argo CD does)', () => {
  let bin = '';
  beforeAll(() => {
    bin = buildLuaHarness(); // a Go build: first time on a fresh machine it downloads gopher-lua
  }, 600_000);

  it('maps the kstatus lifecycle onto Argo CD health', () => {
    const cases: [unknown, string, string][] = [
      [tp(1, undefined), 'Progressing', 'Waiting for the operator to report status'],
      [
        tp(2, { observedGeneration: 1, conditions: [c('Ready', 'True', 'Running')] }),
        'Progressing',
        'Waiting for the operator to observe generation 2',
      ],
      [
        tp(1, {
          observedGeneration: 1,
          conditions: [
            c('Ready', 'False', 'Provisioning'),
            c('Reconciling', 'True', 'Provisioning', 'waiting for the runtime pod'),
          ],
        }),
        'Progressing',
        'Provisioning: waiting for the runtime pod',
      ],
      [
        tp(1, { observedGeneration: 1, conditions: [c('Ready', 'True', 'Running', 'connected')] }),
        'Healthy',
        'Running: connected',
      ],
      [
        tp(3, {
          observedGeneration: 3,
          conditions: [
            c('Ready', 'False', 'MissingDependency'),
            c('Stalled', 'True', 'MissingDependency', 'Secret alice-counter not found'),
          ],
        }),
        'Degraded',
        'MissingDependency: Secret alice-counter not found',
      ],
      [
        tp(4, { observedGeneration: 4, conditions: [c('Ready', 'True', 'Paused')] }, { paused: true }),
        'Suspended',
        'Paused: the runtime is stopped and its journal volume kept',
      ],
      [
        tp(1, {
          observedGeneration: 1,
          conditions: [c('Ready', 'False', 'CounterDisconnected', 'logon rejected')],
        }),
        'Progressing',
        'CounterDisconnected: logon rejected',
      ],
    ];
    const results = evaluate(
      bin,
      SCRIPT,
      cases.map(([o]) => o),
    );
    expect(results.map((r) => [r.status, r.message])).toEqual(cases.map(([, s, m]) => [s, m]));
    expect(results.every((r) => !r.error)).toBe(true);
  });

  it('ships one entry per aurum.dev kind in the argocd-cm patch, each the same script', () => {
    const cm = parse(argocdCmPatch().replace(/^#.*\n/gm, ''));
    expect(Object.keys(cm.data).sort()).toEqual([
      'resource.customizations.health.aurum.dev_InvestorAccess',
      'resource.customizations.health.aurum.dev_NetworkPolicySpec',
      'resource.customizations.health.aurum.dev_TradingPlatform',
    ]);
    const results = evaluate(bin, SCRIPT, [
      tp(1, { observedGeneration: 1, conditions: [c('Ready', 'True', 'Running')] }),
    ]);
    expect(results[0]!.status).toBe('Healthy');
  });
});
