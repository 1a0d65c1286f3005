import { describe, expect, it } from 'vitest';
import {
  type CredentialGenerators,
  PasswordPool,
  resolveCredentials,
  resolvePassword,
} from './credentials.ts';

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

describe('PasswordPool', () => {
  it('hashes passwords ahead of time, hands them out once each and refills in the background', async () => {
    let hashes = 0;
    const counting: CredentialGenerators = { ...gen, hash: async (pw) => `hash${++hashes}(${pw})` };
    const pool = new PasswordPool(counting, 2);
    await pool.filled();
    expect(hashes).toBe(2);
    const a = await pool.take();
    const b = await pool.take();
    expect(a.password).not.toBe(b.password);
    expect(a.passwordHash).toBe(`hash1(${a.password})`);
    await pool.filled();
    expect(pool.available()).toBe(2);
  });
  it('hashes on demand when empty, and resolvePassword takes from it only for a new password', async () => {
    let release: () => void = () => {};
    const slow: CredentialGenerators = {
      ...gen,
      hash: (pw) => new Promise((r) => (release = () => r(`slow(${pw})`))),
    };
    const pool = new PasswordPool(slow, 1);
    const kept = await resolvePassword('', { password: 'p', passwordHash: 'h', rotation: '' }, slow, pool);
    expect(kept).toEqual({ password: 'p', passwordHash: 'h', rotation: '', generated: false });
    release();
    await pool.filled();
    const fresh = await resolvePassword('r1', { password: 'p', passwordHash: 'h', rotation: '' }, slow, pool);
    expect(fresh.generated).toBe(true);
    expect(fresh.passwordHash).toBe(`slow(${fresh.password})`);
    expect(fresh.rotation).toBe('r1');
  });
});
