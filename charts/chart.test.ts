import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KINDS } from '../operator/api/kinds.ts';
import { parseOperatorConfig } from '../operator/config.ts';
import { OPERATOR_RULES } from '../operator/deploy/manifests.ts';
import { AccessSettingsSchema, accessSettings } from '../operator/render/access-settings.ts';
import { PROFILE_ONLY_POLICY, renderRuntimeAdmissionPolicy } from '../operator/render/runtime-identity.ts';
import { SimulatorConfigSchema } from '../simulator/config.ts';
import { simulatorManifests } from '../simulator/deploy/manifests.ts';
import { CHART_DIR, staleChartFiles } from './generate.ts';
import { ensureHelm, runHelm } from './helm.ts';
import { helmTemplate, one } from './testing.ts';

describe('charts/aurum', () => {
  // On a fresh machine helm is built from its Go module first (minutes; cached afterwards).
  beforeAll(() => {
    ensureHelm();
  }, 1_200_000);

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
    expect(helmTemplate(['crds.install=false']).some((o) => o.kind === 'CustomResourceDefinition')).toBe(
      false,
    );
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

  it('runs the operator as two replicas with leader election, under PodSecurity restricted', () => {
    const objects = helmTemplate();
    const ns = one(objects, 'Namespace', 'aurum-system');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const deploy = one(objects, 'Deployment', 'aurum-operator');
    expect(deploy.metadata.namespace).toBe('aurum-system');
    expect(deploy.spec.replicas).toBe(2);
    const pod = deploy.spec.template.spec;
    const c = pod.containers[0];
    expect(c.env).toContainEqual({ name: 'AURUM_LEADER_ELECTION', value: 'true' });
    expect(c.image).toBe('docker.io/aurum/operator:0.1.0');
    // The restricted profile's checks (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    for (const container of pod.containers) {
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
      expect(container.securityContext.capabilities.add ?? []).toEqual([]);
    }
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.volumes.every((v: Record<string, unknown>) => !('hostPath' in v))).toBe(true);

    const single = one(helmTemplate(['operator.replicas=1', 'operator.leaderElection=false']), 'Deployment');
    expect(single.spec.replicas).toBe(1);
    expect(single.spec.template.spec.containers[0].env).toContainEqual({
      name: 'AURUM_LEADER_ELECTION',
      value: 'false',
    });
    expect(
      helmTemplate(['operatorNamespace.manage=false']).some(
        (o) => o.kind === 'Namespace' && o.metadata.name === 'aurum-system',
      ),
    ).toBe(false);
  });

  it('writes an operator configuration the operator itself accepts, with the values in it', () => {
    const sets = [
      'runtime.image=registry.example.com/aurum/runtime:9.9.9',
      'runtime.defaultProfile=large',
      'runtime.profiles.large.requests.cpu=2',
      'runtime.profiles.large.limits.cpu=4',
      'access.endpointHost=vpn.example.com',
      'access.serviceType=LoadBalancer',
      'runtime.command={node,/app/operator/stub-runtime.ts}',
    ];
    const objects = helmTemplate(sets);
    const cm = one(objects, 'ConfigMap', 'aurum-operator-config');
    const config = parseOperatorConfig(JSON.parse(cm.data['operator.json']));
    expect(config.defaultImage).toBe('registry.example.com/aurum/runtime:9.9.9');
    expect(config.defaultProfile).toBe('large');
    expect(config.profiles.large?.requests?.cpu).toBe(2);
    expect(Object.keys(config.profiles).sort()).toEqual(['large', 'small', 'standard']);
    expect(config.runtimeCommand).toEqual(['node', '/app/operator/stub-runtime.ts']);
    // `access` is read by operator/render/access-settings.ts from the parsed configuration.
    const access = accessSettings(config);
    expect(access.endpointHost).toBe('vpn.example.com');
    expect(access.serviceType).toBe('LoadBalancer');
    // Without an endpointHost the operator picks the node address: the key must be absent, not "".
    const plain = JSON.parse(one(helmTemplate(), 'ConfigMap', 'aurum-operator-config').data['operator.json']);
    expect(accessSettings(parseOperatorConfig(plain))).toEqual(AccessSettingsSchema.parse({}));
    expect(parseOperatorConfig(plain).runtimeCommand).toBeUndefined(); // the image's entrypoint
    // The pod template changes with the configuration, so an upgrade rolls the operator.
    const hash = (o: typeof objects) =>
      one(o, 'Deployment').spec.template.metadata.annotations['aurum.dev/config-hash'];
    expect(hash(objects)).not.toBe(hash(helmTemplate()));
  });

  it("grants the operator exactly the builder's rules, with no wildcards, and the leader Lease only in its namespace", () => {
    const objects = helmTemplate();
    const role = one(objects, 'ClusterRole', 'aurum-operator');
    expect(role.rules).toEqual(OPERATOR_RULES);
    for (const rule of role.rules) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
    }
    const binding = one(objects, 'ClusterRoleBinding', 'aurum-operator');
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'aurum-operator', namespace: 'aurum-system' },
    ]);
    const lease = one(objects, 'Role', 'aurum-operator-leader-election');
    expect(lease.metadata.namespace).toBe('aurum-system');
    expect(lease.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
  });

  it('ships the runtime-identity admission policy exactly as the operator renders it', () => {
    const objects = helmTemplate();
    const [policy, binding] = renderRuntimeAdmissionPolicy() as unknown as Record<string, unknown>[];
    const rendered = one(objects, 'ValidatingAdmissionPolicy', PROFILE_ONLY_POLICY);
    expect(rendered.spec).toEqual((policy as { spec: unknown }).spec);
    expect(one(objects, 'ValidatingAdmissionPolicyBinding').spec).toEqual(
      (binding as { spec: unknown }).spec,
    );
    expect(
      helmTemplate(['admissionPolicies.enabled=false']).some((o) => o.kind === 'ValidatingAdmissionPolicy'),
    ).toBe(false);
  });

  it('runs the counter simulator only when enabled, as the simulator builder renders it, with seeded accounts', () => {
    expect(helmTemplate().some((o) => o.metadata.name === 'counter')).toBe(false);
    const objects = helmTemplate([
      'simulator.enabled=true',
      'simulator.accounts[0].id=A1',
      'simulator.accounts[0].compId=ALICE',
      'simulator.accounts[0].password=pw-1',
      'simulator.accounts[1].id=b-2',
      'simulator.accounts[1].password=pw-2',
      'simulator.accounts[1].fundCny=5000.50',
    ]);
    const built = simulatorManifests() as Record<string, any>[];
    const builtOf = (kind: string) => built.find((o) => o.kind === kind)!;
    const svc = one(objects, 'Service', 'counter');
    expect(svc.spec).toEqual(builtOf('Service').spec);
    const sts = one(objects, 'StatefulSet', 'counter');
    const { resources: _r, ...container } = sts.spec.template.spec.containers[0];
    const { resources: _b, ...builtContainer } = builtOf('StatefulSet').spec.template.spec.containers[0];
    expect(container).toEqual(builtContainer);
    expect(sts.spec.volumeClaimTemplates).toEqual(builtOf('StatefulSet').spec.volumeClaimTemplates);
    expect(one(objects, 'Secret', 'counter-accounts').stringData).toEqual({
      SIM_PASSWORD_A1: 'pw-1',
      SIM_PASSWORD_B_2: 'pw-2',
    });
    const cm = one(objects, 'ConfigMap', 'counter-config');
    expect(cm.data['simulator.yaml']).not.toContain('pw-');
    const config = SimulatorConfigSchema.parse(parse(cm.data['simulator.yaml']));
    expect(config.accounts.map((a) => [a.id, a.compId, String(a.fundCny)])).toEqual([
      ['A1', 'ALICE', '1000000'],
      ['b-2', '', '5000.50'],
    ]);
    expect(config.market.alwaysOpen).toBe(true);
  });
});
