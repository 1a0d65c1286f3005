import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  inClusterConnection,
  kubeconfigConnection,
  loadKubeConnection,
  toKubeConnection,
  UnsupportedKubeconfig,
} from './connection.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(
  user: string,
  cluster = `    server: https://10.0.0.1:6443/\n    certificate-authority-data: ${b64('CA')}`,
) {
  return `apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: other
  context: { cluster: nowhere, user: nobody }
- name: dev
  context: { cluster: local, user: admin }
clusters:
- name: local
  cluster:
${cluster}
users:
- name: admin
  user:
${user}
`;
}

describe('kubeconfigConnection', () => {
  it('reads the current context: server, CA and inline client certificate', async () => {
    const c = kubeconfigConnection(
      '/x/config',
      kubeconfig(`    client-certificate-data: ${b64('CERT')}\n    client-key-data: ${b64('KEY')}`),
    );
    expect(c.server).toBe('https://10.0.0.1:6443');
    const { tls, headers } = await c.credentials();
    expect(tls).toMatchObject({ ca: 'CA', cert: 'CERT', key: 'KEY' });
    expect(headers).toEqual({});
  });

  it('reads certificate files relative to the kubeconfig, and a token file on every call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-kc-'));
    writeFileSync(join(dir, 'ca.crt'), 'FILE-CA');
    writeFileSync(join(dir, 'token'), 'first\n');
    const c = kubeconfigConnection(
      join(dir, 'config'),
      kubeconfig('    tokenFile: token', '    server: https://api:6443\n    certificate-authority: ca.crt'),
    );
    expect((await c.credentials()).tls.ca).toBe('FILE-CA');
    expect((await c.credentials()).headers.Authorization).toBe('Bearer first');
    writeFileSync(join(dir, 'token'), 'rotated');
    expect((await c.credentials()).headers.Authorization).toBe('Bearer rotated');
  });

  it('supports a static token, basic auth and insecure-skip-tls-verify', async () => {
    const token = kubeconfigConnection('/x', kubeconfig('    token: abc'));
    expect((await token.credentials()).headers.Authorization).toBe('Bearer abc');
    const basic = kubeconfigConnection(
      '/x',
      kubeconfig(
        '    username: u\n    password: p',
        '    server: https://a\n    insecure-skip-tls-verify: true',
      ),
    );
    const creds = await basic.credentials();
    expect(creds.headers.Authorization).toBe(`Basic ${b64('u:p')}`);
    expect(creds.tls.rejectUnauthorized).toBe(false);
  });

  it('names what is wrong with a broken kubeconfig', () => {
    expect(() => kubeconfigConnection('/k', 'clusters: []')).toThrow('/k: no current-context');
    expect(() =>
      kubeconfigConnection('/k', kubeconfig('    token: t', '    insecure-skip-tls-verify: true')),
    ).toThrow('cluster "local" has no valid server');
    expect(() =>
      kubeconfigConnection(
        '/k',
        kubeconfig('    token: t').replace('current-context: dev', 'current-context: gone'),
      ),
    ).toThrow('context "gone" not found');
  });

  it('refuses exec plugins with a typed error (loadKubeConnection then falls back to client-node)', () => {
    expect(() => kubeconfigConnection('/k', kubeconfig('    exec: { command: aws }'))).toThrow(
      UnsupportedKubeconfig,
    );
  });
});

describe('loadKubeConnection', () => {
  it('uses $KUBECONFIG first, else the in-cluster service account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-kc-'));
    writeFileSync(join(dir, 'config'), kubeconfig('    token: from-file'));
    const viaFile = await loadKubeConnection({
      KUBECONFIG: `${join(dir, 'config')}:/other`,
      KUBERNETES_SERVICE_HOST: '1.2.3.4',
    });
    expect(viaFile.server).toBe('https://10.0.0.1:6443');
    expect(() => inClusterConnection({}, dir)).toThrow('KUBERNETES_SERVICE_HOST is not set');
  });

  it('falls back to client-node for an exec-plugin kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-kc-'));
    writeFileSync(
      join(dir, 'config'),
      kubeconfig('    exec: { apiVersion: client.authentication.k8s.io/v1, command: /bin/false }'),
    );
    const c = await loadKubeConnection({ KUBECONFIG: join(dir, 'config') });
    expect(c.server).toBe('https://10.0.0.1:6443');
  });
});

describe('inClusterConnection', () => {
  it('builds the server from the service env and re-reads the rotated token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aurum-sa-'));
    writeFileSync(join(dir, 'ca.crt'), 'SA-CA');
    writeFileSync(join(dir, 'token'), 't1');
    const c = inClusterConnection(
      { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
      dir,
    );
    expect(c.server).toBe('https://[fd00::1]:443');
    expect(await c.credentials()).toEqual({ tls: { ca: 'SA-CA' }, headers: { Authorization: 'Bearer t1' } });
    writeFileSync(join(dir, 'token'), 't2');
    expect((await c.credentials()).headers.Authorization).toBe('Bearer t2');
  });
});

describe('toKubeConnection', () => {
  it('adapts a client-node KubeConfig: headers, basic auth and TLS from applyToHTTPSOptions', async () => {
    const c = toKubeConnection({
      getCurrentCluster: () => ({ server: 'https://k:6443/' }),
      applyToHTTPSOptions: async (o: Record<string, unknown>) => {
        Object.assign(o, { headers: { 'x-a': 1 }, auth: 'u:p', ca: 'C', rejectUnauthorized: true });
      },
    });
    expect(c.server).toBe('https://k:6443');
    const { tls, headers } = await c.credentials();
    expect(headers).toEqual({ 'x-a': '1', Authorization: `Basic ${b64('u:p')}` });
    expect(tls).toMatchObject({ ca: 'C', rejectUnauthorized: true });
  });
});
