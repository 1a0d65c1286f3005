/**
 * Serves the dashboard: the static single-page app from ./public at `/`, and lightweight-charts' standalone ES
 * module from node_modules at `/vendor/lightweight-charts.mjs` (no CDN is reachable from an investor's pod).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const here = dirname(fileURLToPath(import.meta.url));
export const DASHBOARD_DIR = join(here, 'public');

/** Directory of lightweight-charts' built files. */
export function chartsDistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('lightweight-charts/package.json')), 'dist');
}

export async function registerDashboard(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: DASHBOARD_DIR,
    prefix: '/',
    index: ['index.html'],
    cacheControl: true,
    maxAge: 0,
    schemaHide: true,
  });
  app.get('/vendor/lightweight-charts.mjs', { schema: { hide: true } }, (_req, reply) =>
    reply.sendFile('lightweight-charts.standalone.production.mjs', chartsDistDir(), { maxAge: 3600_000 }),
  );
  // Security headers for the pages: nothing but this origin may be loaded or framed.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.routeOptions.url?.startsWith('/api/')) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      );
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    }
    return payload;
  });
}
