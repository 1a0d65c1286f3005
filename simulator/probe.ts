/**
 * A FIX smoke probe against a running counter: logs on, lists securities, takes a market-data snapshot of
 * the nearest contract, buys 1 lot FAK at the best offer, and prints one JSON line with what happened.
 * Used by the cluster e2e test (run inside the simulator pod) and handy by hand:
 *   node simulator/probe.ts --host 127.0.0.1 --port 9878 --sender ALICE --account 80001 --password pw
 */
import { parseArgs } from 'node:util';
import { newOrderSingle, parseExecutionReport, parseMdSnapshot } from '../common/fix/messages.ts';
import { connectTestClient } from '../common/fix/testing.ts';

const { values: a } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '9878' },
    sender: { type: 'string', default: 'PROBE' },
    target: { type: 'string', default: 'COUNTER' },
    account: { type: 'string', default: '' },
    password: { type: 'string', default: '' },
  },
});

const { client, endpoint } = await connectTestClient({
  senderCompId: a.sender!,
  targetCompId: a.target!,
  host: a.host!,
  port: Number(a.port),
  username: a.account!,
  password: a.password!,
  resetSeqNum: true,
});
client.sendMsg('x', { SecurityReqID: 'probe', SecurityListRequestType: 4 });
const list = await client.waitFor((r) => r.msgType === 'y');
const symbol = String(list.body.SecListGrp.NoRelatedSym[0].Instrument.Symbol);
client.sendMsg('V', {
  MDReqID: 'probe',
  SubscriptionRequestType: '0',
  MarketDepth: 5,
  InstrmtMDReqGrp: { NoRelatedSym: [{ Instrument: { Symbol: symbol } }] },
});
const snap = parseMdSnapshot((await client.waitFor((r) => r.msgType === 'W')).body);
const ask = snap.asks[0]?.price;
const execTypes: string[] = [];
if (ask !== undefined) {
  client.sendMsg(
    'D',
    newOrderSingle({
      clOrdId: `probe-${Date.now()}`,
      symbol,
      side: 'buy',
      price: ask,
      qty: 1,
      tif: 'fak',
      transactTime: new Date(),
    }),
  );
  const done = await client.waitFor(
    (r) => r.msgType === '8' && ['2', '4', '8'].includes(String(r.body.OrdStatus)),
  );
  for (const r of client.received)
    if (r.msgType === '8') execTypes.push(parseExecutionReport(r.body)!.execType);
  void done;
}
console.log(
  JSON.stringify({
    logon: true,
    symbol,
    bids: snap.bids.length,
    asks: snap.asks.length,
    bestAsk: ask,
    execTypes,
  }),
);
client.done();
await endpoint.done.catch(() => {});
process.exit(0);
