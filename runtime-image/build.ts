/**
 * `npm run images`: the base image, then every `runtime-image/Dockerfile.<name>` as
 * `docker.io/aurum/<name>:0.1.0`, loaded into the cluster (provider from AURUM_CLUSTER_PROVIDER).
 * The build context layout and the skip-if-unchanged rule are documented in cluster/images/project.ts.
 *
 * Flags: `--only <name>[,<name>]` builds a subset; `--no-load` skips loading into the cluster.
 * Env: BASE_IMAGE overrides the base (e.g. node:24-bookworm-slim, where a registry is reachable).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPaths, layout } from '../cluster/config.ts';
import { containerdImages, loadIntoContainerd } from '../cluster/images/addons.ts';
import { BASE_IMAGE, ensureBaseImage, imageLabel } from '../cluster/images/base.ts';
import {
  buildImage,
  copySources,
  dockerImageId,
  ensureProdModules,
  imageHash,
  projectImages,
  sourcesHash,
  stageModules,
  stageSources,
} from '../cluster/images/project.ts';
import { run } from '../cluster/lib/sh.ts';
import { kind, providerName } from '../cluster/providers.ts';
import { NODE_BINARY } from './base/build.ts';

const repo = join(import.meta.dirname, '..');

function step<T>(title: string, fn: () => T): T {
  const t0 = Date.now();
  const r = fn();
  console.log(
    `✓ ${title}${typeof r === 'string' ? ` — ${r}` : ''} (${((Date.now() - t0) / 1000).toFixed(1)}s)`,
  );
  return r;
}

function main(): number {
  const args = process.argv.slice(2);
  const onlyIdx = args.indexOf('--only');
  const only = onlyIdx >= 0 ? new Set((args[onlyIdx + 1] ?? '').split(',').filter(Boolean)) : undefined;
  const noLoad = args.includes('--no-load');
  const paths = defaultPaths();
  const l = layout(paths);
  const provider = providerName();
  if (run('docker', ['version'], { check: false, timeoutMs: 15_000 }).code !== 0) {
    console.error('✗ the Docker engine is not answering; run `npm run setup` (it starts dockerd)');
    return 1;
  }
  const baseRef = process.env.BASE_IMAGE ?? BASE_IMAGE;
  if (baseRef === BASE_IMAGE) step('base image', () => ensureBaseImage(paths.cache, NODE_BINARY));
  const baseId = dockerImageId(baseRef) ?? baseRef;
  const images = projectImages(readdirSync(join(repo, 'runtime-image'))).filter(
    (i) => !only || only.has(i.name),
  );
  if (images.length === 0) {
    console.log('no runtime-image/Dockerfile.<name> to build');
    return 0;
  }
  const mods = step('production node_modules', () => ensureProdModules(repo, paths.cache));
  const stage = join(paths.cache, 'stage');
  // Images that copy no node_modules get a context without them (hundreds of MB less to send).
  const light = join(paths.cache, 'stage-light');
  process.on('exit', () => run('rm', ['-rf', stage, light], { check: false }));
  const files = stageSources(repo, stage);
  stageSources(repo, light);
  console.log(`✓ stage build context — ${files.size} files`);
  stageModules(mods.dir, stage);
  const loadedFile = join(paths.cache, 'images-loaded.json');
  const loaded: Record<string, string> = existsSync(loadedFile)
    ? JSON.parse(readFileSync(loadedFile, 'utf8'))
    : {};
  const inCluster = provider === 'local' && !noLoad ? containerdImages(l.containerdSock) : new Set<string>();
  let failed = 0;
  const toLoad: Array<{ ref: string; id: string }> = [];
  for (const img of images) {
    const dockerfile = readFileSync(join(repo, img.dockerfile), 'utf8');
    const hash = imageHash({
      dockerfile,
      sources: sourcesHash(copySources(dockerfile), files),
      lock: mods.hash,
      base: baseId,
    });
    try {
      step(`image ${img.ref}`, () => {
        if (imageLabel(img.ref) === hash) return 'unchanged';
        const needsModules = copySources(dockerfile).some((p) => p === '.' || p.startsWith('node_modules'));
        buildImage(img, needsModules ? stage : light, hash, baseRef);
        return 'built';
      });
      if (noLoad || provider === 'existing') continue;
      const id = dockerImageId(img.ref)!;
      if (provider === 'kind') kind.loadImage(img.ref);
      else if (!(inCluster.has(img.ref) && loaded[img.ref] === id)) toLoad.push({ ref: img.ref, id });
    } catch (e) {
      failed++;
      console.error(`✗ ${img.ref}: ${(e as Error).message}`);
    }
  }
  if (toLoad.length) {
    try {
      step(`load ${toLoad.map((t) => t.ref).join(', ')} into the cluster`, () =>
        loadIntoContainerd(
          toLoad.map((t) => t.ref),
          l.containerdSock,
        ),
      );
      for (const t of toLoad) loaded[t.ref] = t.id;
    } catch (e) {
      failed++;
      console.error(`✗ loading into the cluster: ${(e as Error).message}`);
      console.error('  fix: is the cluster up? `npm run cluster -- status`');
    }
  }
  mkdirSync(paths.cache, { recursive: true });
  writeFileSync(loadedFile, `${JSON.stringify(loaded, null, 2)}\n`);
  // Rebuilt tags leave their previous images dangling; drop them so the disk does not fill up.
  run('docker', ['image', 'prune', '-f'], { check: false });
  return failed ? 1 : 0;
}

/**
 * Several engineers (and CI steps) may run `npm run images` at once: they share Docker and the caches,
 * so the whole run holds an exclusive lock (re-executing itself under flock(1)).
 */
const LOCK = '/var/cache/aurum/images.lock';
if (process.env.AURUM_IMAGES_LOCKED !== '1') {
  mkdirSync('/var/cache/aurum', { recursive: true });
  const r = spawnSync('flock', [LOCK, process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, AURUM_IMAGES_LOCKED: '1' },
  });
  process.exitCode = r.status ?? 1;
} else {
  process.exitCode = main();
}
