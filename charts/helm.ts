/**
 * Finds — or builds — the `helm` binary the project uses. No registry of release binaries is reachable from
 * the machines Aurum is built on, but the Go module proxy is, so helm is built from its Go module once and
 * cached outside the repository, keyed by version (a version bump builds a fresh copy beside the old one).
 *
 *   node charts/helm.ts            prints the path of the binary (building it on first use, ~minutes cold)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The helm release built from `helm.sh/helm/v3` (newest v3 on the Go proxy when chosen). */
export const HELM_VERSION = 'v3.22.0';
/** Kubernetes minor of the client-go that helm version builds with (its Makefile stamps it as the default). */
const HELM_K8S_MINOR = 37;

/**
 * The link flags helm's own Makefile sets: without them the binary reports version "v3.22" and assumes
 * Kubernetes v1.20 for `helm template`, which fails the chart's kubeVersion constraint.
 */
function helmLdflags(): string {
  return [
    '-s -w',
    `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
    '-X helm.sh/helm/v3/internal/version.gitTreeState=clean',
    ...['pkg/lint/rules', 'pkg/chartutil'].flatMap((p) => [
      `-X helm.sh/helm/v3/${p}.k8sVersionMajor=1`,
      `-X helm.sh/helm/v3/${p}.k8sVersionMinor=${HELM_K8S_MINOR}`,
    ]),
  ].join(' ');
}

/** Root of the project's binary cache (shared with the cluster scripts). Default `/var/cache/aurum/bin`. */
export const BIN_CACHE = process.env.AURUM_BIN_CACHE ?? '/var/cache/aurum/bin';

/** Where the binary of {@link HELM_VERSION} lives once built. */
export function helmPath(version = HELM_VERSION): string {
  return join(BIN_CACHE, `helm-${version}`, 'helm');
}

function findGo(): string {
  for (const candidate of ['/usr/local/go/bin/go', '/usr/lib/go/bin/go'])
    if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error('helm is missing and no Go toolchain was found to build it (install golang first)');
}

/**
 * Returns the path of a usable helm binary: `$AURUM_HELM` when set, else the cached build of
 * {@link HELM_VERSION}, building it with `go install` (CGO off, low CPU priority) when missing.
 * @param log progress sink (default: stderr)
 */
export function ensureHelm(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  if (process.env.AURUM_HELM) return process.env.AURUM_HELM;
  const path = helmPath();
  if (existsSync(path)) return path;
  const gobin = join(BIN_CACHE, `helm-${HELM_VERSION}`);
  mkdirSync(gobin, { recursive: true });
  log(`building helm ${HELM_VERSION} from its Go module into ${gobin} (first use only; takes minutes)`);
  const args = [
    'install',
    '-trimpath',
    `-ldflags=${helmLdflags()}`,
    `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`,
  ];
  const r = spawnSync('nice', ['-n', '10', findGo(), ...args], {
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: '/tmp', // outside any module, so `go install pkg@version` runs in module-aware global mode
  });
  if (r.status !== 0 || !existsSync(path))
    throw new Error(`go install helm ${HELM_VERSION} failed (exit ${r.status})`);
  return path;
}

/** Result of one helm invocation. */
export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs helm synchronously with `args`.
 * @param env extra environment (KUBECONFIG for cluster commands); default none
 */
export function runHelm(args: string[], env: NodeJS.ProcessEnv = {}): HelmResult {
  const r = spawnSync(ensureHelm(), args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

if (import.meta.main) console.log(ensureHelm());
