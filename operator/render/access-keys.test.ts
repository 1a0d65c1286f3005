import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, isWireGuardKey, publicKeyOf } from './access-keys.ts';

describe('WireGuard keys', () => {
  it('generates canonical 32-byte base64 keys whose halves match', () => {
    const k = generateKeyPair();
    expect(isWireGuardKey(k.privateKey)).toBe(true);
    expect(isWireGuardKey(k.publicKey)).toBe(true);
    expect(publicKeyOf(k.privateKey)).toBe(k.publicKey);
    expect(generateKeyPair().privateKey).not.toBe(k.privateKey);
  });
  it('rejects malformed keys', () => {
    expect(isWireGuardKey('abc')).toBe(false);
    expect(isWireGuardKey(`${'A'.repeat(43)}=`)).toBe(true);
    expect(isWireGuardKey(`${'A'.repeat(42)}B=`)).toBe(false); // non-canonical last character
    expect(() => publicKeyOf('AAAA')).toThrow();
  });
  it.runIf(existsSync('/usr/bin/wg'))('agrees with wireguard-tools (wg pubkey)', () => {
    const k = generateKeyPair();
    const pub = execFileSync('wg', ['pubkey'], { input: `${k.privateKey}\n` })
      .toString()
      .trim();
    expect(pub).toBe(k.publicKey);
  });
});
