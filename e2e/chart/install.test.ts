/**
 * The chart installed on the local cluster: what `helm lint`/`helm template` cannot show — that the API
 * server accepts every object, PodSecurity `restricted` admits the operator and rejects anything less, two
 * replicas elect a leader, the default firewall is reconciled, an upgrade rolls, an uninstall keeps the CRDs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../operator/api/kinds.ts';
import { kubectl, kubectlJson, waitFor } from '../lib/index.ts';
import { installAurum, operatorLeader, RELEASE_NS, STUB_RUNTIME_SETS, uninstallAurum } from './lib.ts';

describe('charts/aurum on the local cluster', () => {
  beforeAll(() => {
    installAurum();
  });
  afterAll(() => {
    // Leave the suite with the chart installed and running (later files and the demo expect an operator).
    installAurum();
  });

  it('installs the CRDs as release objects that survive uninstall, all Established', () => {
    for (const k of KINDS) {
      const crd = kubectlJson(['get', 'crd', `${k.plural}.aurum.dev`]);
      expect(crd.metadata.annotations['meta.helm.sh/release-name']).toBe('aurum');
      expect(crd.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
      expect(crd.status.conditions.find((c: any) => c.type === 'Established')?.status).toBe('True');
    }
  });

  it('runs two operator replicas, one of them holding the leader Lease', async () => {
    const deploy = kubectlJson(['-n', RELEASE_NS, 'get', 'deployment', 'aurum-operator']);
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.status.readyReplicas).toBe(2);
    expect(await operatorLeader()).toMatch(/^aurum-operator-/);
  });

  it('enforces PodSecurity restricted in the operator namespace: the operator is admitted, a privileged pod is not', () => {
    const ns = kubectlJson(['get', 'namespace', RELEASE_NS]);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const privileged = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'psa-probe', namespace: RELEASE_NS },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'docker.io/aurum/operator:0.1.0',
            securityContext: { privileged: true },
          },
        ],
      },
    };
    const r = kubectl(['apply', '--dry-run=server', '-f', '-'], {
      input: JSON.stringify(privileged),
      check: false,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/violates PodSecurity "restricted/);
  });

  it('installs the runtime-identity admission policy with its binding', () => {
    const policy = kubectlJson(['get', 'validatingadmissionpolicy', 'aurum-runtime-profile-only']);
    expect(policy.spec.failurePolicy).toBe('Fail');
    const binding = kubectlJson(['get', 'validatingadmissionpolicybinding', 'aurum-runtime-profile-only']);
    expect(binding.spec.validationActions).toEqual(['Deny']);
  });

  it('creates the default NetworkPolicySpec, which the running operator reconciles', async () => {
    const nps = await waitFor(
      () => {
        const o = kubectlJson(['-n', 'investors', 'get', 'networkpolicyspec', 'default']);
        return o.status?.observedGeneration === o.metadata.generation ? o : undefined;
      },
      { describe: 'the default NetworkPolicySpec observed by the operator', timeout: 120_000 },
    );
    expect(nps.status.conditions.find((c: any) => c.type === 'Ready')).toBeDefined();
  });

  it('upgrades in place: a changed value rolls the operator and the CRDs stay', () => {
    installAurum([...STUB_RUNTIME_SETS, 'operator.logLevel=debug']);
    const deploy = kubectlJson(['-n', RELEASE_NS, 'get', 'deployment', 'aurum-operator']);
    const env = deploy.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'LOG_LEVEL').value).toBe('debug');
    expect(deploy.status.updatedReplicas).toBe(2);
    const history = kubectl([
      '-n',
      RELEASE_NS,
      'get',
      'secret',
      '-l',
      'owner=helm,name=aurum',
      '-o',
      'name',
    ]).stdout;
    expect(history.trim().split('\n').length).toBeGreaterThanOrEqual(2);
  });

  it("uninstalls cleanly, keeping the CRDs, the namespaces and the investors' objects", () => {
    uninstallAurum();
    expect(
      kubectl(['-n', RELEASE_NS, 'get', 'deployment', 'aurum-operator'], { check: false }).code,
    ).not.toBe(0);
    for (const k of KINDS)
      expect(kubectl(['get', 'crd', `${k.plural}.aurum.dev`], { check: false }).code).toBe(0);
    expect(kubectl(['get', 'namespace', 'investors'], { check: false }).code).toBe(0);
    // The default firewall was a one-time hook: it stays for the network admins.
    expect(kubectl(['-n', 'investors', 'get', 'networkpolicyspec', 'default'], { check: false }).code).toBe(
      0,
    );
  });
});
