/**
 * Building blocks shared by the Aurum CRD schemas (group `aurum.dev`, version `v1alpha1`).
 *
 * Each helper returns a zod schema that already carries its description, bounds and — where the API server
 * must enforce something zod cannot express — Kubernetes extensions as zod metadata (`.meta({...})`), which
 * `z.toJSONSchema` copies verbatim into the generated OpenAPI schema.
 */
import { z } from 'zod';

/** The API group of every Aurum kind. */
export const GROUP = 'aurum.dev';
/** The served and stored version. */
export const VERSION = 'v1alpha1';
/** `apiVersion` as written in manifests. */
export const API_VERSION = `${GROUP}/${VERSION}`;

/** One CEL rule as the API server reads it from `x-kubernetes-validations`. */
export interface CelRule {
  rule: string;
  message: string;
  /** JSONPath (relative to the node carrying the rule) named in the error, e.g. `.profile`. */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

/** Metadata that attaches CEL rules to a schema node. */
export function cel(...rules: CelRule[]): { 'x-kubernetes-validations': CelRule[] } {
  return { 'x-kubernetes-validations': rules };
}

/** The standard "this field never changes after creation" rule. */
export function immutable(field: string): { 'x-kubernetes-validations': CelRule[] } {
  return cel({ rule: 'self == oldSelf', message: `${field} is immutable` });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters). */
export function dnsLabel(description: string, maxLength = 63) {
  return z.string().min(1).max(maxLength).regex(DNS_LABEL).describe(description);
}

/** A DNS-1123 subdomain, the shape of most Kubernetes object names. */
export function dnsSubdomain(description: string) {
  return z.string().min(1).max(253).regex(DNS_SUBDOMAIN).describe(description);
}

/**
 * A Kubernetes resource quantity such as `500m`, `1Gi` or `2`. Rendered as `x-kubernetes-int-or-string`
 * (what `kubectl` and controller-gen use for `resource.Quantity`). Negative quantities are rejected.
 */
export function quantity(description: string) {
  return z
    .union([z.int().min(0), z.string().max(64).regex(QUANTITY)])
    .describe(description)
    .meta({ 'x-kubernetes-int-or-string': true });
}
const QUANTITY =
  /^(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** A reference to an object in the same namespace by name. */
export function localObjectRef(description: string) {
  return z
    .object({ name: dnsSubdomain('Name of the referenced object in the same namespace.') })
    .describe(description);
}

/** Requests and limits for cpu and memory, as in a container's `resources`. */
export const ResourceList = z
  .object({
    cpu: quantity('CPU, e.g. `500m` or `2`.').optional(),
    memory: quantity('Memory, e.g. `512Mi` or `2Gi`.').optional(),
  })
  .describe('CPU and memory quantities.');

/** Container resource requirements. */
export const ResourceRequirements = z
  .object({
    requests: ResourceList.optional().describe('Guaranteed resources (scheduling).'),
    limits: ResourceList.optional().describe('Upper bounds enforced by the kubelet.'),
  })
  .describe('Container resources (requests and limits).');
export type ResourceRequirements = z.infer<typeof ResourceRequirements>;

/** A label selector as in `metav1.LabelSelector`. */
export const LabelSelector = z
  .object({
    matchLabels: z
      .record(z.string().max(317), z.string().max(63).describe('A label value.'))
      .optional()
      .describe('Labels that must all match (AND).'),
    matchExpressions: z
      .array(
        z
          .object({
            key: z.string().min(1).max(317).describe('The label key.'),
            operator: z
              .enum(['In', 'NotIn', 'Exists', 'DoesNotExist'])
              .describe('How key and values relate.'),
            values: z
              .array(z.string().max(63).describe('A label value.'))
              .max(64)
              .optional()
              .describe('Values for In/NotIn; empty for Exists/DoesNotExist.'),
          })
          .describe('One label selector requirement.'),
      )
      .max(16)
      .optional()
      .describe('Set-based requirements (AND).'),
  })
  .describe('A Kubernetes label selector; empty selects everything.');
export type LabelSelector = z.infer<typeof LabelSelector>;

/** A kstatus / metav1.Condition. */
export const Condition = z
  .object({
    type: z
      .string()
      .min(1)
      .max(316)
      .describe(
        'Condition type in CamelCase: Ready, Reconciling, Stalled, RuntimeReady, CounterConnected, ...',
      ),
    status: z.enum(['True', 'False', 'Unknown']).describe('Status of the condition.'),
    reason: z
      .string()
      .max(1024)
      .optional()
      .describe('Machine-readable CamelCase reason for the last transition.'),
    message: z.string().max(32768).optional().describe('Human-readable details.'),
    observedGeneration: z
      .int()
      .min(0)
      .optional()
      .describe('The .metadata.generation this condition was computed from.'),
    lastTransitionTime: z.iso.datetime().optional().describe('When the status last changed.'),
  })
  .describe('One observation of the object state (kstatus conventions).');
export type Condition = z.infer<typeof Condition>;

/** `status.conditions`: a list keyed by type so several writers can own separate entries. */
export const Conditions = z
  .array(Condition)
  .max(32)
  .describe(
    'Current observations. `Ready` is always present; `Reconciling`/`Stalled` while in progress or stuck.',
  )
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });

/** Printer column as in the CRD's `additionalPrinterColumns`. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** Everything the generator needs to turn one kind's schemas into a CustomResourceDefinition. */
export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  /** One-paragraph description shown by `kubectl explain <kind>`. */
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  printerColumns: PrinterColumn[];
  /** CEL rules on the root object (may use `self.metadata.name`). */
  rootRules?: CelRule[];
}

/** The column every kind shows last. */
export const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
};
/** The Ready condition's status as a column. */
export const READY_COLUMN: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
};
