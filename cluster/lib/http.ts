/** Minimal HTTP(S) GET for health checks (loopback and the node's own address only). */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** TLS material for talking to the API server (file paths). */
export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

/** GETs `url`; resolves with status and body, or status 0 and the error text when unreachable. */
export function httpGet(
  url: string,
  tls: TlsFiles = {},
  timeoutMs = 3000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const isHttps = url.startsWith('https:');
    const opts: https.RequestOptions = { timeout: timeoutMs };
    if (isHttps) {
      if (tls.ca) opts.ca = readFileSync(tls.ca);
      else opts.rejectUnauthorized = false; // self-signed component serving certs; health only
      if (tls.cert) opts.cert = readFileSync(tls.cert);
      if (tls.key) opts.key = readFileSync(tls.key);
    }
    const req = (isHttps ? https : http).get(url, opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
  });
}
