/**
 * Builds the cluster's binaries from upstream Go modules (through the Go module proxy) and caches them
 * outside the repository, keyed by version: `<cache>/bin/<name>-<version>/`. A cache hit costs a stat;
 * a miss generates the wrapper module (see gomod.ts) and runs one `go build` for its binaries. Cold on 2 cores:
 * tens of minutes for kubernetes; the Go build cache makes a rebuild of one version a few minutes.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type Layout, VERSIONS } from '../config.ts';
import { run, runLogged, which } from '../lib/sh.ts';
import { kubeVersionLdflags, renderWrapperGoMod } from './gomod.ts';

/** One upstream Go module and the binaries built from it. */
export interface GoBuild {
  /** cache key prefix, e.g. `kubernetes` */
  name: string;
  module: string;
  version: string;
  /** binary name -> package path */
  binaries: Record<string, string>;
  /** extra -ldflags (default `-s -w`) */
  ldflags?: string;
}

const K8S = 'k8s.io/kubernetes/cmd';

/** Everything the local cluster runs. */
export const GO_BUILDS: readonly GoBuild[] = [
  {
    name: 'kubernetes',
    module: 'k8s.io/kubernetes',
    version: VERSIONS.kubernetes,
    binaries: Object.fromEntries(
      ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl'].map(
        (b) => [b, `${K8S}/${b}`],
      ),
    ),
    // A fixed date keeps the binaries reproducible; the version is what matters.
    ldflags: kubeVersionLdflags(VERSIONS.kubernetes, '2026-01-01T00:00:00Z'),
  },
  {
    name: 'etcd',
    module: 'go.etcd.io/etcd/server/v3',
    version: VERSIONS.etcd,
    binaries: { etcd: 'go.etcd.io/etcd/server/v3' },
  },
  {
    name: 'coredns',
    module: 'github.com/coredns/coredns',
    version: VERSIONS.coredns,
    binaries: { coredns: 'github.com/coredns/coredns' },
  },
  {
    name: 'kube-router',
    module: 'github.com/cloudnativelabs/kube-router/v2',
    version: VERSIONS.kubeRouter,
    binaries: { 'kube-router': 'github.com/cloudnativelabs/kube-router/v2/cmd/kube-router' },
  },
  {
    name: 'local-path-provisioner',
    module: 'github.com/rancher/local-path-provisioner',
    version: VERSIONS.localPathProvisioner,
    binaries: { 'local-path-provisioner': 'github.com/rancher/local-path-provisioner' },
  },
];

/** Directory holding the cached binaries of one build. */
export function binDir(l: Layout, b: GoBuild): string {
  return l.bin(b.name, b.version);
}

/** Path of one cached binary (e.g. `binary(l, 'kubelet')`). */
export function binary(l: Layout, name: string): string {
  for (const b of GO_BUILDS) if (name in b.binaries) return join(binDir(l, b), name);
  if (name === 'pause') return join(l.bin('pause', VERSIONS.kubernetes), 'pause');
  throw new Error(`unknown binary ${name}`);
}

/** True when every binary of `b` is cached. */
export function isCached(l: Layout, b: GoBuild): boolean {
  return existsSync(join(binDir(l, b), '.complete'));
}

/** Finds `go` on PATH or in /usr/local/go/bin (where the official tarball installs it). */
export function ensureGoOnPath(): void {
  if (which('go')) return;
  if (which('/usr/local/go/bin/go')) {
    process.env.PATH = `/usr/local/go/bin:${process.env.PATH ?? ''}`;
    return;
  }
  throw new Error('the Go toolchain (go) is not on PATH; install Go >= 1.25 from go.dev');
}

interface ModInfo {
  Dir: string;
  GoMod: string;
}

/** Downloads `module@version` through the Go module proxy and returns its directory and go.mod path. */
export function downloadModule(module: string, version: string): ModInfo {
  ensureGoOnPath();
  const r = run('go', ['mod', 'download', '-json', `${module}@${version}`], { timeoutMs: 600_000 });
  return JSON.parse(r.stdout) as ModInfo;
}

/**
 * Builds (or finds cached) binaries of `b`. Progress goes to `<cache>/build/<name>-<version>/build.log`.
 * @throws with the log path when `go` is missing or a build fails
 */
export async function ensureBuild(l: Layout, b: GoBuild, cacheRoot: string): Promise<void> {
  if (isCached(l, b)) return;
  ensureGoOnPath();
  const work = join(cacheRoot, 'build', `${b.name}-${b.version}`);
  mkdirSync(work, { recursive: true });
  const logPath = join(work, 'build.log');
  const up = downloadModule(b.module, b.version);
  writeFileSync(
    join(work, 'go.mod'),
    renderWrapperGoMod({
      name: `aurum.local/build/${b.name}`,
      module: b.module,
      version: b.version,
      upstreamGoMod: readFileSync(up.GoMod, 'utf8'),
    }),
  );
  const out = binDir(l, b);
  mkdirSync(out, { recursive: true });
  const missing = Object.entries(b.binaries).filter(([name]) => !existsSync(join(out, name)));
  const fd = openSync(logPath, 'a');
  try {
    if (missing.length) {
      // One `go build` for all binaries: shared packages compile once and the links run in parallel,
      // which matters on a cold 2-core machine. Go names each binary after its package (goBinaryName).
      const tmp = join(out, '.tmp');
      mkdirSync(tmp, { recursive: true });
      const pkgs = missing.map(([, pkg]) => pkg);
      writeFileSync(fd, `\n=== ${pkgs.join(' ')} ${new Date().toISOString()}\n`);
      const code = await runLogged(
        'go',
        ['build', '-ldflags', b.ldflags ?? '-s -w', '-o', `${tmp}/`, ...pkgs],
        fd,
        {
          cwd: work,
          env: { CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
        },
      );
      if (code !== 0) throw new Error(`go build ${pkgs.join(' ')} failed (exit ${code}); see ${logPath}`);
      for (const [name, pkg] of missing) renameSync(join(tmp, goBinaryName(pkg)), join(out, name));
      rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(out, '.complete'), `${new Date().toISOString()}\n`);
}

/** The file name `go build -o dir/` gives a main package: its last path element, skipping a `/vN` suffix. */
export function goBinaryName(pkg: string): string {
  const parts = pkg.split('/');
  const last = parts.at(-1)!;
  return /^v\d+$/.test(last) && parts.length > 1 ? parts.at(-2)! : last;
}

/**
 * Compiles the pause container's binary statically from kubernetes' own `build/pause/linux/pause.c`
 * (what registry.k8s.io/pause ships) so no image has to be pulled.
 */
export function ensurePause(l: Layout): string {
  const dest = binary(l, 'pause');
  if (existsSync(dest)) return dest;
  if (!which('gcc')) throw new Error('gcc is missing; run `npm run setup` (installs gcc and libc6-dev)');
  const k8s = downloadModule('k8s.io/kubernetes', VERSIONS.kubernetes);
  const dir = join(dest, '..');
  mkdirSync(dir, { recursive: true });
  const src = join(dir, 'pause.c');
  copyFileSync(join(k8s.Dir, 'build/pause/linux/pause.c'), src);
  run('gcc', ['-Os', '-Wall', '-Werror', '-static', '-DVERSION=3.10-aurum', '-o', `${dest}.tmp`, src]);
  run('strip', [`${dest}.tmp`], { check: false });
  renameSync(`${dest}.tmp`, dest);
  return dest;
}
