/**
 * Builds only the local base image `docker.io/aurum/base:0.1.0` (`node runtime-image/base/build.ts`):
 * Debian bookworm from debootstrap (minbase + ca-certificates, tarball cached in /var/cache/aurum) + the
 * project's pinned Node 24 binary + user `app` (1000). `npm run images` calls this first by itself.
 */
import { join } from 'node:path';
import { ensureBaseImage } from '../../cluster/images/base.ts';

const repo = join(import.meta.dirname, '..', '..');

/** Node binary shipped in the image: the one `npm ci` brought (package `node`). */
export const NODE_BINARY = join(repo, 'node_modules', 'node', 'bin', 'node');

if (import.meta.main) {
  const t0 = Date.now();
  const r = ensureBaseImage(process.env.AURUM_CACHE ?? '/var/cache/aurum', NODE_BINARY);
  console.log(`✓ base image docker.io/aurum/base:0.1.0 ${r} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}
