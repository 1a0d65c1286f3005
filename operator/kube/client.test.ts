import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from './client.ts';
import { ApiError } from './errors.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];
const clients: KubeClient[] = [];

async function serve(handler: Handler): Promise<KubeClient> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const client = new KubeClient(
    {
      server: `http://127.0.0.1:${port}`,
      credentials: async () => ({ tls: {}, headers: { Authorization: 'Bearer t' } }),
    },
    { timeoutMs: 2000 },
  );
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('KubeClient requests', () => {
  it('sends JSON with credentials and content type, and parses the answer', async () => {
    const seen: string[] = [];
    const client = await serve((req, body, res) => {
      seen.push(
        `${req.method} ${req.url} ${req.headers.authorization} ${req.headers['content-type']} ${body}`,
      );
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ metadata: { name: 'x', resourceVersion: '7' } }));
    });
    const obj = await client.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'n' },
    });
    expect(obj.metadata.resourceVersion).toBe('7');
    expect(seen[0]).toMatch(
      /^PATCH \/api\/v1\/namespaces\/n\/configmaps\/x\?fieldManager=aurum-operator&force=true Bearer t application\/apply-patch\+yaml \{"apiVersion"/,
    );
  });

  it('turns a non-2xx answer into an ApiError with the server message', async () => {
    const client = await serve((_req, _body, res) => {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'configmaps "x" not found' }));
    });
    const err = await client.get('/api/v1/namespaces/n/configmaps/x').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(404);
    expect((err as Error).message).toContain('configmaps "x" not found');
  });

  it('fails a request the server never answers after its timeout, as a transient error', async () => {
    const client = await serve(() => {});
    const err = await client.get('/api/v1/namespaces').catch((e) => e);
    expect(err).toMatchObject({ code: 'AURUM_OP_API_UNAVAILABLE' });
    expect(String(err.message)).toContain('TimeoutError');
  });
});

describe('KubeClient watches', () => {
  it('delivers events split across chunks and reports the end once', async () => {
    const client = await serve((req, _body, res) => {
      expect(req.url).toContain('watch=true');
      expect(req.url).toContain('resourceVersion=5');
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODI');
      setTimeout(() => {
        res.write('FIED","object":{"metadata":{"name":"a"}}}\nnot json\n');
        res.end('{"type":"DELETED","object":{"metadata":{"name":"a"}}}\n');
      }, 20);
    });
    const events: string[] = [];
    const done: unknown[] = [];
    await new Promise<void>((resolve) => {
      void client.watch(
        '/api/v1/configmaps',
        { resourceVersion: '5' },
        (type, obj) => events.push(`${type}:${(obj as { metadata: { name: string } }).metadata.name}`),
        (err) => {
          done.push(err);
          resolve();
        },
        1000,
      );
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['ADDED:a', 'MODIFIED:a', 'DELETED:a']);
    expect(done).toEqual([undefined]);
  });

  it('ends a silent watch with a TimeoutError after the inactivity budget', async () => {
    const client = await serve((_req, _body, res) => {
      res.write('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}\n');
    });
    const started = Date.now();
    const err = await new Promise<unknown>((resolve) => {
      void client.watch('/api/v1/pods', {}, () => {}, resolve, 300);
    });
    expect((err as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('reports an HTTP error status (410 Gone) to the done callback', async () => {
    const client = await serve((_req, _body, res) => {
      res.statusCode = 410;
      res.end(JSON.stringify({ message: 'too old resource version' }));
    });
    const err = await new Promise<unknown>((resolve) => {
      void client.watch('/api/v1/pods', {}, () => {}, resolve, 1000);
    });
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(410);
  });

  it('stops delivering after abort, with an AbortError', async () => {
    const client = await serve((_req, _body, res) => {
      const t = setInterval(() => res.write('{"type":"ADDED","object":{"metadata":{"name":"b"}}}\n'), 10);
      res.on('close', () => clearInterval(t));
    });
    let events = 0;
    let ended: unknown;
    const abort = await client.watch(
      '/api/v1/pods',
      {},
      () => events++,
      (err) => {
        ended = err;
      },
      1000,
    );
    await new Promise((r) => setTimeout(r, 60));
    abort();
    const at = events;
    await new Promise((r) => setTimeout(r, 60));
    expect(at).toBeGreaterThan(0);
    expect(events).toBe(at);
    expect((ended as Error).name).toBe('AbortError');
  });
});
