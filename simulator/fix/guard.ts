/**
 * FIX framing guard in front of the jspurefix acceptor.
 *
 * Why: jspurefix validates well-framed messages properly (session Reject 35=3 for bad checksum, unknown
 * MsgType, invalid or missing tags, CompID problems) but its stream parser throws on bytes that are not a
 * FIX frame at all (noise, a wrong BodyLength, a truncated message), and that ends the session. The FIX
 * spec says garbled messages are to be ignored and recovered by the sequence-gap mechanism, so this guard
 * accepts the client's TCP connection, forwards every well-framed message (8=…|9=len|…|10=sum|, correct
 * length and checksum, numeric tags) to the acceptor on an internal loopback port, and drops garbled bytes
 * (counted and logged). Replies flow back untouched. One small hop on loopback, no change to the engine.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

const SOH = 1;
const MAX_BODY = 64 * 1024;
// biome-ignore lint/suspicious/noControlCharactersInRegex: FIX delimits fields with SOH (0x01)
const FIELD_RE = /^[1-9]\d{0,8}=[^\x01]+$/;

/** Result of scanning a buffer for one frame. */
export type FrameScan =
  | { kind: 'frame'; end: number }
  | { kind: 'garbled'; skip: number }
  | { kind: 'incomplete' };

/**
 * Looks for a complete, valid FIX frame at the start of `buf`.
 * - `frame`: bytes [0, end) are a valid message;
 * - `garbled`: drop `skip` bytes (up to the next `8=FIX`) and scan again;
 * - `incomplete`: wait for more bytes.
 */
export function scanFrame(buf: Buffer): FrameScan {
  if (buf.length === 0) return { kind: 'incomplete' };
  const nextStart = (from: number) => {
    const i = buf.indexOf('8=FIX', from, 'latin1');
    return i < 0 ? Math.max(1, buf.length - 4) : i;
  };
  if (
    !buf
      .subarray(0, Math.min(5, buf.length))
      .equals(Buffer.from('8=FIX').subarray(0, Math.min(5, buf.length)))
  ) {
    return { kind: 'garbled', skip: nextStart(1) };
  }
  const s1 = buf.indexOf(SOH);
  if (s1 < 0) return buf.length > 32 ? { kind: 'garbled', skip: nextStart(1) } : { kind: 'incomplete' };
  const s2 = buf.indexOf(SOH, s1 + 1);
  if (s2 < 0) return buf.length - s1 > 16 ? { kind: 'garbled', skip: nextStart(1) } : { kind: 'incomplete' };
  const lenField = buf.toString('latin1', s1 + 1, s2);
  const m = /^9=(\d{1,6})$/.exec(lenField);
  if (!m) return { kind: 'garbled', skip: nextStart(1) };
  const bodyLen = Number(m[1]);
  if (bodyLen <= 0 || bodyLen > MAX_BODY) return { kind: 'garbled', skip: nextStart(1) };
  const bodyStart = s2 + 1;
  const trailerStart = bodyStart + bodyLen;
  const end = trailerStart + 7; // "10=ddd\x01"
  if (buf.length < end) return { kind: 'incomplete' };
  const trailer = buf.toString('latin1', trailerStart, end);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: FIX delimits fields with SOH (0x01)
  if (!/^10=\d{3}\x01$/.test(trailer)) return { kind: 'garbled', skip: nextStart(1) };
  let sum = 0;
  for (let i = 0; i < trailerStart; i++) sum += buf[i]!;
  if (sum % 256 !== Number(trailer.slice(3, 6))) return { kind: 'garbled', skip: nextStart(1) };
  const body = buf.toString('latin1', bodyStart, trailerStart);
  if (!body.endsWith('\x01')) return { kind: 'garbled', skip: nextStart(1) };
  const fields = body.slice(0, -1).split('\x01');
  if (!fields[0]?.startsWith('35=') || !fields.every((f) => FIELD_RE.test(f)))
    return { kind: 'garbled', skip: nextStart(1) };
  return { kind: 'frame', end };
}

/** Guard options. */
export interface GuardOptions {
  host: string;
  port: number;
  /** Where the engine listens (loopback). */
  targetPort: number;
  /** Called with the number of bytes dropped. */
  onGarbled?: (bytes: number, sample: string) => void;
  /** Structural check of a well-framed message (jspurefix's parser); returns the problem or undefined. */
  validate?: (frame: Buffer) => string | undefined;
  /**
   * Called for a well-framed message that fails {@link validate}. The guard forwards a Heartbeat with the
   * same header in its place (so the sequence number is consumed and no gap appears); the counter answers
   * the peer with a session Reject carrying `reason`.
   */
  onMalformed?: (m: { sender: string; seq: number; msgType: string; reason: string }) => void;
}

/** The header of a frame as a Heartbeat with the same sequence number, or undefined without 34. */
export function asHeartbeat(
  frame: Buffer,
): { frame: Buffer; sender: string; seq: number; msgType: string } | undefined {
  const fields = frame.toString('latin1').split('\x01');
  const get = (t: string) => fields.find((f) => f.startsWith(`${t}=`))?.slice(t.length + 1);
  const seq = Number(get('34'));
  if (!Number.isSafeInteger(seq) || seq <= 0) return undefined;
  const keep = ['49', '56', '34', '52', '43', '122'].flatMap((t) =>
    get(t) !== undefined ? [`${t}=${get(t)}\x01`] : [],
  );
  const body = `35=0\x01${keep.join('')}`;
  const head = `${fields[0]}\x019=${Buffer.byteLength(body, 'latin1')}\x01`;
  let sum = 0;
  for (const b of Buffer.from(head + body, 'latin1')) sum += b;
  return {
    frame: Buffer.from(`${head}${body}10=${String(sum % 256).padStart(3, '0')}\x01`, 'latin1'),
    sender: get('49') ?? '',
    seq,
    msgType: get('35') ?? '',
  };
}

/** A running guard. */
export interface Guard {
  server: Server;
  close(): Promise<void>;
}

/** Starts the guard; resolves once it listens. */
export function startGuard(o: GuardOptions): Promise<Guard> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(o.targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const r = scanFrame(pending);
        if (r.kind === 'incomplete') break;
        if (r.kind === 'garbled') {
          o.onGarbled?.(r.skip, pending.toString('latin1', 0, Math.min(r.skip, 80)));
          pending = pending.subarray(r.skip);
          continue;
        }
        const frame = pending.subarray(0, r.end);
        pending = pending.subarray(r.end);
        const problem = o.validate?.(frame);
        if (problem === undefined) {
          upstream.write(frame);
          continue;
        }
        const hb = asHeartbeat(frame);
        if (!hb) {
          o.onGarbled?.(frame.length, frame.toString('latin1', 0, 80));
          continue;
        }
        upstream.write(hb.frame);
        o.onMalformed?.({ sender: hb.sender, seq: hb.seq, msgType: hb.msgType, reason: problem });
      }
      if (pending.length > MAX_BODY * 2) pending = Buffer.alloc(0);
    });
    upstream.on('data', (d) => client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () =>
      resolve({
        server,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}
