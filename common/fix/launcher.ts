/**
 * Session configuration builders and a small launcher over jspurefix (the FIX engine), shared by the counter
 * simulator (acceptor) and the trading runtime (initiator).
 *
 * jspurefix supplies the whole session layer: logon/logout, heartbeats and test requests, sequence checks,
 * ResendRequest/SequenceReset-GapFill, and sent messages persisted in `.body`/`.header` files. Sequence
 * numbers are persisted by our {@link DurableSessionStore} in place of jspurefix's `file` store, whose
 * `.seqnums` can lag what was sent after a crash (see durable-session-store.ts). We build its descriptions,
 * plug that store in, bridge its logs into pino, and give each side a launcher with a `stop()`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createLogger, type Logger } from '../log.ts';
import { DurableSessionStore, DurableSessionStoreFactory } from './durable-session-store.ts';
import {
  type EngineFactory,
  type IJsFixConfig,
  type IJsFixLogger,
  type ISessionDescription,
  type JsFixLogFields,
  JsFixLoggerFactory,
  SessionLauncher,
} from './jspurefix.ts';

const require = createRequire(import.meta.url);

/** Directory of the jspurefix package (its dictionaries live in `data/`). */
export const JSPUREFIX_DIR = dirname(require.resolve('jspurefix/package.json'));

/**
 * The FIX 4.4 dictionary both sides load: QuickFIX's FIX44.xml as shipped with jspurefix. Aurum adds no
 * custom tags, so QuickFIX/J with its stock FIX44 dictionary interoperates unchanged.
 */
export const FIX44_DICTIONARY = join(JSPUREFIX_DIR, 'data', 'FIX44.xml');

/** Common options of both session sides. */
export interface SessionOptions {
  /** Our SenderCompID (tag 49 on what we send). */
  senderCompId: string;
  /** Heartbeat interval in seconds. Default 30. */
  heartBtInt?: number;
  /**
   * Directory for the persisted session store (sequence numbers + sent messages, a
   * {@link DurableSessionStore}); omit for in-memory.
   */
  storeDir?: string;
  /** Reset sequence numbers at every logon. Default false (sequences survive restarts). */
  resetSeqNum?: boolean;
  /** Name used in logs. Default `fix`. */
  name?: string;
}

/** Options of an acceptor (the counter side). */
export interface AcceptorOptions extends SessionOptions {
  /** Listen address. Default `0.0.0.0`. */
  host?: string;
  /** Listen port (FIX default for the counter: 9878). */
  port: number;
}

/** Options of an initiator (the client side). */
export interface InitiatorOptions extends SessionOptions {
  /** Counter host. */
  host: string;
  /** Counter port. */
  port: number;
  /** The counter's CompID (tag 56 on what we send). */
  targetCompId: string;
  /** Username (553) sent on Logon. */
  username?: string;
  /** Password (554) sent on Logon; never logged. */
  password?: string;
  /** Seconds to keep trying to connect. Default 22. */
  connectTimeoutSeconds?: number;
  /** Wait between connection attempts, seconds. Default 1. */
  reconnectSeconds?: number;
}

function base(
  o: SessionOptions,
  type: 'acceptor' | 'initiator',
  tcp: { host: string; port: number },
  extra: object,
) {
  return {
    application: {
      type,
      name: o.name ?? 'fix',
      protocol: 'ascii',
      dictionary: FIX44_DICTIONARY,
      resilient: false,
      reconnectSeconds: 1,
      tcp: { ...tcp, keepAliveMs: 30_000 },
    },
    BeginString: 'FIX.4.4',
    SenderCompId: o.senderCompId,
    HeartBtInt: o.heartBtInt ?? 30,
    ResetSeqNumFlag: o.resetSeqNum ?? false,
    EncryptMethod: 0,
    BodyLengthChars: 6,
    ...(o.storeDir ? { store: { type: 'file', directory: o.storeDir } } : {}),
    ...extra,
  } as unknown as ISessionDescription;
}

/**
 * An acceptor description with a wildcard TargetCompID: any client CompID may log on, each gets its own
 * session (and store files `FIX.4.4-<us>-<them>.*`); the application decides in `onLogon`.
 */
export function acceptorDescription(o: AcceptorOptions): ISessionDescription {
  return base(o, 'acceptor', { host: o.host ?? '0.0.0.0', port: o.port }, { TargetCompID: '*' });
}

/** An initiator description. */
export function initiatorDescription(o: InitiatorOptions): ISessionDescription {
  const d = base(
    o,
    'initiator',
    { host: o.host, port: o.port },
    {
      TargetCompID: o.targetCompId,
      Username: o.username ?? '',
      Password: o.password ?? '',
    },
  ) as unknown as { application: Record<string, unknown> };
  d.application.connectTimeoutSeconds = o.connectTimeoutSeconds ?? 22;
  d.application.reconnectSeconds = o.reconnectSeconds ?? 1;
  return d as unknown as ISessionDescription;
}

/** Routes jspurefix's log lines into pino at debug level (it is chatty), errors at error. */
export class PinoFixLogFactory extends JsFixLoggerFactory {
  readonly log: Logger;
  constructor(log: Logger = createLogger('fix')) {
    super();
    this.log = log;
  }
  logger(type: string, context?: JsFixLogFields): IJsFixLogger {
    const l = this.log.child({ fix: type, ...context });
    return {
      info: (m, f) => l.debug(f ?? {}, m),
      debug: (m, f) => l.trace(f ?? {}, m),
      warning: (m, f) => l.debug(f ?? {}, m),
      error: (e, f) => l.warn({ ...f, err: e.message }, 'fix engine error'),
    };
  }
  plain(fileName: string): IJsFixLogger {
    return this.logger(fileName);
  }
}

/** Builds a session object for each connection from that connection's own config. */
export type SessionMaker = (config: IJsFixConfig) => unknown;

class Launcher extends SessionLauncher {
  readonly maker: SessionMaker;
  constructor(
    description: ISessionDescription,
    initiator: boolean,
    maker: SessionMaker,
    logFactory: JsFixLoggerFactory,
  ) {
    super(initiator ? description : null, initiator ? null : description, logFactory);
    this.maker = maker;
  }
  protected override makeFactory(_config: IJsFixConfig): EngineFactory {
    return {
      makeSession: (c: IJsFixConfig) => {
        const session = this.maker(withDurableStore(c));
        if (c.description.application?.type === 'acceptor') answerLogonFirst(session as ResendHooks);
        return session;
      },
    } as unknown as EngineFactory;
  }
}

/** The two AsciiSession methods {@link answerLogonFirst} wraps (protected there). */
interface ResendHooks {
  sendResendRequest(lastSeq: number, receivedSeq: number): void;
  onReady(view: unknown): void;
}

/**
 * FIX: an acceptor's Logon answer is the first message of the session. A Logon numbered ahead of what we
 * expect (normal with persisted sequence numbers: a restarted peer continues past a reserved block, see
 * durable-session-store.ts) makes jspurefix send its ResendRequest at once — but when `onLogon` returns a
 * promise (the simulator's does) the Logon answer only follows later, so the ResendRequest goes first and
 * the initiator drops the session ("state HandleResendRequest is illegal for Logon"), at every reconnect.
 * The request is held until the answer is out (jspurefix calls `onReady` right after sending it).
 */
function answerLogonFirst(session: ResendHooks): void {
  const sendResendRequest = session.sendResendRequest.bind(session);
  const onReady = session.onReady.bind(session);
  let answered = false;
  let held: [number, number] | undefined;
  session.sendResendRequest = (lastSeq, receivedSeq) => {
    if (answered) sendResendRequest(lastSeq, receivedSeq);
    else held = [lastSeq, receivedSeq];
  };
  session.onReady = (view) => {
    answered = true;
    if (held) sendResendRequest(...held);
    held = undefined;
    onReady(view);
  };
}

/**
 * A `file` store in the description becomes a {@link DurableSessionStore}: jspurefix takes the config's
 * `sessionStoreFactory` over the description's `store` when it creates each session's store.
 */
function withDurableStore(c: IJsFixConfig): IJsFixConfig {
  const store = c.description.store;
  if (store?.type === 'file' && store.directory && !c.sessionStoreFactory)
    c.sessionStoreFactory = new DurableSessionStoreFactory(store.directory);
  return c;
}

/** A running FIX endpoint. */
export interface FixEndpoint {
  /** Resolves when the endpoint ends (initiator: session over; acceptor: listener closed). */
  done: Promise<unknown>;
  /** Stops it (closes the listener / ends the session). Safe to call twice. */
  stop(): void;
}

/**
 * Starts an acceptor or an initiator.
 * @param maker creates the session object (a subclass of jspurefix `AsciiSession`) for each connection
 * @param log pino logger for engine lines (default: `createLogger('fix')`)
 */
export function startFix(description: ISessionDescription, maker: SessionMaker, log?: Logger): FixEndpoint {
  const initiator = description.application?.type === 'initiator';
  const l = new Launcher(description, initiator, maker, new PinoFixLogFactory(log));
  const done = l.run();
  done.catch(() => {});
  return { done, stop: () => l.stop() };
}
