/**
 * The counter simulator's entry point: `npm run simulator` (config: SIM_CONFIG + env, see config.ts).
 */
import { createLogger } from '../common/log.ts';
import { startSimulator } from './app.ts';
import { loadConfig } from './config.ts';

const log = createLogger('simulator');
const sim = await startSimulator(loadConfig(), log);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log.info({ sig }, 'stopping');
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
