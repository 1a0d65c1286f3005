/**
 * Prometheus metrics of the simulator (served by the admin API at /metrics). A registry per instance so
 * tests can run several counters in one process.
 */
import { Gauge, Counter as PCounter, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  messages: PCounter<'type'>;
  execReports: PCounter<'exec_type'>;
  rejects: PCounter<'code'>;
  logons: PCounter<'result'>;
  sessions: Gauge;
  garbled: PCounter;
  bookOrders: Gauge<'symbol'>;
  lastPrice: Gauge<'symbol'>;
}

/** Creates the metric set on a fresh registry. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const r = [registry];
  return {
    registry,
    messages: new PCounter({
      name: 'aurum_sim_fix_messages_total',
      help: 'FIX application messages received, by MsgType',
      labelNames: ['type'],
      registers: r,
    }),
    execReports: new PCounter({
      name: 'aurum_sim_execution_reports_total',
      help: 'Execution reports produced, by exec type',
      labelNames: ['exec_type'],
      registers: r,
    }),
    rejects: new PCounter({
      name: 'aurum_sim_order_rejects_total',
      help: 'Order rejects by catalog code',
      labelNames: ['code'],
      registers: r,
    }),
    logons: new PCounter({
      name: 'aurum_sim_logons_total',
      help: 'Logon attempts by result',
      labelNames: ['result'],
      registers: r,
    }),
    garbled: new PCounter({
      name: 'aurum_sim_fix_garbled_bytes_total',
      help: 'Bytes dropped by the FIX framing guard',
      registers: r,
    }),
    sessions: new Gauge({ name: 'aurum_sim_fix_sessions', help: 'FIX sessions logged on', registers: r }),
    bookOrders: new Gauge({
      name: 'aurum_sim_book_orders',
      help: 'Resting orders per instrument',
      labelNames: ['symbol'],
      registers: r,
    }),
    lastPrice: new Gauge({
      name: 'aurum_sim_last_price_cny_per_gram',
      help: 'Last trade price per instrument',
      labelNames: ['symbol'],
      registers: r,
    }),
  };
}
