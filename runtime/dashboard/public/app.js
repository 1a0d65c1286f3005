// The dashboard: log in, load a snapshot over REST, then keep it live from /api/stream.
import { api, openStream, setUnauthorizedHandler } from './api.js';
import { equityChart, priceChart } from './charts.js';
import { esc, money } from './format.js';
import { strategyAction, uploadDialog } from './strategy-actions.js';
import { wireTradingControls } from './trading-actions.js';
import { attempt, toast } from './ui.js';
import * as view from './views.js';

const $ = (sel) => document.querySelector(sel);
const state = {
  me: null,
  account: null,
  positions: new Map(),
  orders: [],
  trades: [],
  risk: null,
  strategies: new Map(),
  ticks: new Map(),
  prevLast: new Map(),
  connection: null,
  instrument: null,
  instruments: [],
  tab: 'working',
  fresh: new Set(),
};
let charts = null;
let stopStream = null;
let riskTimer;
let dirty = new Set();
let scheduled = false;

// ---- rendering, batched per animation frame ----
function mark(...parts) {
  for (const p of parts) dirty.add(p);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(render);
  }
}
function render() {
  scheduled = false;
  const d = dirty;
  dirty = new Set();
  const trader = state.me?.role === 'trader';
  if (d.has('account')) $('#figures').innerHTML = view.figures(state.account);
  if (d.has('account') && state.account) $('#acct-id').textContent = state.account.accountId;
  if (d.has('orders')) {
    $('#orders').innerHTML =
      state.tab === 'trades'
        ? view.tradesTable(state.trades)
        : view.ordersTable(state.orders, { working: state.tab === 'working', trader, fresh: state.fresh });
    const working = state.orders.filter((o) =>
      ['pendingNew', 'new', 'partiallyFilled', 'pendingCancel'].includes(o.status),
    ).length;
    $('#orders-count').textContent =
      `${working} working · ${state.orders.length} orders · ${state.trades.length} trades`;
    state.fresh.clear();
  }
  if (d.has('positions')) $('#positions').innerHTML = view.positionsTable([...state.positions.values()]);
  if (d.has('strategies'))
    $('#strategies').innerHTML = view.strategies([...state.strategies.values()], trader);
  if (d.has('risk')) renderRisk();
  if (d.has('quote'))
    $('#quote').innerHTML = view.quote(
      state.ticks.get(state.instrument),
      state.prevLast.get(state.instrument),
    );
  if (d.has('connection')) renderConnection();
}
function renderRisk() {
  const r = state.risk;
  $('#risk').innerHTML = view.risk(r);
  const p = $('#pause-state');
  p.className = r?.paused ? 'pill bad' : 'pill ok';
  p.textContent = r?.paused ? `PAUSED${r.pauseReason ? ` — ${r.pauseReason}` : ''}` : 'Trading';
  $('#btn-pause').hidden = Boolean(r?.paused);
  $('#btn-resume').hidden = !r?.paused;
  // A pause is critical while it lasts; once trading resumed, its alert is history (still listed).
  const critical =
    r?.alerts.filter((a) => a.level === 'critical' && (a.code !== 'TRADING_PAUSED' || r.paused)).length ?? 0;
  $('#risk-summary').innerHTML = critical
    ? `<span class="down">${critical} critical</span>`
    : '<span class="up">OK</span>';
}
function renderConnection() {
  const c = state.connection;
  const el = $('#conn');
  const cls = { loggedOn: 'ok', connecting: 'mid', disconnected: 'bad' }[c?.state] ?? '';
  el.className = `pill ${cls}`;
  el.textContent = c
    ? `Counter ${c.state === 'loggedOn' ? 'connected' : c.state}${c.endpoint ? ` · ${c.endpoint}` : ''}`
    : '—';
  el.title = c?.lastError ?? 'Counter connection';
}

// ---- live events ----
function onEvent(e) {
  switch (e.type) {
    case 'tick': {
      const prev = state.ticks.get(e.tick.instrument);
      if (prev) state.prevLast.set(e.tick.instrument, prev.lastPrice);
      state.ticks.set(e.tick.instrument, e.tick);
      if (e.tick.instrument === state.instrument) {
        charts?.price.tick(e.tick);
        mark('quote');
      }
      break;
    }
    case 'bar':
      if (e.bar.instrument === state.instrument) charts?.price.bar(e.bar);
      break;
    case 'order': {
      const i = state.orders.findIndex((o) => o.clOrdId === e.order.clOrdId);
      if (i >= 0) state.orders[i] = e.order;
      else {
        state.orders.unshift(e.order);
        state.fresh.add(e.order.clOrdId);
      }
      mark('orders');
      break;
    }
    case 'trade':
      // A trade may be both in a snapshot and in the events queued while it loaded.
      if (state.trades.some((t) => t.tradeId === e.trade.tradeId)) break;
      state.trades.unshift(e.trade);
      mark('orders');
      break;
    case 'position':
      state.positions.set(e.position.instrument, e.position);
      mark('positions');
      break;
    case 'account':
      state.account = e.account;
      mark('account');
      break;
    case 'equity':
      charts?.equity.add(e.point);
      $('#equity-last').textContent = `${money(e.point.equity)} CNY`;
      break;
    case 'alert':
      if (state.risk) state.risk.alerts.unshift(e.alert);
      if (e.alert.level !== 'info') toast(e.alert.message, e.alert.level === 'critical' ? 'error' : 'info');
      mark('risk');
      break;
    case 'strategy':
      state.strategies.set(e.strategy.name, e.strategy);
      mark('strategies');
      break;
    case 'connection':
      state.connection = e.connection;
      mark('connection');
      break;
    case 'risk':
      refreshRisk();
      break;
  }
}
async function refreshRisk() {
  state.risk = await api('GET', '/api/risk');
  mark('risk');
}

function setChartMode(m) {
  charts.price.setMode(m);
  for (const b of document.querySelectorAll('[data-chart-mode]'))
    b.classList.toggle('active', b.dataset.chartMode === m);
}

async function loadProfile() {
  let p;
  try {
    p = await api('GET', '/api/platform/profile');
  } catch {
    $('#resources-panel').hidden = true; // not in a cluster: nothing to switch
    return;
  }
  $('#resources-panel').hidden = false;
  const options = p.allowedProfiles.length ? p.allowedProfiles : [p.profile];
  $('#profile-select').innerHTML = options
    .map((o) => `<option value="${esc(o)}" ${o === p.profile ? 'selected' : ''}>${esc(o)}</option>`)
    .join('');
  $('#profile-select').disabled = p.allowedProfiles.length === 0;
  const running = p.effectiveProfile ?? p.profile;
  $('#profile-status').textContent =
    p.resizeStatus === 'pending' ? `resizing: ${running} → ${p.profile}` : `running ${running}`;
}

// ---- loading ----
async function loadInstrument(instrument) {
  state.instrument = instrument;
  $('#ticket-instrument').textContent = instrument;
  const bars = await api('GET', `/api/market/bars/${instrument}?limit=600`);
  charts.price.setBars(bars);
  // Right after a start there are only a few bars: show the tick line until a chart's worth accumulates.
  setChartMode(bars.length < 15 ? 'ticks' : 'bars');
  const t = state.ticks.get(instrument);
  if (t) $('#ticket [name=price]').value = t.lastPrice;
  mark('quote');
}

async function start(me) {
  state.me = me;
  document.body.classList.toggle('viewer', me.role !== 'trader');
  $('#user-name').textContent = me.username;
  $('#user-role').textContent = me.role;
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  charts ??= { price: priceChart($('#price-chart')), equity: equityChart($('#equity-chart')) };
  // The stream opens first and its events wait in a queue while the snapshot loads, so nothing that happens
  // in between is missed; after a reconnect the snapshot is reloaded the same way.
  let queue = [];
  let reconnecting = false;
  const resync = async () => {
    queue = queue ?? [];
    await loadSnapshot();
    const pending = queue;
    queue = null;
    for (const e of pending) onEvent(e);
  };
  stopStream?.();
  stopStream = openStream({
    onEvent: (e) => (queue ? queue.push(e) : onEvent(e)),
    onState: (s) => {
      document.body.classList.toggle('stream-down', s !== 'open');
      if (s === 'closed') reconnecting = true;
      if (s === 'open' && reconnecting) {
        reconnecting = false;
        queue = [];
        resync().catch(failed);
      }
    },
    onEnded: (reason) => showLogin(`Signed out: ${reason}.`),
  });
  await resync();
  if (state.instruments[0]) await loadInstrument(state.instruments[0]);
  loadProfile();
  // Counters (orders/s, cancels) move with every order; a light poll keeps the risk panel current.
  clearInterval(riskTimer);
  riskTimer = setInterval(() => refreshRisk().catch(() => {}), 3000);
}

/** Loads everything the panels show. */
async function loadSnapshot() {
  const [account, positions, orders, trades, risk, strategies, connection, ticks, equity] = await Promise.all(
    [
      api('GET', '/api/account'),
      api('GET', '/api/positions'),
      api('GET', '/api/orders?limit=500'),
      api('GET', '/api/trades?limit=500'),
      api('GET', '/api/risk'),
      api('GET', '/api/strategies'),
      api('GET', '/api/connection'),
      api('GET', '/api/market/ticks'),
      api('GET', '/api/equity?limit=2000'),
    ],
  );
  Object.assign(state, { account, orders, trades, risk, connection });
  state.positions = new Map(positions.map((p) => [p.instrument, p]));
  state.strategies = new Map(strategies.map((s) => [s.name, s]));
  state.ticks = new Map(ticks.map((t) => [t.instrument, t]));
  const instruments = [
    ...new Set([...ticks.map((t) => t.instrument), ...strategies.flatMap((s) => s.instruments)]),
  ].sort();
  if (instruments.join() !== state.instruments.join()) {
    state.instruments = instruments;
    $('#instrument').innerHTML = instruments.map((i) => `<option>${esc(i)}</option>`).join('');
  }
  charts.equity.set(equity);
  if (equity.length) $('#equity-last').textContent = `${money(equity.at(-1).equity)} CNY`;
  mark('account', 'orders', 'positions', 'strategies', 'risk', 'connection', 'quote');
}

function showLogin(message = '') {
  clearInterval(riskTimer);
  stopStream?.();
  stopStream = null;
  $('#app-view').hidden = true;
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
  $('#password').value = '';
  // Nothing of the previous session stays on the page for whoever logs in next.
  Object.assign(state, { me: null, account: null, orders: [], trades: [], risk: null });
  state.positions.clear();
  state.strategies.clear();
  for (const id of ['#orders', '#positions', '#strategies', '#risk', '#figures', '#quote'])
    $(id).innerHTML = '';
}
setUnauthorizedHandler((err) => showLogin(err.message));

// ---- wiring ----
function wire() {
  $('#login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#login-error').textContent = '';
    let me;
    try {
      me = await api('POST', '/api/auth/login', {
        username: $('#username').value.trim(),
        password: $('#password').value,
      });
    } catch (err) {
      $('#login-error').textContent = err.message;
      return;
    }
    await start(me).catch(failed);
  });
  $('#btn-logout').onclick = async () => {
    await api('POST', '/api/auth/logout').catch(() => {});
    showLogin('Logged out.');
  };
  wireTradingControls({
    onRisk: (r) => {
      state.risk = r;
      mark('risk');
    },
    instrument: () => state.instrument,
    contracts: () => state.instruments,
  });
  $('#instrument').onchange = (ev) => loadInstrument(ev.target.value);
  for (const b of document.querySelectorAll('[data-chart-mode]'))
    b.onclick = () => setChartMode(b.dataset.chartMode);
  $('#orders').addEventListener('click', async (ev) => {
    const id = ev.target.closest('[data-cancel]')?.dataset.cancel;
    if (id) await attempt(() => api('POST', `/api/orders/${encodeURIComponent(id)}/cancel`), 'Cancel sent');
  });
  $('#strategies').addEventListener('click', (ev) => {
    const b = ev.target.closest('[data-action]');
    if (b) strategyAction(state.strategies, b.dataset.action, b.dataset.name);
  });
  $('#btn-upload').onclick = uploadDialog;
  $('#profile-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const profile = $('#profile-select').value;
    const r = await attempt(
      () => api('POST', '/api/platform/profile', { profile }),
      `Profile ${profile} requested`,
    );
    if (r) setTimeout(loadProfile, 1000);
  });
  for (const tab of document.querySelectorAll('.tab[data-tab]'))
    tab.onclick = () => {
      state.tab = tab.dataset.tab;
      for (const t of document.querySelectorAll('.tab[data-tab]')) t.classList.toggle('active', t === tab);
      mark('orders');
    };
}

/** A failure while loading the dashboard: say so rather than leave empty panels. */
function failed(err) {
  console.error(err);
  toast(`The dashboard could not load: ${err.message}`, 'error');
}

wire();
api('GET', '/api/auth/me').then(
  (me) => start(me).catch(failed),
  () => showLogin(),
);
