// HTML for the dashboard's panels, from plain state. Every value is escaped.
import { ACTIVE, esc, money, offsetLabel, signClass, statusLabel, time } from './format.js';

const sideCell = (side) =>
  `<td class="${side === 'buy' ? 'up' : 'down'}">${side === 'buy' ? 'Buy' : 'Sell'}</td>`;

export function ordersTable(orders, { working, trader, fresh }) {
  const list = working ? orders.filter((o) => ACTIVE.has(o.status)) : orders;
  const head = `<thead><tr><th>Time</th><th>Contract</th><th>Side</th><th>Offset</th><th class="num">Price</th>
    <th class="num">Lots</th><th class="num">Filled</th><th class="num">Avg</th><th>Status</th><th>Origin</th><th>Note</th><th></th></tr></thead>`;
  if (list.length === 0)
    return `${head}<tbody><tr><td colspan="12" class="empty">${working ? 'No working orders' : 'No orders today'}</td></tr></tbody>`;
  const rows = list
    .map(
      (
        o,
      ) => `<tr data-clordid="${esc(o.clOrdId)}" data-origin="${esc(o.origin)}" data-status="${esc(o.status)}"
        class="${fresh.has(o.clOrdId) ? 'flash' : ''}">
      <td class="num">${time(o.createdAt)}</td><td>${esc(o.instrument)}</td>${sideCell(o.side)}<td>${offsetLabel(o.offset)}</td>
      <td class="num">${esc(o.price)}</td><td class="num">${o.quantity}</td><td class="num">${o.filledQuantity}</td>
      <td class="num">${esc(o.avgFillPrice ?? '')}</td><td><span class="status ${esc(o.status)}">${statusLabel(o.status)}</span></td>
      <td>${esc(o.origin)}</td><td class="muted">${esc(o.text ?? '')}</td>
      <td>${trader && ACTIVE.has(o.status) && o.status !== 'pendingCancel' ? `<button class="btn small" data-cancel="${esc(o.clOrdId)}">Cancel</button>` : ''}</td>
    </tr>`,
    )
    .join('');
  return `${head}<tbody>${rows}</tbody>`;
}

export function tradesTable(trades) {
  const head = `<thead><tr><th>Time</th><th>Contract</th><th>Side</th><th>Offset</th><th class="num">Price</th>
    <th class="num">Lots</th><th class="num">Fee</th><th>Origin</th><th>Trade id</th></tr></thead>`;
  if (trades.length === 0)
    return `${head}<tbody><tr><td colspan="9" class="empty">No trades today</td></tr></tbody>`;
  return `${head}<tbody>${trades
    .map(
      (
        t,
      ) => `<tr><td class="num">${time(t.time)}</td><td>${esc(t.instrument)}</td>${sideCell(t.side)}<td>${offsetLabel(t.offset)}</td>
      <td class="num">${esc(t.price)}</td><td class="num">${t.quantity}</td><td class="num">${money(t.commission)}</td>
      <td>${esc(t.origin)}</td><td class="muted">${esc(t.tradeId)}</td></tr>`,
    )
    .join('')}</tbody>`;
}

export function positionsTable(positions) {
  const head = `<thead><tr><th>Contract</th><th class="num">Long T/Y</th><th class="num">Avg</th><th class="num">Short T/Y</th>
    <th class="num">Avg</th><th class="num">Unrealized</th><th class="num">Realized</th><th class="num">Margin</th></tr></thead>`;
  const open = positions.filter(
    (p) => p.long.today + p.long.yesterday + p.short.today + p.short.yesterday > 0 || +p.realizedPnl !== 0,
  );
  if (open.length === 0) return `${head}<tbody><tr><td colspan="8" class="empty">Flat</td></tr></tbody>`;
  return `${head}<tbody>${open
    .map(
      (p) => `<tr data-instrument="${esc(p.instrument)}"><td>${esc(p.instrument)}</td>
      <td class="num up">${p.long.today}/${p.long.yesterday}</td><td class="num">${esc(p.long.avgPrice ?? '')}</td>
      <td class="num down">${p.short.today}/${p.short.yesterday}</td><td class="num">${esc(p.short.avgPrice ?? '')}</td>
      <td class="num ${signClass(p.unrealizedPnl)}">${money(p.unrealizedPnl)}</td>
      <td class="num ${signClass(p.realizedPnl)}">${money(p.realizedPnl)}</td><td class="num">${money(p.margin)}</td></tr>`,
    )
    .join('')}</tbody>`;
}

export function figures(a) {
  if (!a) return '';
  const f = (label, v, cls = '') =>
    `<div class="fig"><span>${label}</span><b class="${cls}">${money(v)}</b></div>`;
  return (
    f('Balance', a.balance) +
    f('Available', a.available) +
    f('Margin', a.margin) +
    f('Unrealized', a.unrealizedPnl, signClass(a.unrealizedPnl)) +
    f('Realized', a.realizedPnl, signClass(a.realizedPnl)) +
    f('Fees', a.commission)
  );
}

export function quote(t, prev) {
  if (!t) return '<span class="muted">waiting for market data…</span>';
  const dir = prev && +t.lastPrice > +prev ? 'up' : prev && +t.lastPrice < +prev ? 'down' : '';
  return `<span class="last num ${dir}">${esc(t.lastPrice)}</span>
    <span class="ba">Bid <b>${esc(t.bidPrice ?? '—')}</b> × ${t.bidSize ?? ''}</span>
    <span class="ba">Ask <b>${esc(t.askPrice ?? '—')}</b> × ${t.askSize ?? ''}</span>
    <span class="ba">Vol <b>${t.volume}</b></span>
    ${t.upperLimit ? `<span class="ba">Limits <b>${esc(t.lowerLimit)}</b> – <b>${esc(t.upperLimit)}</b></span>` : ''}
    <span class="ba">${time(t.time)}</span>`;
}

export function strategies(list, trader) {
  if (list.length === 0) return '<p class="muted small" style="padding:10px">No strategies configured.</p>';
  return list
    .map((s) => {
      const running = s.state === 'running' || s.state === 'starting';
      const params = Object.entries(s.params ?? {})
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
        .join(' ');
      const actions = trader
        ? `<div class="actions">
            ${
              running
                ? `<button class="btn small sell" data-action="stop" data-name="${esc(s.name)}">Stop</button>`
                : `<button class="btn small buy" data-action="start" data-name="${esc(s.name)}">Start</button>`
            }
            <button class="btn small" data-action="params" data-name="${esc(s.name)}">Params</button>
            <button class="btn small" data-action="logs" data-name="${esc(s.name)}">Logs</button>
          </div>`
        : '';
      return `<div class="strat" data-strategy="${esc(s.name)}" data-state="${esc(s.state)}">
        <div><span class="name">${esc(s.name)}</span><span class="state ${esc(s.state)}">${esc(s.state)}</span>
          <span class="muted small"> ${esc(s.instruments.join(', '))} · ${s.source === 'upload' ? 'uploaded' : 'ConfigMap'}</span></div>
        ${actions}
        ${params ? `<div class="meta">${esc(params)}</div>` : ''}
        ${s.error ? `<div class="err">${esc(s.error)}</div>` : ''}
      </div>`;
    })
    .join('');
}

export function risk(r) {
  if (!r) return '';
  const c = r.counters;
  const maxCancels = r.limits.maxCancelsPerDay ?? 400;
  const meters = Object.entries(c.cancelsToday)
    .map(([inst, n]) => {
      const pct = Math.min(100, (n / maxCancels) * 100);
      const cls = pct >= 90 ? 'crit' : pct >= 70 ? 'hot' : '';
      return `<div class="meter"><div class="kv"><span>Cancels ${esc(inst)}</span><b class="num">${n} / ${maxCancels}</b></div>
        <div class="bar"><i class="${cls}" style="width:${pct.toFixed(1)}%"></i></div></div>`;
    })
    .join('');
  const alerts = r.alerts
    .slice(0, 30)
    .map(
      (a) =>
        `<li class="${esc(a.level)}"><b>${time(a.time)}</b> ${esc(a.message)} <code>${esc(a.code)}</code></li>`,
    )
    .join('');
  return `<div class="risk-grid">
      <div class="kv"><span>Orders today</span><b class="num">${c.ordersToday}</b></div>
      <div class="kv"><span>Orders/s</span><b class="num">${c.ordersLastSecond} / ${r.limits.maxOrdersPerSecond ?? '—'}</b></div>
      <div class="kv"><span>Day PnL</span><b class="num ${signClass(c.dailyPnl)}">${money(c.dailyPnl)}</b></div>
      <div class="kv"><span>Loss limit</span><b class="num">${money(String(r.limits.maxDailyLoss ?? '—'))}</b></div>
      <div class="kv"><span>Max lots/order</span><b class="num">${r.limits.maxOrderLots ?? '—'}</b></div>
      <div class="kv"><span>Self-trades stopped</span><b class="num">${c.selfTradesPrevented}</b></div>
      ${meters}
    </div>
    <ul class="alerts" id="alerts">${alerts || '<li class="info">No alerts</li>'}</ul>`;
}
