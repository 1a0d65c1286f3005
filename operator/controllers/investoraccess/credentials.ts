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

/** The WireGuard half of the credentials (synchronous: X25519 is cheap). */
export interface KeyCredentials {
  publicKey: string;
  /** Only for generated pairs. */
  privateKey?: string;
  /** Whether the pair was generated now. */
  generated: boolean;
}

/** The login half: the password, its scrypt hash and the rotation value they belong to. */
export interface PasswordCredentials {
  password: string;
  passwordHash: string;
  rotation: string;
  /** Whether the password was generated now. */
  generated: boolean;
}

/** The investor's key from the spec, else the stored generated pair, else a new pair. */
export function resolveKey(
  specPublicKey: string | undefined,
  stored: StoredCredentials,
  gen: CredentialGenerators,
): KeyCredentials {
  if (specPublicKey) return { publicKey: specPublicKey, generated: false };
  if (stored.privateKey && stored.publicKey)
    return { publicKey: stored.publicKey, privateKey: stored.privateKey, generated: false };
  const pair = gen.keyPair();
  return { publicKey: pair.publicKey, privateKey: pair.privateKey, generated: true };
}

/**
 * The stored password unless there is none or the rotation annotation changed; a new one otherwise, taken
 * from `pool` when given (hashed ahead of time), else generated and hashed now.
 */
export async function resolvePassword(
  rotation: string,
  stored: StoredCredentials,
  gen: CredentialGenerators,
  pool?: PasswordPool,
): Promise<PasswordCredentials> {
  if (stored.password && stored.passwordHash && (stored.rotation ?? '') === rotation)
    return { password: stored.password, passwordHash: stored.passwordHash, rotation, generated: false };
  const fresh = pool ? await pool.take() : await hashedPassword(gen);
  return { ...fresh, rotation, generated: true };
}

async function hashedPassword(
  gen: CredentialGenerators,
): Promise<{ password: string; passwordHash: string }> {
  const password = gen.password();
  return { password, passwordHash: await gen.hash(password) };
}

/**
 * New passwords hashed ahead of time, so a new InvestorAccess does not wait for scrypt (slow on purpose, at
 * its full default cost) on its way to a working tunnel and login. Holds at most `size` unused passwords in
 * memory only (never logged, never written until handed to an access); refills one at a time in the
 * background after each take. An empty pool hashes on demand.
 */
export class PasswordPool {
  private readonly gen: CredentialGenerators;
  private readonly size: number;
  private readonly ready: Array<{ password: string; passwordHash: string }> = [];
  private filling = false;

  constructor(gen: CredentialGenerators, size = 2) {
    this.gen = gen;
    this.size = size;
    this.refill();
  }

  /** A fresh password with its hash: a ready one if any, else hashed now. */
  async take(): Promise<{ password: string; passwordHash: string }> {
    const ready = this.ready.shift();
    this.refill();
    return ready ?? hashedPassword(this.gen);
  }

  /** Passwords ready now (tests). */
  available(): number {
    return this.ready.length;
  }

  /** Resolves once the pool is full (tests, start-up). */
  async filled(): Promise<void> {
    while (this.ready.length < this.size) await new Promise((r) => setTimeout(r, 5));
  }

  private refill(): void {
    if (this.filling || this.ready.length >= this.size) return;
    this.filling = true;
    void hashedPassword(this.gen)
      .then(
        (p) => {
          this.ready.push(p);
        },
        () => undefined, // hashing failed: the next take() hashes on demand and reports its own error
      )
      .finally(() => {
        this.filling = false;
        this.refill();
      });
  }
}

/**
 * Both halves at once (the reconciler resolves them separately so the hash never delays the peer).
 * @param specPublicKey the investor's key from the spec, if given
 * @param rotation the rotation annotation's value ('' when absent)
 */
export async function resolveCredentials(
  specPublicKey: string | undefined,
  rotation: string,
  stored: StoredCredentials,
  gen: CredentialGenerators,
  pool?: PasswordPool,
): Promise<Credentials> {
  const key = resolveKey(specPublicKey, stored, gen);
  const pw = await resolvePassword(rotation, stored, gen, pool);
  return {
    publicKey: key.publicKey,
    ...(key.privateKey ? { privateKey: key.privateKey } : {}),
    password: pw.password,
    passwordHash: pw.passwordHash,
    rotation,
    generated: key.generated || pw.generated,
  };
}
