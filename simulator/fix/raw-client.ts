/**
 * A raw tag=value FIX client over a plain socket, for tests that must misbehave on purpose (gaps,
 * malformed and fuzzed messages) — something a well-behaved engine will not do.
 */
import { connect, type Socket } from 'node:net';

const SOH = '\x01';

/** Encodes a FIX message: fields in order (8, 9 and 10 are computed). */
export function encodeFix(fields: Array<[number, string | number]>, begin = 'FIX.4.4'): string {
  const body = fields.map(([t, v]) => `${t}=${v}${SOH}`).join('');
  const head = `8=${begin}${SOH}9=${Buffer.byteLength(body, 'latin1')}${SOH}`;
  return `${head}${body}10=${checksum(head + body)}${SOH}`;
}

/** FIX checksum (sum of bytes mod 256, three digits). */
export function checksum(s: string): string {
  let sum = 0;
  for (const b of Buffer.from(s, 'latin1')) sum += b;
  return String(sum % 256).padStart(3, '0');
}

/** Parses one FIX message into [tag, value] pairs. */
export function parseFix(msg: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const part of msg.split(SOH)) {
    const i = part.indexOf('=');
    if (i > 0) m.set(Number(part.slice(0, i)), part.slice(i + 1));
  }
  return m;
}

/** FIX UTC timestamp. */
export function fixTime(d = new Date()): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 23)}`;
}

export class RawFixClient {
  readonly socket: Socket;
  readonly messages: Map<number, string>[] = [];
  private buf = '';
  closed = false;
  seq = 1;
  readonly sender: string;
  readonly target: string;

  private constructor(socket: Socket, sender: string, target: string) {
    this.socket = socket;
    this.sender = sender;
    this.target = target;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buf += d;
      for (;;) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: FIX delimits fields with SOH (0x01)
        const end = this.buf.search(/\x0110=\d{3}\x01/);
        if (end < 0) break;
        const msg = this.buf.slice(0, end + 8);
        this.buf = this.buf.slice(end + 8);
        this.messages.push(parseFix(msg));
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static connect(port: number, sender: string, target = 'COUNTER'): Promise<RawFixClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawFixClient(s, sender, target)));
      s.once('error', reject);
    });
  }

  /** Sends an application/session message with a proper header and the next sequence number. */
  send(
    msgType: string,
    fields: Array<[number, string | number]>,
    opts: { seq?: number; sender?: string; target?: string } = {},
  ): void {
    const seq = opts.seq ?? this.seq++;
    this.write(
      encodeFix([
        [35, msgType],
        [49, opts.sender ?? this.sender],
        [56, opts.target ?? this.target],
        [34, seq],
        [52, fixTime()],
        ...fields,
      ]),
    );
  }

  /** Writes raw bytes. */
  write(data: string | Buffer): void {
    if (!this.closed) this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Logs on (username/password), waits for the Logon answer. */
  async logon(
    username: string,
    password: string,
    opts: { seq?: number; reset?: boolean } = {},
  ): Promise<Map<number, string>> {
    this.send(
      'A',
      [
        [98, 0],
        [108, 30],
        ...(opts.reset ? ([[141, 'Y']] as Array<[number, string]>) : []),
        [553, username],
        [554, password],
      ],
      opts.seq !== undefined ? { seq: opts.seq } : {},
    );
    return this.waitFor((m) => m.get(35) === 'A' || m.get(35) === '5');
  }

  async waitFor(
    pred: (m: Map<number, string>) => boolean,
    timeoutMs = 10_000,
    from = 0,
  ): Promise<Map<number, string>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`raw client: timeout; got ${this.messages.map((m) => m.get(35)).join(',')}`);
      if (this.closed)
        throw new Error(
          `raw client: connection closed; got ${this.messages.map((m) => `${m.get(35)}:${m.get(58) ?? ''}`).join(',')}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
