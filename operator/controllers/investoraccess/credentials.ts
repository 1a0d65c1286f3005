/**
 * An investor's credentials, kept in the `<access>-access` Secret and reused on every pass: the WireGuard
 * key (the investor's own public key, or a generated pair) and the API password with its scrypt hash.
 * A new password is generated only when there is none or the rotation annotation changed. Generators are
 * injected so tests are deterministic.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../../common/auth/password.ts';
import { generateKeyPair, type WireGuardKeyPair } from '../../render/access-keys.ts';

/** What an existing access Secret holds (decoded). */
export interface StoredCredentials {
  publicKey?: string;
  privateKey?: string;
  password?: string;
  passwordHash?: string;
  rotation?: string;
}

/** Resolved credentials of one access. */
export interface Credentials {
  publicKey: string;
  /** Only for generated pairs. */
  privateKey?: string;
  password: string;
  passwordHash: string;
  rotation: string;
  /** Whether anything was generated in this pass. */
  generated: boolean;
}

/** Randomness and hashing, injectable. */
export interface CredentialGenerators {
  keyPair(): WireGuardKeyPair;
  password(): string;
  hash(password: string): Promise<string>;
}

/** The real generators: X25519 pairs, 144-bit random passwords, scrypt at the default (slow) cost. */
export const realGenerators: CredentialGenerators = {
  keyPair: generateKeyPair,
  password: () => randomBytes(18).toString('base64url'),
  hash: (pw) => hashPassword(pw),
};

/**
 * @param specPublicKey the investor's key from the spec, if given
 * @param rotation the rotation annotation's value ('' when absent)
 */
export async function resolveCredentials(
  specPublicKey: string | undefined,
  rotation: string,
  stored: StoredCredentials,
  gen: CredentialGenerators,
): Promise<Credentials> {
  let generated = false;
  let publicKey: string;
  let privateKey: string | undefined;
  if (specPublicKey) publicKey = specPublicKey;
  else if (stored.privateKey && stored.publicKey) {
    publicKey = stored.publicKey;
    privateKey = stored.privateKey;
  } else {
    const pair = gen.keyPair();
    publicKey = pair.publicKey;
    privateKey = pair.privateKey;
    generated = true;
  }
  let password = stored.password;
  let passwordHash = stored.passwordHash;
  if (!password || !passwordHash || (stored.rotation ?? '') !== rotation) {
    password = gen.password();
    passwordHash = await gen.hash(password);
    generated = true;
  }
  return { publicKey, ...(privateKey ? { privateKey } : {}), password, passwordHash, rotation, generated };
}
