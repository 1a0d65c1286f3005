/**
 * The admin HTTP API (fastify): create and fund accounts, set prices, halt/resume instruments, advance
 * the clock, settle, inspect books and accounts, Prometheus metrics. Money and prices travel as decimal
 * strings ("612.34"), never floats. Optional bearer token (config `admin.token`).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import {
  formatMoney,
  formatPrice,
  nextTradingDate,
  parseMoney,
  parsePrice,
} from '../../common/shfe/index.ts';
import { hashPassword } from '../auth.ts';
import type { Counter } from '../counter.ts';
import { available, newAccount, positionMargin, unrealized } from '../market/accounts.ts';

/** Admin API options. */
export interface AdminOptions {
  counter: Counter;
  /** Required bearer token; none = open (inside the cluster only). */
  token?: string;
}

/** Builds the admin app (not listening; tests use `inject`). */
export function buildAdmin(o: AdminOptions): FastifyInstance {
  const c = o.counter;
  const m = c.market;
  const app = Fastify({ logger: false });
  if (o.token) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/healthz' || req.url === '/metrics') return;
      if (req.headers.authorization !== `Bearer ${o.token}`)
        return reply.code(401).send({ error: 'unauthorized' });
    });
  }
  const after = () => {
    c.persist();
  };
  const accountView = (id: string) => {
    const a = m.accounts.get(id);
    if (!a) return undefined;
    const u = unrealized(a, m.spec, m.markPrice);
    return {
      id: a.id,
      compId: a.compId,
      balance: formatMoney(a.balance),
      equity: formatMoney(a.balance + u),
      available: formatMoney(available(a, m.spec, m.markPrice)),
      margin: formatMoney(positionMargin(a, m.spec, m.markPrice)),
      frozen: formatMoney(a.frozen),
      realized: formatMoney(a.realized),
      unrealized: formatMoney(u),
      fees: formatMoney(a.fees),
      deposits: formatMoney(a.deposits),
      positions: a.positions,
      orders: [...m.orders.values()].filter((x) => x.account === id),
    };
  };

  app.get('/healthz', async () => ({ ok: true, tradingDay: m.tradingDay, open: c.isOpen() }));
  app.get('/metrics', async (_req, reply) =>
    reply.type(c.metrics.registry.contentType).send(await c.metrics.registry.metrics()),
  );

  app.get('/accounts', async () => [...m.accounts.keys()].map((id) => accountView(id)));
  app.get<{ Params: { id: string } }>(
    '/accounts/:id',
    async (req, reply) =>
      accountView(req.params.id) ?? reply.code(404).send({ error: `unknown account ${req.params.id}` }),
  );
  app.post<{ Body: { id?: string; compId?: string; password?: string; fund?: string } }>(
    '/accounts',
    async (req, reply) => {
      const b = req.body ?? {};
      if (!b.id || !b.password) return reply.code(400).send({ error: 'id and password are required' });
      if (m.accounts.has(b.id)) return reply.code(409).send({ error: `account ${b.id} exists` });
      m.putAccount(newAccount(b.id, b.compId ?? '', hashPassword(b.password)));
      if (b.fund) {
        const fen = parseMoney(b.fund);
        if (fen === undefined) return reply.code(400).send({ error: `bad amount ${b.fund}` });
        m.fund(b.id, fen);
      }
      after();
      return reply.code(201).send(accountView(b.id));
    },
  );
  app.post<{ Params: { id: string }; Body: { amount?: string } }>(
    '/accounts/:id/fund',
    async (req, reply) => {
      const fen = parseMoney(String(req.body?.amount ?? ''));
      if (fen === undefined)
        return reply.code(400).send({ error: 'amount must be a decimal CNY string, e.g. "100000.00"' });
      if (!m.fund(req.params.id, fen))
        return reply.code(404).send({ error: `unknown account ${req.params.id}` });
      after();
      return accountView(req.params.id);
    },
  );

  app.get('/instruments', async () =>
    [...m.instruments.values()].map((i) => ({
      symbol: i.symbol,
      prevSettlement: formatPrice(i.prevSettlement),
      limitUp: formatPrice(i.upper),
      limitDown: formatPrice(i.lower),
      last: i.last !== undefined ? formatPrice(i.last) : null,
      volume: i.volume,
      halted: i.halted,
    })),
  );
  app.get<{ Params: { symbol: string } }>('/books/:symbol', async (req, reply) => {
    const b = m.books.get(req.params.symbol);
    if (!b) return reply.code(404).send({ error: `unknown symbol ${req.params.symbol}` });
    const lv = (side: 'buy' | 'sell') =>
      b.depth(side, 10).map((l) => ({ price: formatPrice(l.price), qty: l.qty, orders: l.orders }));
    return { symbol: req.params.symbol, bids: lv('buy'), asks: lv('sell') };
  });
  for (const [path, halted] of [
    ['halt', true],
    ['resume', false],
  ] as const) {
    app.post<{ Params: { symbol: string } }>(`/instruments/:symbol/${path}`, async (req, reply) => {
      if (!m.setHalted(req.params.symbol, halted))
        return reply.code(404).send({ error: `unknown symbol ${req.params.symbol}` });
      after();
      return { symbol: req.params.symbol, halted };
    });
  }
  /** Set prices: `settlement` moves the previous settlement (and the limits); `fair` moves the liquidity model. */
  app.post<{ Params: { symbol: string }; Body: { settlement?: string; fair?: string } }>(
    '/instruments/:symbol/price',
    async (req, reply) => {
      const sym = req.params.symbol;
      if (!m.instruments.has(sym)) return reply.code(404).send({ error: `unknown symbol ${sym}` });
      if (req.body?.settlement !== undefined) {
        const p = parsePrice(req.body.settlement);
        if (p === undefined || p % m.spec.tick !== 0)
          return reply.code(400).send({ error: 'settlement must be a price on the tick grid' });
        m.setSettlement(sym, p);
      }
      if (req.body?.fair !== undefined) {
        const p = parsePrice(req.body.fair);
        if (p === undefined) return reply.code(400).send({ error: 'fair must be a price' });
        c.liquidity?.setFair(sym, p);
        c.tick();
      }
      after();
      return { symbol: sym };
    },
  );

  app.get('/clock', async () => ({
    now: new Date(c.clock.now()).toISOString(),
    mode: c.clock.mode,
    tradingDay: m.tradingDay,
    open: c.isOpen(),
  }));
  app.post<{ Body: { ms?: number; to?: string } }>('/clock/advance', async (req, reply) => {
    if (req.body?.to) {
      const t = Date.parse(req.body.to);
      if (Number.isNaN(t)) return reply.code(400).send({ error: 'to must be an ISO time' });
      c.clock.set(t);
    } else if (typeof req.body?.ms === 'number') c.clock.advance(req.body.ms);
    else return reply.code(400).send({ error: 'give ms (number) or to (ISO time)' });
    c.rollIfNeeded();
    after();
    return { now: new Date(c.clock.now()).toISOString(), tradingDay: m.tradingDay };
  });
  /** Settles now and starts the next trading day (positions roll today → yesterday). */
  app.post('/settle', async () => {
    c.dispatch(m.settle(nextTradingDate(m.cfg.calendar, m.tradingDay)));
    after();
    return { tradingDay: m.tradingDay };
  });
  return app;
}
