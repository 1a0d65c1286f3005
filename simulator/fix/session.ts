/**
 * The counter's FIX session: jspurefix runs the session layer (logon, heartbeats, test requests, resend
 * and gap fill, persisted sequence numbers); this class authenticates the Logon against the accounts and
 * hands application messages to the {@link Counter}.
 */
import { AsciiSession, type IJsFixConfig, type MsgView } from '../../common/fix/jspurefix.ts';
import type { Counter, SessionPort } from '../counter.ts';

export class CounterSession extends AsciiSession implements SessionPort {
  private readonly counter: Counter;
  account = '';
  peerCompId = '';
  readonly subscriptions: SessionPort['subscriptions'] = new Map();

  constructor(config: IJsFixConfig, counter: Counter) {
    super(config);
    this.counter = counter;
  }

  deliver(msgType: string, body: Record<string, unknown>): void {
    this.send(msgType, body);
  }

  protected onLogon(view: MsgView, user: string, password: string): Promise<boolean> {
    try {
      const sender = view.getString(49) ?? '';
      const target = view.getString(56) ?? '';
      const acct = this.counter.authenticate(sender, target, user ?? '', password ?? '');
      this.account = acct.id;
      this.peerCompId = sender;
      return Promise.resolve(true);
    } catch (e) {
      return Promise.reject(e);
    }
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
