/**
 * InvestorAccess (`ia`): one investor's way into their platform (a WireGuard peer + a login).
 */
import { z } from 'zod';
import {
  AGE_COLUMN,
  Conditions,
  immutable,
  type KindDefinition,
  localObjectRef,
  READY_COLUMN,
} from './common.ts';

/** A WireGuard public key: 32 bytes, base64. */
export const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** `spec` of an InvestorAccess. */
export const InvestorAccessSpec = z
  .object({
    platformRef: localObjectRef('The TradingPlatform this access opens. Immutable.').meta(
      immutable('platformRef'),
    ),
    username: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[a-z][a-z0-9_-]*$/)
      .describe('Login name for the runtime API and dashboard.'),
    role: z
      .enum(['trader', 'viewer'])
      .default('viewer')
      .describe('trader may place orders and switch profiles; viewer only reads.'),
    wireguard: z
      .object({
        publicKey: z
          .string()
          .regex(WIREGUARD_KEY)
          .optional()
          .describe("The investor's own WireGuard public key; if omitted the operator generates a key pair."),
      })
      .prefault({})
      .describe('The WireGuard peer.'),
    expiresAt: z.iso
      .datetime()
      .optional()
      .describe('After this instant the access is revoked (RFC 3339, UTC).'),
    disabled: z.boolean().default(false).describe('true revokes the access without deleting it.'),
  })
  .describe('Desired access.');
export type InvestorAccessSpec = z.output<typeof InvestorAccessSpec>;

/** `status` of an InvestorAccess. */
export const InvestorAccessStatus = z
  .object({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation last reconciled.'),
    tunnelAddress: z
      .string()
      .max(64)
      .optional()
      .describe('Address allocated inside the tunnel, e.g. 10.77.0.2/32.'),
    clientConfigSecretRef: localObjectRef(
      'Secret with the wg-quick client config and the initial password, for the admin to hand over.',
    ).optional(),
    conditions: Conditions.optional(),
  })
  .describe('Observed state of the access.');
export type InvestorAccessStatus = z.infer<typeof InvestorAccessStatus>;

export const investorAccessKind: KindDefinition = {
  kind: 'InvestorAccess',
  plural: 'investoraccesses',
  singular: 'investoraccess',
  shortNames: ['ia'],
  description: "One investor's way into their platform: a WireGuard peer and a login with a role.",
  spec: InvestorAccessSpec,
  status: InvestorAccessStatus,
  printerColumns: [
    { name: 'Platform', type: 'string', jsonPath: '.spec.platformRef.name' },
    { name: 'User', type: 'string', jsonPath: '.spec.username' },
    { name: 'Role', type: 'string', jsonPath: '.spec.role' },
    { name: 'Address', type: 'string', jsonPath: '.status.tunnelAddress' },
    READY_COLUMN,
    AGE_COLUMN,
  ],
};
