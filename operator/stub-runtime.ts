/**
 * A stand-in for the trading runtime, for operator tests until the real runtime image is used: it reads and
 * validates the rendered configuration (the same contract the runtime parses), checks that the counter
 * credentials are mounted, and serves the runtime's probe endpoints on the configured port:
 *   /readyz  200 once the configuration is valid and credentials are present (the real runtime additionally
 *            requires its FIX session to be logged on); 503 otherwise
 *   /healthz 200
 * Run: node operator/stub-runtime.ts   (env AURUM_CONFIG, default /etc/aurum/runtime.json)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createLogger } from '../common/log.ts';
import { RUNTIME_CONFIG_PATH, RuntimeConfigSchema } from '../common/runtime-config.ts';

const log = createLogger('stub-runtime');
const path = process.env.AURUM_CONFIG ?? RUNTIME_CONFIG_PATH;

function check(): { ready: boolean; reason: string } {
  try {
    const cfg = RuntimeConfigSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    if (!existsSync(join(cfg.counter.credentialsDir, 'password')))
      return { ready: false, reason: 'no counter password' };
    return { ready: true, reason: `platform ${cfg.platform.namespace}/${cfg.platform.name}` };
  } catch (err) {
    return { ready: false, reason: String(err).slice(0, 300) };
  }
}

const port = (() => {
  try {
    return RuntimeConfigSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).api.port;
  } catch {
    return 8080;
  }
})();

const server = createServer((req, res) => {
  if (req.url === '/readyz') {
    const c = check();
    res.writeHead(c.ready ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(c));
  } else if (req.url === '/healthz') {
    res.writeHead(200).end('ok');
  } else res.writeHead(404).end();
});
server.listen(port, () => log.info({ port, ...check() }, 'stub runtime listening'));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
