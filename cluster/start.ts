/**
 * Starting one host component of the cluster idempotently: reuse it when it runs healthy, restart it
 * when it stays unhealthy, refuse when its ports are taken, and report a crash with its log at once.
 */
import type { Component } from './components.ts';
import { PORTS } from './config.ts';
import { portFree } from './lib/ports.ts';
import { livePid, logFile, logTail, startProc, stopProc } from './lib/procs.ts';
import { poll } from './lib/sh.ts';
import { StepError } from './lib/steps.ts';

/** What starting needs: where pid files and logs go, and the components. */
export interface StartContext {
  l: { run: string; logs: string };
  comps: Component[];
}

function comp(ctx: StartContext, name: string): Component {
  const c = ctx.comps.find((x) => x.name === name);
  if (!c) throw new Error(`unknown component ${name}`);
  return c;
}

const COMPONENT_PORTS: Record<string, number[]> = {
  etcd: [PORTS.etcdClient, PORTS.etcdPeer, PORTS.etcdMetrics],
  'kube-apiserver': [PORTS.apiserver],
  'kube-controller-manager': [PORTS.controllerManager],
  'kube-scheduler': [PORTS.scheduler],
  kubelet: [PORTS.kubelet, PORTS.kubeletHealthz],
  'kube-proxy': [PORTS.kubeProxyMetrics, PORTS.kubeProxyHealthz],
  'kube-router': [PORTS.kubeRouterHealth, PORTS.kubeRouterMetrics],
};

/** Starts a component unless it already runs healthy; waits until its health probe passes. */
export async function ensureComponent(
  ctx: StartContext,
  name: string,
  timeoutMs = 90_000,
): Promise<string | undefined> {
  const c = comp(ctx, name);
  const dirs = { run: ctx.l.run, logs: ctx.l.logs };
  const log = logFile(dirs, name);
  let note: string | undefined;
  if (livePid(dirs, name, c.spec.bin)) {
    if ((await c.health()) === '') return 'already running';
    // Running but unhealthy: give it a moment (health can lag, e.g. kube-proxy after a burst of
    // Service changes), then restart it.
    let reason = '';
    const recovered = await poll(
      async () => {
        reason = await c.health();
        return reason === '';
      },
      10_000,
      1000,
    );
    if (recovered) return 'already running';
    await stopProc(dirs, name, c.spec.bin);
    note = `restarted (was unhealthy: ${reason.slice(0, 120)})`;
  }
  for (const port of c.ports ?? COMPONENT_PORTS[name] ?? []) {
    if (!(await portFree(port))) {
      throw new StepError(`port ${port} (needed by ${name}) is in use by another process`, {
        fix: `find it with \`ss -ltnp 'sport = :${port}'\` and stop it, or run \`npm run cluster -- down\``,
      });
    }
  }
  startProc(dirs, c.spec);
  let last = '';
  const outcome = await poll(
    async () => {
      if (!livePid(dirs, name, c.spec.bin)) return 'exited';
      last = await c.health();
      return last === '' ? 'healthy' : false;
    },
    timeoutMs,
    500,
  );
  if (outcome !== 'healthy') {
    if (outcome === 'exited' || !livePid(dirs, name, c.spec.bin)) {
      throw new StepError(`${name} exited right after start; last log lines:\n${logTail(log)}`, {
        log,
        fix: 'read the log for the cause (bad flag, port taken, missing file); then rerun `up`',
      });
    }
    throw new StepError(`${name} not healthy after ${timeoutMs / 1000}s (${last})`, {
      log,
      fix: `read the log; \`npm run cluster -- down\` then \`up\` retries from scratch`,
    });
  }
  return note;
}
