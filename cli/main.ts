/**
 * `kubectl aurum` — the admin's shortcuts (a kubectl plugin; `cli/kubectl-aurum` is the executable).
 *
 *   kubectl aurum status [<platform>] [-n NS | -A]     one line of health per TradingPlatform
 *   kubectl aurum wg-config <access> [-n NS] [--show-login]
 *                                                     the investor's wg-quick file from the access Secret
 *
 * It asks kubectl itself (so --context, --kubeconfig and the current namespace work as everywhere else);
 * `KUBECTL` names another kubectl binary. Exit codes: 0 ok, 1 not healthy / not found, 2 usage.
 */
import { spawnSync } from 'node:child_process';
import {
  type AccessView,
  type PlatformView,
  type PodSummaryView,
  statusLine,
  wgConfigText,
} from './format.ts';

const USAGE = `usage:
  kubectl aurum status [<platform>] [-n <namespace> | -A]
  kubectl aurum wg-config <access> [-n <namespace>] [--show-login]`;

/** Parsed command line. */
export interface Args {
  command: string;
  name?: string;
  /** Flags forwarded to every kubectl call (namespace, context, kubeconfig). */
  kubectlFlags: string[];
  allNamespaces: boolean;
  showLogin: boolean;
}

/** Parses argv (after the plugin name). Throws a usage error on anything unknown. */
export function parseArgs(argv: string[]): Args {
  const out: Args = { command: '', kubectlFlags: [], allNamespaces: false, showLogin: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const withValue = ['-n', '--namespace', '--context', '--kubeconfig'];
    if (withValue.includes(a)) {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      out.kubectlFlags.push(a, v);
    } else if (/^--(namespace|context|kubeconfig)=/.test(a)) out.kubectlFlags.push(a);
    else if (a === '-A' || a === '--all-namespaces') out.allNamespaces = true;
    else if (a === '--show-login') out.showLogin = true;
    else if (a.startsWith('-')) throw new Error(`unknown flag ${a}`);
    else positional.push(a);
  }
  out.command = positional[0] ?? '';
  out.name = positional[1];
  if (positional.length > 2) throw new Error(`unexpected argument ${positional[2]}`);
  return out;
}

function kubectlJson<T>(args: string[], flags: string[]): T {
  const r = spawnSync(process.env.KUBECTL ?? 'kubectl', [...args, ...flags, '-o', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`cannot run kubectl: ${r.error.message}`);
  if (r.status !== 0) throw new Error(r.stderr.trim() || `kubectl ${args.join(' ')} failed`);
  return JSON.parse(r.stdout) as T;
}

function podOf(tp: PlatformView, flags: string[]): PodSummaryView | undefined {
  const pod = tp.status?.runtime?.pod;
  if (!pod) return undefined;
  try {
    return kubectlJson<PodSummaryView>(['get', 'pod', pod, '-n', tp.metadata.namespace ?? ''], flags);
  } catch {
    return undefined;
  }
}

/** Flags for calls that name the namespace themselves: -n/--namespace removed. */
function withoutNamespace(flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '-n' || flags[i] === '--namespace') i++;
    else if (!flags[i]!.startsWith('--namespace=')) out.push(flags[i]!);
  }
  return out;
}

function status(a: Args): number {
  const platforms = a.name
    ? [kubectlJson<PlatformView>(['get', 'tradingplatforms.aurum.dev', a.name], a.kubectlFlags)]
    : kubectlJson<{ items: PlatformView[] }>(
        ['get', 'tradingplatforms.aurum.dev', ...(a.allNamespaces ? ['-A'] : [])],
        a.kubectlFlags,
      ).items;
  if (platforms.length === 0) {
    console.error('no TradingPlatforms found');
    return 1;
  }
  let healthy = true;
  for (const tp of platforms) {
    console.log(statusLine(tp, podOf(tp, withoutNamespace(a.kubectlFlags))));
    const ready = tp.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (!ready) healthy = false;
  }
  return healthy ? 0 : 1;
}

function wgConfig(a: Args): number {
  if (!a.name) throw new Error('wg-config needs the InvestorAccess name');
  const ia = kubectlJson<AccessView>(['get', 'investoraccesses.aurum.dev', a.name], a.kubectlFlags);
  const ref = ia.status?.clientConfigSecretRef?.name;
  if (!ref) {
    const ready = ia.status?.conditions?.find((c) => c.type === 'Ready');
    console.error(
      `InvestorAccess ${a.name} has no client configuration yet${ready ? ` (Ready=${ready.status}: ${ready.reason ?? ''} ${ready.message ?? ''})` : ''}`,
    );
    return 1;
  }
  const secret = kubectlJson<{ data?: Record<string, string> }>(
    ['get', 'secret', ref, '-n', ia.metadata.namespace ?? ''],
    withoutNamespace(a.kubectlFlags),
  );
  process.stdout.write(wgConfigText(secret, ref, a.showLogin));
  return 0;
}

/** Runs the plugin; returns the exit code. */
export function main(argv: string[]): number {
  let a: Args;
  try {
    a = parseArgs(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    if (a.command === 'status') return status(a);
    if (a.command === 'wg-config') return wgConfig(a);
    console.error(a.command ? `unknown command ${a.command}\n${USAGE}` : USAGE);
    return 2;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
