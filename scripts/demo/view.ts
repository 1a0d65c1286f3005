/**
 * The investor's view printed at the end of the demo: positions, orders and PnL as the runtime API returns
 * them (runtime/api/engine-port.ts), as plain text tables. Pure.
 */
import type { AccountView, OrderView, PositionView, TradeView } from '../../runtime/api/engine-port.ts';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Everything the investor sees. */
export interface InvestorView {
  account: AccountView;
  positions: PositionView[];
  orders: OrderView[];
  trades: TradeView[];
}

/** The text block; `maxOrders` newest orders are listed (default 10). */
export function formatInvestorView(v: InvestorView, maxOrders = 10): string {
  const a = v.account;
  const pnl = table(
    ['account', 'balance', 'available', 'margin', 'realized PnL', 'unrealized PnL', 'commission'],
    [[a.accountId, a.balance, a.available, a.margin, a.realizedPnl, a.unrealizedPnl, a.commission]],
  );
  const positions = v.positions.length
    ? table(
        [
          'contract',
          'long (today/yday)',
          'long avg',
          'short (today/yday)',
          'short avg',
          'realized',
          'unrealized',
        ],
        v.positions.map((p) => [
          p.instrument,
          `${p.long.today}/${p.long.yesterday}`,
          p.long.avgPrice ?? '-',
          `${p.short.today}/${p.short.yesterday}`,
          p.short.avgPrice ?? '-',
          p.realizedPnl,
          p.unrealizedPnl,
        ]),
      )
    : '(no positions)';
  const newest = [...v.orders].sort((x, y) => y.createdAt.localeCompare(x.createdAt)).slice(0, maxOrders);
  const orders = newest.length
    ? table(
        ['time', 'order', 'contract', 'side', 'offset', 'price', 'filled/qty', 'status', 'by'],
        newest.map((o) => [
          o.createdAt.slice(11, 19),
          o.clOrdId,
          o.instrument,
          o.side,
          o.offset,
          o.price,
          `${o.filledQuantity}/${o.quantity}`,
          o.status,
          o.origin,
        ]),
      )
    : '(no orders)';
  return [
    `PnL (CNY, as of ${a.asOf})`,
    pnl,
    '',
    'Positions',
    positions,
    '',
    `Orders (${v.orders.length} in total, ${v.trades.length} fills; newest ${newest.length})`,
    orders,
  ].join('\n');
}
