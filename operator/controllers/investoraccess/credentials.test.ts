import { describe, expect, it } from 'vitest';
import { type CredentialGenerators, resolveCredentials } from './credentials.ts';

let n = 0;
const gen: CredentialGenerators = {
  keyPair: () => ({ privateKey: `priv${++n}`, publicKey: `pub${n}` }),
  password: () => `pw${++n}`,
  hash: async (pw) => `hash(${pw})`,
};

describe('resolveCredentials', () => {
  it('generates a key pair and password the first time, then reuses them', async () => {
    const first = await resolveCredentials(undefined, '', {}, gen);
    expect(first.generated).toBe(true);
    expect(first.privateKey).toMatch(/^priv/);
    expect(first.passwordHash).toBe(`hash(${first.password})`);
    const again = await resolveCredentials(undefined, '', { ...first }, gen);
    expect(again).toEqual({ ...first, generated: false });
  });
  it("uses the investor's own key and never keeps a private key for it", async () => {
    const c = await resolveCredentials(
      'THEIRS',
      '',
      { publicKey: 'pubX', privateKey: 'privX', password: 'p', passwordHash: 'h' },
      gen,
    );
    expect(c.publicKey).toBe('THEIRS');
    expect(c.privateKey).toBeUndefined();
    expect(c.password).toBe('p');
  });
  it('rotates the password when the annotation changes, keeping the key', async () => {
    const stored = {
      publicKey: 'pubX',
      privateKey: 'privX',
      password: 'old',
      passwordHash: 'h',
      rotation: '',
    };
    const c = await resolveCredentials(undefined, '2026-11-25', stored, gen);
    expect(c.password).not.toBe('old');
    expect(c.rotation).toBe('2026-11-25');
    expect(c.publicKey).toBe('pubX');
  });
});
