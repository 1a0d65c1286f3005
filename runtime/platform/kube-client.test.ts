import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inClusterOptions } from './kube-client.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inClusterOptions', () => {
  it('uses the service account token (re-read each time) and CA when running in a pod', () => {
    dir = mkdtempSync(join(tmpdir(), 'aurum-sa-'));
    writeFileSync(join(dir, 'token'), 'first\n');
    writeFileSync(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\n');
    const opts = inClusterOptions(
      { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      dir,
    )!;
    expect(opts.baseUrl).toBe('https://10.96.0.1:443');
    expect(opts.token()).toBe('first');
    writeFileSync(join(dir, 'token'), 'rotated\n'); // projected tokens rotate
    expect(opts.token()).toBe('rotated');
    expect(String(opts.ca)).toContain('BEGIN CERTIFICATE');
    expect(inClusterOptions({ KUBERNETES_SERVICE_HOST: 'fd00::1' }, dir)!.baseUrl).toBe(
      'https://[fd00::1]:443',
    );
  });

  it('is undefined outside a pod', () => {
    dir = mkdtempSync(join(tmpdir(), 'aurum-sa-'));
    expect(inClusterOptions({}, dir)).toBeUndefined();
    expect(inClusterOptions({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }, join(dir, 'missing'))).toBeUndefined();
  });
});
