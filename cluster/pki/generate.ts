/**
 * Writes the cluster's PKI with the openssl CLI: two CAs (cluster, front-proxy), the leaf certificates
 * of specs.ts, and the service-account signing key. ECDSA P-256 keys: fast to generate, accepted by every
 * component. Keys are written 0600.
 */
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostIdentity } from '../config.ts';
import { run } from '../lib/sh.ts';
import { certSpecs, renderExtensions, renderSubject } from './specs.ts';

const DAYS = '3650';

function genKey(path: string): void {
  run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path]);
  chmodSync(path, 0o600);
}

function genCa(dir: string, name: string, cn: string): void {
  const key = join(dir, `${name}.key`);
  genKey(key);
  run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    key,
    '-sha256',
    '-days',
    DAYS,
    '-subj',
    `/CN=${cn}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
    '-out',
    join(dir, `${name}.crt`),
  ]);
}

/** Regenerates all certificates and keys in `dir` (wiping what was there). */
export function generatePki(dir: string, id: HostIdentity): void {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  genCa(dir, 'ca', 'aurum-cluster-ca');
  genCa(dir, 'front-proxy-ca', 'aurum-front-proxy-ca');
  for (const spec of certSpecs(id)) {
    const key = join(dir, `${spec.name}.key`);
    const csr = join(dir, `${spec.name}.csr`);
    const ext = join(dir, `${spec.name}.ext`);
    genKey(key);
    run('openssl', ['req', '-new', '-key', key, '-subj', renderSubject(spec), '-out', csr]);
    writeFileSync(ext, renderExtensions(spec));
    run('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, `${spec.ca}.crt`),
      '-CAkey',
      join(dir, `${spec.ca}.key`),
      '-CAcreateserial',
      '-days',
      DAYS,
      '-sha256',
      '-extfile',
      ext,
      '-out',
      join(dir, `${spec.name}.crt`),
    ]);
    rmSync(csr);
    rmSync(ext);
  }
  // Service-account token signing key pair.
  genKey(join(dir, 'sa.key'));
  run('openssl', ['ec', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')]);
}
