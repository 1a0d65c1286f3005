/**
 * The counter's FIX session: jspurefix runs the session layer (logon, heartbeats, test requests, resend
 * and gap fill, persisted sequence numbers); this class authenticates the Logon against the accounts and
 * hands application messages to the {@link Counter}.
 */
import {
  AsciiSession,
  FixMsgAsciiStoreResend,
  type IFixMsgStore,
  type IJsFixConfig,
  type MsgView,
  SessionState,
} from '../../common/fix/jspurefix.ts';
import type { Counter, SessionPort } from '../counter.ts';

/** Session-level message types: never resent, gap-filled instead. */
const SESSION_TYPES = new Set(['0', '1', '2', '3', '4', '5', 'A']);

export class CounterSession extends AsciiSession implements SessionPort {
  private readonly counter: Counter;
  account = '';
  peerCompId = '';
  readonly subscriptions: SessionPort['subscriptions'] = new Map();

  /** Whether the peer's Logon asked for a sequence reset (141=Y). */
  private resetRequested = false;

  constructor(config: IJsFixConfig, counter: Counter) {
    super(config);
    this.counter = counter;
    // FIX: a Logon answering a reset request (141=Y) must carry 141=Y too; jspurefix answers with its own
    // configured flag (N, since we keep sequences across restarts) and QuickFIX/J then drops the session
    // ("Received logon response before sending request"). This connection's factory is its own copy.
    const f = config.factory;
    if (f) {
      const logon = f.logon.bind(f);
      f.logon = (userRequestId?: string, isResponse?: boolean) => {
        const o = logon(userRequestId, isResponse);
        if (this.resetRequested) o.ResetSeqNumFlag = true; // we only ever answer logons (acceptor)
        return o;
      };
    }
  }

  deliver(msgType: string, body: Record<string, unknown>): void {
    this.send(msgType, body);
  }

  protected onLogon(view: MsgView, user: string, password: string): Promise<boolean> {
    try {
      const sender = view.getString(49) ?? '';
      const target = view.getString(56) ?? '';
      const reset = view.getString(141);
      this.resetRequested = reset === 'Y' || (reset as unknown) === true;
      const acct = this.counter.authenticate(sender, target, user ?? '', password ?? '');
      this.account = acct.id;
      this.peerCompId = sender;
      return Promise.resolve(true);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Resend from the persisted session store. jspurefix writes every sent message to the file store but
   * replays from a separate in-memory store that nothing fills, so it would answer every ResendRequest
   * with one gap fill. Pointing the resender at the file store replays application messages (with
   * PossDupFlag=Y and their original body; session messages gap-filled) — also after a restart.
   */
  protected override onResendRequest(view: MsgView): void {
    const ss = this.sessionStore;
    const decode = this.counter.decodeFrame;
    const adapter = {
      // Application messages only, decoded here (jspurefix would resend them with an empty body); the
      // session messages left out become SequenceReset-GapFill, as FIX requires.
      getSeqNumRange: async (from: number, to?: number) => {
        const recs = await ss.getRange(from, to && to > 0 ? to : Number.MAX_SAFE_INTEGER);
        const out = [];
        for (const r of recs) {
          if (SESSION_TYPES.has(r.msgType)) continue;
          if (!r.obj && r.encoded && decode) {
            const raw = r.encoded.includes('\x01') ? r.encoded : r.encoded.replaceAll('|', '\x01');
            const obj = decode(Buffer.from(raw, 'latin1'));
            if (!obj) continue;
            delete obj.StandardHeader;
            delete obj.StandardTrailer;
            r.obj = obj;
          }
          if (r.obj) out.push(r);
        }
        return out;
      },
    } as unknown as IFixMsgStore;
    this.resender = new FixMsgAsciiStoreResend(adapter, this.config);
    super.onResendRequest(view);
  }

  /**
   * jspurefix ends the session when an application message arrives while it is still answering a
   * ResendRequest (a read of the file store here). FIX lets the peer go on sending meanwhile: the runtime asks
   * for funds and positions right after logon, and after a restart of the counter that once collided with the
   * resend its logon had triggered, dropping the fresh session ("msgType BB received in state
   * HandleResendRequest").
   */
  protected override validStateApplicationMsg(): boolean {
    return this.sessionState.state === SessionState.HandleResendRequest || super.validStateApplicationMsg();
  }

  protected onReady(_view: MsgView): void {
    this.counter.log.info({ account: this.account }, 'FIX session logged on');
    this.counter.attach(this);
  }

  protected onApplicationMsg(msgType: string, view: MsgView): void {
    const sender = view.getString(49);
    if (sender !== this.peerCompId) {
      // Session-level Reject, reason 9 = CompID problem; the message is not processed.
      this.send('3', {
        RefSeqNum: Number(view.getTyped(34) ?? 0),
        RefMsgType: msgType,
        SessionRejectReason: 9,
        Text: `wrong SenderCompID ${sender}: this session is ${this.peerCompId}`,
      });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = (view.toObject() ?? {}) as Record<string, unknown>;
    } catch (e) {
      body = { __decodeError: (e as Error).message };
    }
    const seq = Number(view.getTyped(34) ?? 0);
    this.counter.handle(this, msgType, body, seq);
  }

  protected onStopped(error?: Error): void {
    this.counter.detach(this);
    if (this.account)
      this.counter.log.info({ account: this.account, reason: error?.message }, 'FIX session ended');
  }

  protected onDecoded(): void {}
  protected onEncoded(): void {}
}
