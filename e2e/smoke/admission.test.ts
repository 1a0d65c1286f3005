/** Smoke: the ValidatingAdmissionPolicy admission plugin is on — a CEL policy rejects a bad object. */
import { afterAll, describe, expect, it } from 'vitest';
import { apply, kubectl, useNamespace, waitFor } from '../lib/index.ts';

describe('smoke: validating admission policy', () => {
  const ns = useNamespace('smoke-vap');
  const policy = `smoke-vap-${process.pid}`;

  afterAll(() => {
    kubectl(['delete', 'validatingadmissionpolicybinding', policy, '--ignore-not-found'], { check: false });
    kubectl(['delete', 'validatingadmissionpolicy', policy, '--ignore-not-found'], { check: false });
  });

  it('denies a ConfigMap the policy forbids and admits a good one', async () => {
    apply([
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: policy },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['configmaps'],
              },
            ],
          },
          validations: [
            { expression: "!has(object.data) || !('forbidden' in object.data)", message: 'no forbidden key' },
          ],
        },
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: policy },
        spec: {
          policyName: policy,
          validationActions: ['Deny'],
          matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns.name } } },
        },
      },
    ]);
    const cm = (name: string, data: Record<string, string>) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns.name }, data });

    // The policy reaches the admission plugin asynchronously: poll until a bad object is denied.
    const denied = await waitFor(
      () => {
        const r = kubectl(['create', '-f', '-'], {
          input: cm(`bad-${Date.now()}`, { forbidden: 'x' }),
          check: false,
        });
        return r.code !== 0 ? r.stderr : undefined;
      },
      { timeout: 60_000, describe: 'policy to deny a ConfigMap with a forbidden key' },
    );
    expect(denied).toContain('no forbidden key');
    expect(kubectl(['create', '-f', '-'], { input: cm('good', { fine: 'y' }), check: false }).code).toBe(0);
  });
});
