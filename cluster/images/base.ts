/**
 * The local base image `docker.io/aurum/base:0.1.0`: Debian bookworm from `debootstrap --variant=minbase`
 * (tarball cached outside the repo) + CA certificates + the Node 24 binary the project pins through npm
 * (node_modules/node/bin/node) + a non-root user `app` (uid/gid 1000). `docker import`ed, with PATH set
 * and a content-hash label so an unchanged base is never rebuilt.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, which } from '../lib/sh.ts';

export const BASE_IMAGE = 'docker.io/aurum/base:0.1.0';
export const HASH_LABEL = 'dev.aurum.content-hash';

const SUITE = 'bookworm';
const MIRROR = 'http://deb.debian.org/debian';
const INCLUDE = ['ca-certificates'];
const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The Docker `--change` instructions of the base image (pure). */
export function baseChanges(hash: string): string[] {
  return [
    `ENV PATH=${PATH_ENV}`,
    'ENV LANG=C.UTF-8',
    'ENV NODE_ENV=production',
    'WORKDIR /app',
    `LABEL ${HASH_LABEL}=${hash}`,
    'CMD ["node"]',
  ];
}

/** Lines appended to /etc/passwd and /etc/group for the non-root user (pure). */
export function appUserLines(uid = 1000): { passwd: string; group: string } {
  return { passwd: `app:x:${uid}:${uid}:app:/app:/usr/sbin/nologin\n`, group: `app:x:${uid}:\n` };
}

/** Label value of a local image, or undefined if the image is absent. */
export function imageLabel(ref: string, label = HASH_LABEL): string | undefined {
  const r = run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${label}"}}`, ref], {
    check: false,
  });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Cached debootstrap root filesystem tarball (built on first use; about a minute). */
export function ensureRootfsTarball(cacheRoot: string): string {
  const dir = join(cacheRoot, 'debootstrap');
  const tar = join(dir, `${SUITE}-minbase-${INCLUDE.join('_')}.tar`);
  if (existsSync(tar) && statSync(tar).size > 0) return tar;
  if (!which('debootstrap')) throw new Error('debootstrap is missing; run `npm run setup`');
  mkdirSync(dir, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'aurum-rootfs-'));
  try {
    run('debootstrap', ['--variant=minbase', `--include=${INCLUDE.join(',')}`, SUITE, root, MIRROR], {
      timeoutMs: 900_000,
    });
    rmSync(join(root, 'var/cache/apt/archives'), { recursive: true, force: true });
    mkdirSync(join(root, 'var/cache/apt/archives/partial'), { recursive: true });
    run('tar', ['-C', root, '-cf', `${tar}.tmp`, '.']);
    run('mv', [`${tar}.tmp`, tar]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return tar;
}

/**
 * Builds the base image unless one with the same content hash exists.
 * @param nodeBinary the Node binary to ship (default: the repo's pinned one)
 * @returns 'cached' or 'built'
 */
export function ensureBaseImage(cacheRoot: string, nodeBinary: string): 'cached' | 'built' {
  const tar = ensureRootfsTarball(cacheRoot);
  const hash = createHash('sha256')
    .update(sha256File(tar))
    .update(sha256File(nodeBinary))
    .update(JSON.stringify(baseChanges('')))
    .update(JSON.stringify(appUserLines()))
    .digest('hex')
    .slice(0, 16);
  if (imageLabel(BASE_IMAGE) === hash) return 'cached';
  const root = mkdtempSync(join(tmpdir(), 'aurum-base-'));
  try {
    run('tar', ['-C', root, '-xf', tar]);
    copyFileSync(nodeBinary, join(root, 'usr/local/bin/node'));
    run('chmod', ['0755', join(root, 'usr/local/bin/node')]);
    const u = appUserLines();
    appendFileSync(join(root, 'etc/passwd'), u.passwd);
    appendFileSync(join(root, 'etc/group'), u.group);
    mkdirSync(join(root, 'app'), { recursive: true });
    run('chown', ['1000:1000', join(root, 'app')]);
    const changes = baseChanges(hash).flatMap((c) => ['--change', c]);
    run('bash', [
      '-o',
      'pipefail',
      '-c',
      'root=$1; ref=$2; shift 2; tar -C "$root" -c . | docker import "$@" - "$ref"',
      'import',
      root,
      BASE_IMAGE,
      ...changes,
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return 'built';
}
