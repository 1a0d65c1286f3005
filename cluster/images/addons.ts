/**
 * The cluster's own images, built locally because no registry is reachable: the pause (sandbox) image,
 * CoreDNS, the local-path provisioner and a static-busybox helper for its volume pods. Each is a
 * `FROM scratch` image of a static binary, built with Docker and imported into the cluster's containerd.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from '../build/binaries.ts';
import { ADDON_IMAGES, type Layout } from '../config.ts';
import { run } from '../lib/sh.ts';

/** One scratch image: files copied into the context and the Dockerfile body. */
export interface ScratchImage {
  ref: string;
  files: Record<string, string>;
  dockerfile: string;
}

const BUSYBOX = '/bin/busybox';

/** The add-on images (pure description). */
export function addonImages(l: Layout): ScratchImage[] {
  return [
    {
      ref: ADDON_IMAGES.pause,
      files: { pause: binary(l, 'pause') },
      dockerfile: 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n',
    },
    {
      ref: ADDON_IMAGES.coredns,
      files: { coredns: binary(l, 'coredns') },
      dockerfile:
        'FROM scratch\nCOPY coredns /coredns\nUSER 65534:65534\nEXPOSE 1053 1053/udp\nENTRYPOINT ["/coredns"]\n',
    },
    {
      ref: ADDON_IMAGES.localPath,
      files: { 'local-path-provisioner': binary(l, 'local-path-provisioner') },
      dockerfile:
        'FROM scratch\nCOPY local-path-provisioner /local-path-provisioner\nENTRYPOINT ["/local-path-provisioner"]\n',
    },
    {
      ref: ADDON_IMAGES.helper,
      files: { busybox: BUSYBOX },
      // The helper pod runs `sh /script/setup` (mkdir/rm of the volume directory) as root on the host path.
      dockerfile:
        'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n',
    },
  ];
}

/** Image references present in the cluster's containerd (namespace k8s.io). */
export function containerdImages(sock: string): Set<string> {
  const r = run('ctr', ['--address', sock, '-n', 'k8s.io', 'images', 'ls', '-q'], { check: false });
  return new Set(
    r.code === 0
      ? r.stdout
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );
}

/**
 * `docker save <refs...> | ctr import`: makes locally built images available to the kubelet. Several
 * images in one stream share their common layers (base OS, Node, node_modules), so one call is much
 * faster than one per image.
 */
export function loadIntoContainerd(refs: string | readonly string[], sock: string): void {
  const list = typeof refs === 'string' ? [refs] : [...refs];
  if (list.length === 0) return;
  run('bash', [
    '-o',
    'pipefail',
    '-c',
    'sock=$1; shift; docker save "$@" | ctr --address "$sock" -n k8s.io images import -',
    'load',
    sock,
    ...list,
  ]);
}

function dockerHas(ref: string): boolean {
  return run('docker', ['image', 'inspect', ref], { check: false }).code === 0;
}

/** Builds one scratch image with Docker (legacy builder; nothing is pulled). */
export function buildScratchImage(img: ScratchImage): void {
  const ctx = mkdtempSync(join(tmpdir(), 'aurum-img-'));
  try {
    for (const [name, src] of Object.entries(img.files)) {
      if (!existsSync(src)) throw new Error(`missing ${src} for image ${img.ref}`);
      copyFileSync(src, join(ctx, name));
    }
    writeFileSync(join(ctx, 'Dockerfile'), img.dockerfile);
    run('docker', ['build', '-q', '-t', img.ref, ctx], { env: { DOCKER_BUILDKIT: '0' } });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** Ensures every add-on image is in containerd; builds with Docker only what is missing. */
export function ensureAddonImages(l: Layout): string[] {
  const have = containerdImages(l.containerdSock);
  const loaded: string[] = [];
  for (const img of addonImages(l)) {
    if (have.has(img.ref)) continue;
    if (run('docker', ['version'], { check: false, timeoutMs: 10_000 }).code !== 0) {
      throw new Error('Docker engine is not answering; run `npm run setup` (it starts dockerd)');
    }
    if (!dockerHas(img.ref)) buildScratchImage(img);
    loadIntoContainerd(img.ref, l.containerdSock);
    loaded.push(img.ref);
  }
  return loaded;
}
