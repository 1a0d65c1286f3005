/**
 * Password hashing shared by the operator (which hashes an investor's password when it renders the runtime's
 * user list) and the runtime (which verifies logins). Only the slow hash ever leaves the operator.
 *
 * Format: `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>` — self-describing, so the cost can be raised later
 * without invalidating stored hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters. N=2^15, r=8, p=1 takes ~50–100 ms here: slow for a guesser, fine for a login. */
export interface ScryptCost {
  /** CPU/memory cost, a power of two. Default 32768. */
  N: number;
  /** Block size. Default 8. */
  r: number;
  /** Parallelism. Default 1. */
  p: number;
}

export const DEFAULT_COST: ScryptCost = { N: 32768, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when the string has the shape of a hash made by {@link hashPassword}. */
export function isPasswordHash(value: string): boolean {
  return /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(value);
}

/** Verifies a password against a stored hash in constant time. A malformed hash verifies nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$') as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (cost.N > 1 << 20 || cost.r > 32 || cost.p > 16) return false;
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), cost);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
