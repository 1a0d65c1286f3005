/**
 * The WireGuard sidecar: brings up the tunnel in the pod's network namespace, then keeps its peers and
 * per-peer firewall equal to the platform's peers list, live. Peer changes are applied one `wg set` at a
 * time, so other investors' sessions are never interrupted. Expiry is enforced here too (a timer), so an
 * expired access is cut even while the operator is down.
 *
 * If the tunnel cannot start, the reason goes to the termination log and the process exits 1: the kubelet
 * shows it in the container status, and the operator reports the platform Degraded with that reason.
 */
import { readFile, watch, writeFile } from 'node:fs/promises';
import { createLogger, type Logger } from '../common/log.ts';
import { loadSidecarEnv, type SidecarEnv } from './config.ts';
import { followSecretKey, inClusterTarget } from './kube-secret.ts';
import { livePeers, nextExpiry, type Peer, parsePeersFile } from './peers.ts';
import { Tunnel } from './tunnel.ts';

/** Serialises syncs: at most one runs, and a request during it triggers exactly one more. */
export class PeerReconciler {
  private desired: Peer[] = [];
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly tunnel: Pick<Tunnel, 'sync'>;
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(tunnel: Pick<Tunnel, 'sync'>, log: Logger, now: () => Date = () => new Date()) {
    this.tunnel = tunnel;
    this.log = log;
    this.now = now;
  }

  /** New desired list (all peers, expired ones included: filtering happens at each sync). */
  set(peers: Peer[]): Promise<void> {
    this.desired = peers;
    return this.kick();
  }

  async kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        const now = this.now();
        const live = livePeers(this.desired, now);
        try {
          const { added, removed } = await this.tunnel.sync(live);
          if (added || removed) this.log.info({ live: live.length, added, removed }, 'peers synced');
        } catch (e) {
          this.log.error({ err: (e as Error).message }, 'peer sync failed; retrying in 1 s');
          this.schedule(now.getTime() + 1000, now);
          continue;
        }
        const next = nextExpiry(this.desired, now);
        if (next !== undefined) this.schedule(next, now);
      } while (this.again);
    } finally {
      this.running = false;
    }
  }

  private schedule(at: number, now: Date): void {
    clearTimeout(this.timer);
    // Timers cap at ~24.8 days; a far expiry simply re-arms on the wake-up.
    this.timer = setTimeout(
      () => void this.kick(),
      Math.min(Math.max(at - now.getTime() + 5, 0), 2 ** 31 - 1),
    );
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

async function followFile(
  path: string,
  onValue: (v: string | undefined) => void,
  signal: AbortSignal,
): Promise<void> {
  const read = async () => onValue(await readFile(path, 'utf8').catch(() => undefined));
  await read();
  const dir = path.slice(0, path.lastIndexOf('/')) || '.';
  try {
    for await (const _ of watch(dir, { signal })) await read();
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

/** Runs the sidecar until SIGTERM. */
export async function runSidecar(cfg: SidecarEnv, log: Logger): Promise<void> {
  const tunnel = new Tunnel(
    {
      iface: cfg.WG_INTERFACE,
      address: cfg.WG_ADDRESS,
      listenPort: cfg.WG_LISTEN_PORT,
      privateKeyFile: cfg.WG_PRIVATE_KEY_FILE,
      ports: cfg.WG_ALLOWED_PORTS,
      mode: cfg.WG_MODE,
    },
    log,
  );
  try {
    await tunnel.up();
  } catch (e) {
    const reason = `tunnel cannot start: ${(e as Error).message}`;
    log.error({ reason }, 'tunnel failed');
    await writeFile(cfg.TERMINATION_LOG, reason).catch(() => {});
    tunnel.down();
    process.exit(1);
  }
  const reconciler = new PeerReconciler(tunnel, log);
  const stop = new AbortController();
  const onValue = (text: string | undefined) => {
    if (text === undefined) {
      log.warn('no peers list: removing every peer');
      void reconciler.set([]);
      return;
    }
    try {
      void reconciler.set(parsePeersFile(text));
    } catch (e) {
      log.error({ err: (e as Error).message }, 'malformed peers list ignored; keeping the last good one');
    }
  };
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      log.info({ sig }, 'stopping');
      stop.abort();
      reconciler.stop();
      tunnel.down();
      setTimeout(() => process.exit(0), 200).unref();
    });
  }
  if (cfg.AURUM_PEERS_FILE) await followFile(cfg.AURUM_PEERS_FILE, onValue, stop.signal);
  else
    await followSecretKey(
      inClusterTarget(),
      cfg.AURUM_NAMESPACE,
      cfg.AURUM_PEERS_SECRET as string,
      'peers.json',
      onValue,
      log,
      stop.signal,
    );
}

if (import.meta.main) {
  const log = createLogger('sidecar');
  let cfg: SidecarEnv;
  try {
    cfg = loadSidecarEnv();
  } catch (e) {
    log.error({ err: (e as Error).message }, 'bad configuration');
    process.exit(2);
  }
  await runSidecar(cfg, log);
}
