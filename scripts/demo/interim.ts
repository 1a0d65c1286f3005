/**
 * Interim, removed by itself: while the operator's main (operator/main.ts — the image is built from this tree)
 * does not yet register the InvestorAccess controller, the demo runs that same controller in its own process
 * for its duration, with the configuration the chart gave the deployed operator. Without it no platform gets
 * its WireGuard key and no investor gets a client configuration. e2e/access does the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '../../common/log.ts';
import { parseOperatorConfig } from '../../operator/config.ts';
import { registerInvestorAccessController } from '../../operator/controllers/investoraccess/register.ts';
import { Manager } from '../../operator/kube/manager.ts';

/** True when the deployed operator runs the access controller itself. */
export function operatorRunsAccess(): boolean {
  const main = readFileSync(join(import.meta.dirname, '..', '..', 'operator', 'main.ts'), 'utf8');
  return main.includes('registerInvestorAccessController');
}

/**
 * Starts the access controller in this process. `operatorJson` is the chart's operator.json (ConfigMap
 * aurum-operator-config), so it renders exactly what the deployed operator would; it watches `namespace` only.
 */
export async function startAccessController(
  kubeconfig: string,
  operatorJson: string,
  namespace: string,
): Promise<Manager> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const mgr = new Manager({
    connection: kc,
    log: createLogger('demo-access', { level: 'warn' }),
    identity: 'aurum-demo',
  });
  registerInvestorAccessController(mgr, { config: parseOperatorConfig(JSON.parse(operatorJson)) });
  await mgr.start();
  return mgr;
}
