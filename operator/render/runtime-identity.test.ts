import { describe, expect, it } from 'vitest';
import { parseOperatorConfig } from '../config.ts';
import { samplePlatform } from './fixtures.ts';
import {
  PROFILE_ONLY_POLICY,
  profileOnlyValidations,
  renderRuntimeAdmissionPolicy,
  renderRuntimeIdentity,
} from './runtime-identity.ts';

describe('runtime identity', () => {
  it('grants get/watch on its own users and peers Secrets and get/patch on its own TradingPlatform only', () => {
    const id = renderRuntimeIdentity(samplePlatform(), parseOperatorConfig({}));
    expect(id.serviceAccountName).toBe('aurum-runtime-alice');
    expect(id.automountServiceAccountToken).toBe(true);
    expect(id.objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding']);
    const role = id.objects[1] as unknown as { rules: unknown[] };
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['alice-users', 'alice-peers'],
        verbs: ['get', 'watch'],
      },
      {
        apiGroups: ['aurum.dev'],
        resources: ['tradingplatforms'],
        resourceNames: ['alice'],
        verbs: ['get', 'patch'],
      },
    ]);
  });
  it('admission policy compares every spec field but the profile, generated from the schema', () => {
    const exprs = profileOnlyValidations()
      .map((v) => v.expression)
      .join('\n');
    for (const f of [
      'spec.risk',
      'spec.counter',
      'spec.strategies',
      'spec.paused',
      'spec.runtime.resources',
      'spec.runtime.allowedProfiles',
      'spec.runtime.image',
      'metadata.labels',
    ]) {
      expect(exprs).toContain(`object.${f} == oldObject.${f}`);
    }
    expect(exprs).not.toContain('object.spec.runtime.profile');
    const [policy, binding] = renderRuntimeAdmissionPolicy() as unknown as {
      kind: string;
      metadata: { name: string };
      spec: Record<string, unknown>;
    }[];
    expect(policy?.kind).toBe('ValidatingAdmissionPolicy');
    expect(policy?.spec).toMatchObject({ failurePolicy: 'Fail' });
    expect(binding?.spec).toEqual({ policyName: PROFILE_ONLY_POLICY, validationActions: ['Deny'] });
  });
});
