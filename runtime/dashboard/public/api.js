// The dashboard's client for the investor API: JSON over fetch with the session cookie, plus the event stream.

/** An API refusal: HTTP status, stable code and a sentence for people. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function api(method, url, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  if (res.status === 204) return undefined;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new ApiError(
      res.status,
      data.error?.code ?? 'HTTP_' + res.status,
      data.error?.message ?? res.statusText,
    );
    if (res.status === 401 && !url.startsWith('/api/auth/login')) onUnauthorized(err);
    throw err;
  }
  return data;
}

/**
 * Opens /api/stream and keeps it open: reconnects with backoff (1 s doubling to 15 s) unless the server ended
 * the session (close code 4001), which goes to `onEnded`.
 */
export function openStream({ onEvent, onState, onEnded }) {
  let ws;
  let delay = 1000;
  let stopped = false;
  const connect = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    ws = new WebSocket(`${proto}://${location.host}/api/stream`);
    onState('connecting');
    ws.onopen = () => {
      delay = 1000;
      onState('open');
    };
    ws.onmessage = (m) => onEvent(JSON.parse(m.data));
    ws.onclose = (e) => {
      onState('closed');
      if (stopped) return;
      if (e.code === 4001) {
        onEnded(e.reason || 'session ended');
        return;
      }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  };
  connect();
  return () => {
    stopped = true;
    ws?.close();
  };
}
