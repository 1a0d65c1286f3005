/**
 * The runtime's user list: the contract between the operator (InvestorAccess controller renders it into the
 * Secret `<platform>-users`, key `users.json`) and the runtime (which reloads it live, so revocation needs no
 * restart). Only slow hashes are in it (see password.ts).
 */
import { z } from 'zod';
import { isPasswordHash } from './password.ts';

export const RoleSchema = z
  .enum(['trader', 'viewer'])
  .describe('trader may trade and manage strategies; viewer only watches');
export type Role = z.infer<typeof RoleSchema>;

export const RuntimeUserSchema = z.object({
  username: z
    .string()
    .regex(/^[a-z][a-z0-9._-]{1,31}$/)
    .describe('login name'),
  role: RoleSchema,
  passwordHash: z.string().refine(isPasswordHash, 'must be a scrypt hash from common/auth/password.ts'),
  /** RFC 3339; after it the login is refused and live sessions end. */
  expiresAt: z.string().datetime().optional(),
  disabled: z.boolean().default(false),
  /** Which InvestorAccess granted it (namespace/name), for audit logs. */
  source: z.string().optional(),
});
export type RuntimeUser = z.infer<typeof RuntimeUserSchema>;

export const RuntimeUsersFileSchema = z.object({
  users: z.array(RuntimeUserSchema),
});
export type RuntimeUsersFile = z.infer<typeof RuntimeUsersFileSchema>;

/** Secret key that holds the file. */
export const USERS_SECRET_KEY = 'users.json';
/** Name of the Secret for a platform. */
export const usersSecretName = (platform: string): string => `${platform}-users`;
