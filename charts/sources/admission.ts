/**
 * The ValidatingAdmissionPolicies, from `operator/render/runtime-identity.ts`: the API server denies a runtime's
 * own identity every change of its TradingPlatform except spec.runtime.profile (RBAC cannot say "one field").
 */
import { renderRuntimeAdmissionPolicy } from '../../operator/render/runtime-identity.ts';
import { onlyIf } from '../templating.ts';
import { templateOf } from './yaml.ts';

/** templates/admission-policies.yaml */
export function admissionPoliciesTemplate(): string {
  return onlyIf(
    '.Values.admissionPolicies.enabled',
    templateOf(() => renderRuntimeAdmissionPolicy()),
  );
}
