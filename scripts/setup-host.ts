/**
 * `npm run setup`: idempotent host prerequisites for Aurum on a Debian 12 machine (run as root).
 *   1. Debian packages: the container engine, the cluster's runtime pieces (containerd, runc, CNI plugins,
 *      iptables/ipset/conntrack), image building (debootstrap), WireGuard userspace tools, Chromium for
 *      browser tests, and a C toolchain for the pause image.
 *   2. The Docker engine (`dockerd`), started in the background if it is not answering.
 *
 * dockerd runs with `--iptables=false`: by default it sets the iptables FORWARD policy to DROP, which
 * silently breaks pod-to-pod traffic on the cluster's bridge. Image builds that need the network use
 * `docker build --network host` instead. A quick no-op (well under 5 s) when everything is already there.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { poll, run, which } from '../cluster/lib/sh.ts';

/** Debian packages the project needs, with the binary that proves each is installed. */
export const PACKAGES: ReadonlyArray<{ pkg: string; probe: string }> = [
  { pkg: 'docker.io', probe: '/usr/sbin/dockerd' },
  { pkg: 'containerd', probe: '/usr/bin/containerd' },
  { pkg: 'runc', probe: '/usr/sbin/runc' },
  { pkg: 'containernetworking-plugins', probe: '/usr/lib/cni/bridge' },
  { pkg: 'iptables', probe: '/usr/sbin/iptables' },
  { pkg: 'ipset', probe: '/usr/sbin/ipset' },
  { pkg: 'conntrack', probe: '/usr/sbin/conntrack' },
  { pkg: 'socat', probe: '/usr/bin/socat' },
  { pkg: 'ethtool', probe: '/usr/sbin/ethtool' },
  { pkg: 'iproute2', probe: '/usr/sbin/ip' },
  { pkg: 'util-linux', probe: '/usr/bin/nsenter' },
  { pkg: 'procps', probe: '/usr/bin/pgrep' },
  { pkg: 'debootstrap', probe: '/usr/sbin/debootstrap' },
  { pkg: 'wireguard-tools', probe: '/usr/bin/wg' },
  { pkg: 'wireguard-go', probe: '/usr/bin/wireguard-go' },
  { pkg: 'curl', probe: '/usr/bin/curl' },
  { pkg: 'ca-certificates', probe: '/etc/ssl/certs/ca-certificates.crt' },
  { pkg: 'openssl', probe: '/usr/bin/openssl' },
  { pkg: 'gcc', probe: '/usr/bin/gcc' },
  { pkg: 'libc6-dev', probe: '/usr/lib/x86_64-linux-gnu/libc.a' },
  { pkg: 'chromium', probe: '/usr/bin/chromium' },
  { pkg: 'xz-utils', probe: '/usr/bin/xz' },
  // static busybox for the local-path provisioner's helper image (a scratch image needs a static shell)
  { pkg: 'busybox-static', probe: '/bin/busybox' },
  { pkg: 'binutils', probe: '/usr/bin/strip' },
];

const DOCKER_LOG = '/var/log/aurum-dockerd.log';
const DOCKER_SOCK = '/var/run/docker.sock';

function fail(msg: string): never {
  console.error(`✗ setup: ${msg}`);
  process.exit(1);
}

function timed(title: string, fn: () => void | Promise<void>): Promise<void> {
  const t0 = Date.now();
  return Promise.resolve(fn()).then(() =>
    console.log(`✓ ${title} (${((Date.now() - t0) / 1000).toFixed(1)}s)`),
  );
}

/** Installs the packages whose probe file is missing. */
function installPackages(): void {
  const missing = PACKAGES.filter((p) => !existsSync(p.probe)).map((p) => p.pkg);
  if (missing.length === 0) return;
  console.log(`  installing: ${missing.join(' ')}`);
  // Package scripts must not start daemons (docker, containerd) through the machine's init: we start
  // our own instances with our own flags.
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const upd = run('apt-get', ['update', '-q'], { env, check: false });
    if (upd.code !== 0)
      fail(`apt-get update failed (is the Debian mirror reachable?):\n${upd.stderr.slice(-2000)}`);
    const inst = run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
      env,
      check: false,
    });
    if (inst.code !== 0) fail(`apt-get install ${missing.join(' ')} failed:\n${inst.stderr.slice(-3000)}`);
  } finally {
    if (!hadPolicy) rmSync(policy, { force: true });
  }
  const still = PACKAGES.filter((p) => !existsSync(p.probe));
  if (still.length)
    fail(`still missing after install: ${still.map((p) => `${p.pkg} (${p.probe})`).join(', ')}`);
}

function dockerAnswers(): boolean {
  return (
    run('docker', ['version', '--format', '{{.Server.Version}}'], { check: false, timeoutMs: 10_000 })
      .code === 0
  );
}

/** Starts dockerd in the background unless it already answers. */
async function startDocker(): Promise<void> {
  if (dockerAnswers()) return;
  if (!which('dockerd')) fail('dockerd not found although docker.io is installed');
  if (existsSync(DOCKER_SOCK)) rmSync(DOCKER_SOCK, { force: true });
  mkdirSync('/var/log', { recursive: true });
  const fd = openSync(DOCKER_LOG, 'a');
  const child = spawn('dockerd', ['--iptables=false', '--ip-masq=false', '--host', `unix://${DOCKER_SOCK}`], {
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  child.unref();
  const ok = await poll(() => dockerAnswers(), 60_000, 500);
  if (!ok) fail(`dockerd did not answer within 60 s; see ${DOCKER_LOG}`);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) fail('must run as root (it installs packages and starts dockerd)');
  if (!existsSync('/etc/debian_version')) fail('this script expects Debian 12 (apt-get)');
  await timed('Debian packages', installPackages);
  await timed('Docker engine', startDocker);
}

if (import.meta.main) await main();
