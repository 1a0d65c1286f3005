/**
 * Test fixture, run as a child process (so a test can SIGKILL it): the runtime's real {@link FixGateway},
 * with its file store, logs on to a counter and keeps both directions busy — market data from the counter,
 * a new order every few milliseconds from us — until killed.
 *
 * Env: COUNTER_PORT, STORE_DIR, INSTRUMENT, ACCOUNT, COMP_ID, PASSWORD. Prints one JSON line per connection
 * state change on stdout.
 */
import { createLogger } from '../../../../common/log.ts';
import type { Order, Tick } from '../../../domain/types.ts';
import { FixGateway } from '../fix-gateway.ts';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const instrument = env('INSTRUMENT');

const gw = new FixGateway({
  endpoints: [{ host: '127.0.0.1', port: Number(env('COUNTER_PORT')) }],
  senderCompId: env('COMP_ID'),
  targetCompId: 'COUNTER',
  accountId: env('ACCOUNT'),
  password: env('PASSWORD'),
  storeDir: env('STORE_DIR'),
  heartbeatSeconds: 5,
  initialBackoffMs: 100,
  maxBackoffMs: 400,
  connectTimeoutSeconds: 2,
  logonTimeoutMs: 3000,
  logger: createLogger('initiator', { level: process.env.LOG_LEVEL ?? 'warn' }),
});

let last: Tick | undefined;
gw.onEvent((e) => {
  if (e.type === 'tick') last = e.tick;
  if (e.type === 'connection') process.stdout.write(`${JSON.stringify(e.status)}\n`);
});
gw.subscribe([instrument]);
gw.start();

// Unique across restarts of this process: the counter refuses a ClOrdID it has seen.
let n = 0;
const prefix = `${process.pid.toString(36)}${Date.now().toString(36)}`;
setInterval(() => {
  if (gw.status().state !== 'loggedOn' || !last) return;
  const order: Order = {
    clOrdId: `${prefix}-${++n}`,
    instrument,
    side: n % 2 ? 'buy' : 'sell',
    offset: 'open',
    price: last.lastPrice,
    quantity: 1,
    filledQuantity: 0,
    filledNotional: 0,
    status: 'pendingNew',
    timeInForce: 'day',
    origin: 'test',
    createdAt: Date.now(),
    updatedAt: Date.now(),
  };
  try {
    gw.sendOrder(order);
  } catch {
    // disconnected between the check and the send
  }
}, 10);
