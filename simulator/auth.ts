/**
 * Account passwords: scrypt with a random salt, compared in constant time. Passwords are never stored or
 * logged in clear.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** Hashes a password as `salt:hash` (hex). Cost kept low (N=2^14): logons are rare, tests many. */
export function hashPassword(password: string, salt = randomBytes(16).toString('hex')): string {
  return `${salt}:${scryptSync(password, salt, 32, { N: 16384 }).toString('hex')}`;
}

/** True when `password` matches a {@link hashPassword} result. */
export function verifyPassword(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const got = scryptSync(password, salt, 32, { N: 16384 });
  const want = Buffer.from(hash, 'hex');
  return want.length === got.length && timingSafeEqual(got, want);
}
