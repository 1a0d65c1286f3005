/**
 * `npm run images`: builds every `runtime-image/Dockerfile.<name>` as `docker.io/aurum/<name>:0.1.0`
 * from a staged build context and loads it into the cluster.
 *
 * The staged context (what a Dockerfile can COPY) holds, at its root:
 *   package.json, package-lock.json, tsconfig.json, .dockerignore,
 *   node_modules/   production dependencies only (`npm ci --omit=dev`, cached by lockfile hash),
 *   common/ operator/ runtime/ simulator/ sidecar/ crds/ runtime-image/ examples/  (those that exist,
 *   without *.test.ts).
 * Dockerfiles start with `ARG BASE_IMAGE` / `FROM ${BASE_IMAGE}`; we pass the local base image, users
 * elsewhere may pass node:24-bookworm-slim. An image is rebuilt only when its content hash (Dockerfile +
 * the staged files its COPY lines cover + lockfile + base image) changed; the hash is stored as an image label.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { run } from '../lib/sh.ts';
import { BASE_IMAGE, HASH_LABEL } from './base.ts';

/** Image tag of every project image. */
export const IMAGE_TAG = '0.1.0';

/** Directories of the repository copied into the build context (when present). */
export const SOURCE_DIRS = [
  'common',
  'operator',
  'runtime',
  'simulator',
  'sidecar',
  'crds',
  'runtime-image',
  'examples',
] as const;
const ROOT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', '.dockerignore'] as const;

/** One image to build. */
export interface ProjectImage {
  name: string;
  dockerfile: string;
  ref: string;
}

/** Pure: maps the file names of runtime-image/ to images (`Dockerfile.<name>` only, sorted). */
export function projectImages(fileNames: readonly string[], dir = 'runtime-image'): ProjectImage[] {
  return fileNames
    .map((f) => /^Dockerfile\.([a-z0-9][a-z0-9-]*)$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1]!, dockerfile: join(dir, m[0]), ref: `docker.io/aurum/${m[1]}:${IMAGE_TAG}` }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Pure: whether a repository path goes into the build context. */
export function includeInContext(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.includes('node_modules') || parts.includes('.git')) return false;
  if (/\.test\.ts$/.test(rel) || /(^|\/)__snapshots__(\/|$)/.test(rel)) return false;
  return true;
}

function sha(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Production node_modules for this lockfile, installed once into the cache. */
export function ensureProdModules(repo: string, cacheRoot: string): { dir: string; hash: string } {
  const hash = sha(readFileSync(join(repo, 'package-lock.json'))).slice(0, 16);
  const dir = join(cacheRoot, 'prod-modules', hash);
  if (!existsSync(join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(repo, f), join(dir, f));
    run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      timeoutMs: 900_000,
    });
    writeFileSync(join(dir, '.complete'), `${new Date().toISOString()}\n`);
  }
  return { dir: join(dir, 'node_modules'), hash };
}

/**
 * Pure: the context paths a Dockerfile copies (`COPY`/`ADD` sources, without `--from=` stages), e.g.
 * `['package.json', 'common/', 'operator/']`. `.` means everything.
 */
export function copySources(dockerfile: string): string[] {
  const text = dockerfile.replace(/\\\n/g, ' ');
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!m) continue;
    const rest = m[2]!;
    if (/--from[= ]/i.test(rest)) continue;
    let args: string[];
    if (
      rest
        .trimStart()
        .replace(/^(--\S+\s+)*/, '')
        .startsWith('[')
    ) {
      try {
        args = JSON.parse(rest.replace(/^(--\S+\s+)*/, '')) as string[];
      } catch {
        continue;
      }
    } else {
      args = rest.split(/\s+/).filter((a) => a && !a.startsWith('--'));
    }
    out.push(...args.slice(0, -1).map((a) => a.replace(/^\.\//, '')));
  }
  return out;
}

/** Pure: hash of the staged files a Dockerfile's COPY sources cover (`files`: path -> sha256). */
export function sourcesHash(sources: readonly string[], files: ReadonlyMap<string, string>): string {
  const prefixes = sources.map((s) => (s === '.' || s === '' ? '' : s.replace(/\/+$/, '')));
  const h = createHash('sha256');
  for (const [rel, digest] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (
      prefixes.some(
        (p) => p === '' || rel === p || rel.startsWith(`${p}/`) || (p.includes('*') && globMatch(p, rel)),
      )
    ) {
      h.update(`${rel}\0${digest}\n`);
    }
  }
  return h.digest('hex');
}

function globMatch(pattern: string, rel: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}(/|$)`,
  );
  return re.test(rel);
}

/**
 * Copies the sources into `stage` (wiped first) and returns every staged file with its sha256, so each
 * image can hash only what its Dockerfile copies.
 */
export function stageSources(repo: string, stage: string): Map<string, string> {
  // `rm -rf`: Node's recursive rm trips over large hard-linked trees (ENOTEMPTY).
  run('rm', ['-rf', stage]);
  mkdirSync(stage, { recursive: true });
  const files = new Map<string, string>();
  const copy = (rel: string) => {
    const src = join(repo, rel);
    const st = statSync(src);
    if (st.isDirectory()) {
      for (const e of readdirSync(src).sort()) {
        const child = rel ? `${rel}/${e}` : e;
        if (includeInContext(child)) copy(child);
      }
      return;
    }
    if (!st.isFile()) return;
    const data = readFileSync(src);
    files.set(rel, sha(data));
    mkdirSync(join(stage, rel, '..'), { recursive: true });
    writeFileSync(join(stage, rel), data, { mode: st.mode & 0o777 });
  };
  for (const f of [...ROOT_FILES, ...SOURCE_DIRS]) if (existsSync(join(repo, f))) copy(f);
  return files;
}

/** Links (or copies) production node_modules into the stage. */
export function stageModules(modulesDir: string, stage: string): void {
  const dest = join(stage, 'node_modules');
  const r = run('cp', ['-al', modulesDir, dest], { check: false });
  if (r.code !== 0) {
    rmSync(dest, { recursive: true, force: true });
    cpSync(modulesDir, dest, { recursive: true });
  }
}

/** Pure: the content hash of one image. */
export function imageHash(parts: {
  dockerfile: string;
  sources: string;
  lock: string;
  base: string;
}): string {
  return sha(`${parts.dockerfile}\n${parts.sources}\n${parts.lock}\n${parts.base}`).slice(0, 16);
}

/** Builds one image from the stage with the legacy builder (no registry; network host for RUN steps). */
export function buildImage(img: ProjectImage, stage: string, hash: string, baseImage = BASE_IMAGE): void {
  const r = run(
    'docker',
    [
      'build',
      '--network',
      'host',
      '-f',
      join(stage, img.dockerfile),
      '--build-arg',
      `BASE_IMAGE=${baseImage}`,
      '--label',
      `${HASH_LABEL}=${hash}`,
      '-t',
      img.ref,
      stage,
    ],
    { env: { DOCKER_BUILDKIT: '0' }, check: false, timeoutMs: 1_800_000 },
  );
  if (r.code !== 0) {
    throw new Error(
      `docker build of ${img.ref} (${img.dockerfile}) failed:\n${(r.stdout + r.stderr).trim().split('\n').slice(-25).join('\n')}`,
    );
  }
}

/** Docker image id of `ref` (sha256:...), or undefined. */
export function dockerImageId(ref: string): string | undefined {
  const r = run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { check: false });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Files a stage-relative path refers to, for messages. */
export const rel = (repo: string, p: string) => relative(repo, p);
