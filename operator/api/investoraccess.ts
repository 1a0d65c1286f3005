/**
 * InvestorAccess (`ia`): one investor's way into their platform (a WireGuard peer + a login).
 */
import { z } from 'zod';
import {
  AGE_COLUMN,
  Conditions,
  cel,
  immutable,
  type KindDefinition,
  localObjectRef,
  READY_COLUMN,
} from './common.ts';

/** A WireGuard public key: 32 bytes, base64. */
export const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Annotation whose new value (any string, e.g. a timestamp) makes the operator generate a new password. */
export const ROTATE_PASSWORD_ANNOTATION = 'aurum.dev/rotate-password';

/** `spec` of an InvestorAccess. */
export const InvestorAccessSpec = z
  .object({
    platformRef: localObjectRef('The TradingPlatform this access opens. Immutable.').meta(
      immutable('platformRef'),
    ),
    username: z
      .string()
      .min(2)
      .max(32)
      .regex(/^[a-z][a-z0-9._-]{1,31}$/)
      .describe(
        'Login name for the runtime API and dashboard: 2-32 characters, lower-case letter first, then a-z 0-9 . _ -. Unique per platform.',
      )
      .meta(
        cel({
          rule: "self.matches('^[a-z][a-z0-9._-]{1,31}$')",
          message:
            'username must be 2-32 characters: a lower-case letter, then lower-case letters, digits, ".", "_" or "-"',
        }),
      ),
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
          .describe(
            "The investor's own WireGuard public key (`wg pubkey` output: 32 bytes, base64, 44 characters). If omitted the operator generates a key pair and puts the private key into the access Secret. Unique per platform.",
          )
          .meta(
            cel({
              rule: "self.matches('^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$')",
              message:
                'publicKey must be a WireGuard public key: 32 bytes in base64, 44 characters ending in "=" (the output of `wg pubkey`)',
            }),
          ),
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
