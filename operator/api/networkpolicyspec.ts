/**
 * NetworkPolicySpec (`nps`): the firewall for trading platforms, edited by network admins. Rendered into
 * native NetworkPolicy objects: default deny for every platform pod, then only the holes listed here.
 */
import { z } from 'zod';
import { AGE_COLUMN, Conditions, cel, type KindDefinition, LabelSelector, READY_COLUMN } from './common.ts';

const cidr = (description: string) =>
  z
    .string()
    .min(1)
    .max(43)
    .describe(description)
    .meta(
      cel(
        { rule: 'isCIDR(self)', message: 'must be a CIDR such as 198.51.100.0/24' },
        {
          rule: '!isCIDR(self) || cidr(self) == cidr(self).masked()',
          message:
            'must be a network address: the bits after the prefix length must be zero (e.g. 10.1.0.0/16, not 10.1.2.3/16)',
        },
      ),
    );

const Port = z
  .object({
    port: z.int().min(1).max(65535).describe('Destination port.'),
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP').describe('Transport protocol.'),
  })
  .describe('One destination port.');

/** One allowed egress destination: either a CIDR or pod/namespace selectors, with ports. */
export const EgressRule = z
  .object({
    cidr: cidr('Destination address range (outside the cluster).').optional(),
    namespaceSelector: LabelSelector.optional().describe('Namespaces of destination pods.'),
    podSelector: LabelSelector.optional().describe('Destination pods.'),
    ports: z
      .array(Port)
      .min(1)
      .max(16)
      .describe('Allowed destination ports.')
      .meta(
        cel({
          rule: 'self.all(p, self.exists_one(q, q.port == p.port && q.protocol == p.protocol))',
          message: 'each port/protocol pair may be listed only once',
        }),
      ),
  })
  .describe('One allowed egress destination.')
  .meta(
    cel({
      rule: 'has(self.cidr) != (has(self.namespaceSelector) || has(self.podSelector))',
      message: 'set either cidr or namespaceSelector/podSelector, not both',
    }),
  );
export type EgressRule = z.output<typeof EgressRule>;

/** `spec` of a NetworkPolicySpec. */
export const NetworkPolicySpecSpec = z
  .object({
    platformSelector: LabelSelector.prefault({}).describe(
      'Which TradingPlatforms (by their labels) this governs; empty = all in the namespace.',
    ),
    counterEgress: z
      .array(EgressRule)
      .max(32)
      .default([])
      .describe('Where runtimes may connect: broker counter fronts.'),
    allowDNS: z
      .boolean()
      .default(true)
      .describe('Allow DNS lookups to the cluster DNS (its pods and the addresses its Service resolves to).'),
    allowApiServer: z
      .boolean()
      .default(true)
      .describe(
        "Allow the pod to reach the Kubernetes API server. The runtime and the WireGuard sidecar watch their own users/peers Secrets there (live revocation) and the runtime asks for profile switches; RBAC plus an admission policy limit that identity to exactly this. false cuts it (revocation then relies on the mounted Secret's slower refresh).",
      ),
    extraEgress: z
      .array(EgressRule)
      .max(32)
      .default([])
      .describe('Other destinations, e.g. a market-data vendor.'),
    vpnIngress: z
      .object({
        sourceCidrs: z
          .array(cidr('A source address range.'))
          .max(32)
          .default(['0.0.0.0/0'])
          .describe('Who may reach the WireGuard port.'),
      })
      .prefault({})
      .describe('Ingress to the WireGuard sidecar.'),
  })
  .describe('Desired firewall for the selected platforms.');
export type NetworkPolicySpecSpec = z.output<typeof NetworkPolicySpecSpec>;

/** `status` of a NetworkPolicySpec. */
export const NetworkPolicySpecStatus = z
  .object({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation last reconciled.'),
    governs: z.int().min(0).optional().describe('Number of TradingPlatforms this governs.'),
    conditions: Conditions.optional(),
  })
  .describe('Observed state of the firewall.');
export type NetworkPolicySpecStatus = z.infer<typeof NetworkPolicySpecStatus>;

export const networkPolicySpecKind: KindDefinition = {
  kind: 'NetworkPolicySpec',
  plural: 'networkpolicyspecs',
  singular: 'networkpolicyspec',
  shortNames: ['nps'],
  description:
    'The firewall for trading platforms: default deny, then only the egress and VPN ingress listed here.',
  spec: NetworkPolicySpecSpec,
  status: NetworkPolicySpecStatus,
  printerColumns: [
    { name: 'Governs', type: 'integer', jsonPath: '.status.governs' },
    READY_COLUMN,
    AGE_COLUMN,
  ],
};
