import { describe, expect, it } from 'vitest';
import { KINDS } from '../operator/api/kinds.ts';
import { CHART_DIR, staleChartFiles } from './generate.ts';
import { runHelm } from './helm.ts';
import { helmTemplate, one } from './testing.ts';

describe('charts/aurum', () => {
  it('is what charts/generate.ts produces from the builders (run it after changing them)', () => {
    expect(staleChartFiles()).toEqual([]);
  });

  it('passes helm lint --strict, with and without the simulator', () => {
    for (const extra of [[], ['--set', 'simulator.enabled=true']]) {
      const r = runHelm(['lint', '--strict', CHART_DIR, ...extra]);
      expect(r.stderr + r.stdout).toContain('0 chart(s) failed');
      expect(r.status).toBe(0);
    }
  });

  it('renders every CRD as a template that survives uninstall', () => {
    const crds = helmTemplate().filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.spec.names.kind).sort()).toEqual(KINDS.map((k) => k.kind).sort());
    for (const crd of crds) expect(crd.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    const notKept = helmTemplate(['crds.keep=false']).filter((o) => o.kind === 'CustomResourceDefinition');
    for (const crd of notKept) expect(crd.metadata.annotations ?? {}).toEqual({});
    expect(helmTemplate(['crds.install=false']).some((o) => o.kind === 'CustomResourceDefinition')).toBe(false);
  });

  it('creates the investor namespace (kept on uninstall) and a default NetworkPolicySpec as a one-time hook', () => {
    const objects = helmTemplate();
    const ns = one(objects, 'Namespace', 'investors');
    expect(ns.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    const nps = one(objects, 'NetworkPolicySpec', 'default');
    expect(nps.metadata.namespace).toBe('investors');
    expect(nps.metadata.annotations?.['helm.sh/hook']).toBe('post-install');
    expect(nps.spec).toEqual({
      platformSelector: {},
      counterEgress: [],
      allowDNS: true,
      extraEgress: [],
      vpnIngress: { sourceCidrs: ['0.0.0.0/0'] },
    });
    expect(helmTemplate(['networkPolicySpec.create=false']).some((o) => o.kind === 'NetworkPolicySpec')).toBe(
      false,
    );
  });

  it('opens the default firewall to the simulator only when the simulator is enabled', () => {
    const nps = one(helmTemplate(['simulator.enabled=true'], 'trading-infra'), 'NetworkPolicySpec');
    expect(nps.spec.counterEgress).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'trading-infra' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'aurum-simulator' } },
        ports: [{ port: 9878, protocol: 'TCP' }],
      },
    ]);
    const closed = one(
      helmTemplate(['simulator.enabled=true', 'networkPolicySpec.allowSimulator=false']),
      'NetworkPolicySpec',
    );
    expect(closed.spec.counterEgress).toEqual([]);
  });

  it('rejects values the schema or the cross-field checks forbid', () => {
    expect(() => helmTemplate(['operator.replcas=3'])).toThrow(/additional properties 'replcas' not allowed/);
    expect(() => helmTemplate(['runtime.image=aurum/runtime'])).toThrow(/schema/);
    expect(() => helmTemplate(['operator.replicas=2', 'operator.leaderElection=false'])).toThrow(
      /needs operator.leaderElection=true/,
    );
    expect(() => helmTemplate(['runtime.defaultProfile=huge'])).toThrow(/not a key of runtime.profiles/);
  });
});
