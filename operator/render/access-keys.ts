/**
 * WireGuard keys with node:crypto. WireGuard keys are raw X25519 keys: 32 bytes, base64 (44 characters).
 * Node exports X25519 keys as DER (SPKI/PKCS#8) whose last 32 bytes are the raw key, so conversion is a
 * fixed prefix, which {@link publicKeyOf} relies on to derive a public key from a private one.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** A WireGuard key pair, both base64. */
export interface WireGuardKeyPair {
  privateKey: string;
  publicKey: string;
}

/** DER prefix of an X25519 PKCS#8 private key (RFC 8410); the raw 32-byte key follows. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** Generates a fresh key pair. */
export function generateKeyPair(): WireGuardKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const priv = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey: priv.toString('base64'), publicKey: pub.toString('base64') };
}

/** The public key of a base64 private key (what `wg pubkey` prints). */
export function publicKeyOf(privateKeyBase64: string): string {
  const raw = Buffer.from(privateKeyBase64, 'base64');
  if (raw.length !== 32) throw new Error('a WireGuard private key is 32 bytes');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
}

/** True for a canonical base64 encoding of 32 bytes (the form `wg` prints and accepts). */
export function isWireGuardKey(value: string): boolean {
  if (!/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === 32;
}
