package aurum.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import quickfix.Application;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.ScreenLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.*;

/**
 * QuickFIX/J (an independent FIX 4.4 engine) drives the Aurum counter simulator through the scenarios of
 * simulator/interop/interop.test.ts: logon, market data, order -> partial fill -> fill, cancel, off-tick
 * reject, gap fill and resend. Prints one line per step ("STEP <name> OK|FAIL <detail>") and exits 0 only
 * when every step passed.
 *
 * Args: host port symbol senderA accountA passwordA senderB accountB passwordB
 */
public final class InteropClient implements Application {
  /** A received message with its session. */
  record Rx(SessionID session, Message msg, boolean admin) {}

  private final BlockingQueue<Rx> inbox = new LinkedBlockingQueue<>();
  private final List<String> rawIncoming = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Rx> seen = new ArrayList<>();
  private final java.util.Map<String, String[]> creds = new java.util.HashMap<>();
  private final java.util.Set<SessionID> loggedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private int failures = 0;
  private int clOrd = 0;

  public static void main(String[] args) throws Exception {
    System.exit(new InteropClient().run(args));
  }

  int run(String[] a) throws Exception {
    String host = a[0];
    String port = a[1];
    String symbol = a[2];
    SessionSettings settings = new SessionSettings();
    settings.setString("ConnectionType", "initiator");
    settings.setString("BeginString", "FIX.4.4");
    settings.setString("TargetCompID", "COUNTER");
    settings.setString("SocketConnectHost", host);
    settings.setString("SocketConnectPort", port);
    settings.setString("HeartBtInt", "30");
    settings.setString("StartTime", "00:00:00");
    settings.setString("EndTime", "00:00:00");
    settings.setString("ReconnectInterval", "1");
    settings.setString("ResetOnLogon", "Y");
    settings.setString("UseDataDictionary", "Y");
    settings.setString("DataDictionary", "FIX44.xml");
    SessionID sa = new SessionID("FIX.4.4", a[3], "COUNTER");
    SessionID sb = new SessionID("FIX.4.4", a[6], "COUNTER");
    settings.setString(sa, "SenderCompID", a[3]);
    settings.setString(sb, "SenderCompID", a[6]);
    creds.put(a[3], new String[] {a[4], a[5]});
    creds.put(a[6], new String[] {a[7], a[8]});
    boolean debug = System.getenv("QFJ_DEBUG") != null;
    ScreenLogFactory screen = new ScreenLogFactory(true, debug, debug, debug);
    // Every raw incoming message is also kept, to see replays that QuickFIX/J handles internally.
    quickfix.LogFactory logs = sid -> {
      quickfix.Log inner = screen.create(sid);
      return new quickfix.Log() {
        @Override public void clear() { inner.clear(); }
        @Override public void onIncoming(String m) { rawIncoming.add(sid.getSenderCompID() + ":" + m); inner.onIncoming(m); }
        @Override public void onOutgoing(String m) { inner.onOutgoing(m); }
        @Override public void onEvent(String m) { inner.onEvent(m); }
        @Override public void onErrorEvent(String m) { inner.onErrorEvent(m); }
      };
    };
    SocketInitiator initiator = new SocketInitiator(this, new MemoryStoreFactory(), settings, logs, new DefaultMessageFactory());
    initiator.start();
    try {
      // 1. logon
      long deadline = System.currentTimeMillis() + 20_000;
      while ((!loggedOn.contains(sa) || !loggedOn.contains(sb)) && System.currentTimeMillis() < deadline) Thread.sleep(50);
      step("logon", loggedOn.contains(sa) && loggedOn.contains(sb), "both sessions logged on with Username/Password");

      // 2. market data: subscribe, snapshot + incremental
      quickfix.fix44.MarketDataRequest mdr = new quickfix.fix44.MarketDataRequest(new MDReqID("qfj-md"), new SubscriptionRequestType('1'), new MarketDepth(5));
      quickfix.fix44.MarketDataRequest.NoMDEntryTypes types = new quickfix.fix44.MarketDataRequest.NoMDEntryTypes();
      types.set(new MDEntryType('0'));
      mdr.addGroup(types);
      types.set(new MDEntryType('1'));
      mdr.addGroup(types);
      quickfix.fix44.MarketDataRequest.NoRelatedSym rel = new quickfix.fix44.MarketDataRequest.NoRelatedSym();
      rel.set(new Symbol(symbol));
      mdr.addGroup(rel);
      Session.sendToTarget(mdr, sa);
      Rx snap = await(r -> type(r, "W"), 10);
      step("md-snapshot", snap != null, snap == null ? "no W" : "entries=" + count(snap.msg, NoMDEntries.FIELD));
      // 3. order -> partial fill -> fill (B rests 3 lots, A takes 2 then 1); also produces an incremental
      String px = "650.00";
      String sell = send(sb, symbol, Side.SELL, 3, px, TimeInForce.DAY);
      Rx sNew = await(r -> er(r, sell, '0'), 10);
      Rx inc = await(r -> type(r, "X"), 10);
      step("md-incremental", inc != null, inc == null ? "no X" : "entries=" + count(inc.msg, NoMDEntries.FIELD));
      String buy1 = send(sa, symbol, Side.BUY, 2, px, TimeInForce.DAY);
      Rx partial = await(r -> er(r, sell, 'F') && ordStatus(r) == '1', 10);
      Rx aFill = await(r -> er(r, buy1, 'F'), 10);
      step("partial-fill", sNew != null && partial != null && aFill != null, partial == null ? "no partial" : "cum=" + str(partial.msg, CumQty.FIELD) + " leaves=" + str(partial.msg, LeavesQty.FIELD));
      String buy2 = send(sa, symbol, Side.BUY, 1, px, TimeInForce.DAY);
      Rx full = await(r -> er(r, sell, 'F') && ordStatus(r) == '2', 10);
      step("fill", full != null && await(r -> er(r, buy2, 'F'), 10) != null, full == null ? "no fill" : "avgPx=" + str(full.msg, AvgPx.FIELD));

      // 4. cancel
      String rest = send(sa, symbol, Side.BUY, 1, "600.00", TimeInForce.DAY);
      await(r -> er(r, rest, '0'), 10);
      quickfix.fix44.OrderCancelRequest cxl = new quickfix.fix44.OrderCancelRequest(new OrigClOrdID(rest), new ClOrdID(next()), new Side(Side.BUY), new TransactTime());
      cxl.set(new Symbol(symbol));
      Session.sendToTarget(cxl, sa);
      Rx canceled = await(r -> er(r, rest, '4'), 10);
      step("cancel", canceled != null && ordStatus(canceled) == '4', canceled == null ? "no cancel report" : "status=4");

      // 5. off-tick reject
      String bad = send(sa, symbol, Side.BUY, 1, "612.01", TimeInForce.DAY);
      Rx rej = await(r -> er(r, bad, '8'), 10);
      String text = rej == null ? "" : str(rej.msg, Text.FIELD);
      step("off-tick-reject", rej != null && text.contains("tick"), "Text=" + text);

      // 6a. gap: skip 5 outgoing sequence numbers; the counter must ask for them and accept our gap fill
      Session s = Session.lookupSession(sa);
      s.setNextSenderMsgSeqNum(s.getExpectedSenderNum() + 5);
      String afterGap = send(sa, symbol, Side.BUY, 1, "600.02", TimeInForce.DAY);
      Rx resendReq = await(r -> r.admin && type(r, "2"), 10);
      Rx gapOk = await(r -> er(r, afterGap, '0'), 15);
      step("gap-fill", resendReq != null && gapOk != null, resendReq == null ? "counter sent no ResendRequest" : "ResendRequest " + str(resendReq.msg, BeginSeqNo.FIELD) + ".." + str(resendReq.msg, EndSeqNo.FIELD) + ", order after the gap accepted=" + (gapOk != null));

      // 6b. resend: ask the counter to resend everything from 2; expect PossDup replays or gap fills
      quickfix.fix44.ResendRequest rr = new quickfix.fix44.ResendRequest(new BeginSeqNo(2), new EndSeqNo(s.getExpectedTargetNum() - 1));
      int before = rawIncoming.size();
      Session.sendToTarget(rr, sa);
      long until = System.currentTimeMillis() + 10_000;
      List<String> replays = new ArrayList<>();
      while (System.currentTimeMillis() < until) {
        synchronized (rawIncoming) {
          replays.clear();
          for (String m : rawIncoming.subList(before, rawIncoming.size())) {
            if (m.startsWith(sa.getSenderCompID() + ":") && (m.contains("\u000143=Y\u0001") || m.contains("\u000135=4\u0001"))) replays.add(m);
          }
        }
        if (replays.size() >= 3) break;
        Thread.sleep(100);
      }
      long dups = replays.stream().filter(m -> m.contains("\u000143=Y\u0001") && m.contains("\u000135=8\u0001") && m.contains("\u000111=") && m.contains("\u000139=")).count();
      step("resend", dups > 0, replays.size() + " replayed messages, " + dups + " ExecutionReports replayed whole with PossDupFlag=Y" + (dups > 0 ? "" : " " + String.join(" / ", replays).replace("\u0001", "|")));
      step("session-up", s.isLoggedOn() && Session.lookupSession(sb).isLoggedOn(), "both sessions still logged on");
    } finally {
      initiator.stop(true);
    }
    System.out.println("DONE failures=" + failures);
    return failures == 0 ? 0 : 1;
  }

  private String next() {
    return "qfj-" + System.currentTimeMillis() + "-" + (++clOrd);
  }

  private String send(SessionID sid, String symbol, char side, int qty, String px, char tif) throws Exception {
    String id = next();
    quickfix.fix44.NewOrderSingle o = new quickfix.fix44.NewOrderSingle(new ClOrdID(id), new Side(side), new TransactTime(), new OrdType(OrdType.LIMIT));
    o.set(new Symbol(symbol));
    o.set(new OrderQty(qty));
    o.set(new Price(new java.math.BigDecimal(px).doubleValue()));
    o.set(new TimeInForce(tif));
    o.set(new PositionEffect(PositionEffect.OPEN));
    Session.sendToTarget(o, sid);
    return id;
  }

  private void step(String name, boolean ok, String detail) {
    if (!ok) failures++;
    System.out.println("STEP " + name + " " + (ok ? "OK" : "FAIL") + " " + detail);
  }

  private Rx await(Predicate<Rx> p, int seconds) throws InterruptedException {
    for (Rx r : seen) if (p.test(r)) return r;
    long end = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < end) {
      Rx r = inbox.poll(100, TimeUnit.MILLISECONDS);
      if (r == null) continue;
      seen.add(r);
      if (p.test(r)) return r;
    }
    return null;
  }

  private static boolean type(Rx r, String t) {
    return t.equals(str(r.msg.getHeader(), MsgType.FIELD));
  }

  private static boolean er(Rx r, String clOrdId, char execType) {
    return type(r, "8") && clOrdId.equals(str(r.msg, ClOrdID.FIELD)) && String.valueOf(execType).equals(str(r.msg, ExecType.FIELD));
  }

  private static char ordStatus(Rx r) {
    String s = str(r.msg, OrdStatus.FIELD);
    return s.isEmpty() ? '?' : s.charAt(0);
  }

  private static boolean possDup(Message m) {
    return "Y".equals(str(m.getHeader(), PossDupFlag.FIELD));
  }

  private static String str(quickfix.FieldMap m, int tag) {
    try {
      return m.getString(tag);
    } catch (FieldNotFound e) {
      return "";
    }
  }

  private static int count(Message m, int groupTag) {
    return m.getGroupCount(groupTag);
  }

  @Override public void onCreate(SessionID s) {}
  @Override public void onLogon(SessionID s) { loggedOn.add(s); }
  @Override public void onLogout(SessionID s) { loggedOn.remove(s); }
  @Override public void toAdmin(Message m, SessionID s) {
    if ("A".equals(str(m.getHeader(), MsgType.FIELD))) {
      String[] c = creds.get(s.getSenderCompID());
      m.setString(Username.FIELD, c[0]);
      m.setString(Password.FIELD, c[1]);
    }
  }
  @Override public void fromAdmin(Message m, SessionID s) { inbox.add(new Rx(s, m, true)); }
  @Override public void toApp(Message m, SessionID s) {}
  @Override public void fromApp(Message m, SessionID s) { inbox.add(new Rx(s, m, false)); }
}
