// The dashboard: log in, load a snapshot over REST, then keep it live from /api/stream.
import { api, openStream, setUnauthorizedHandler } from './api.js';
import { equityChart, priceChart } from './charts.js';
import { esc, money, time } from './format.js';
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

function toast(message, kind = 'info') {
  const el = document.createElement('div');
  el.className = `toast ${kind}`;
  el.textContent = message;
  $('#toasts').append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 7000 : 3500);
}

/** Runs an API call; shows its refusal as a toast and returns undefined. */
async function attempt(fn, okMessage) {
  try {
    const r = await fn();
    if (okMessage) toast(okMessage, 'ok');
    return r;
  } catch (err) {
    toast(`${err.message}${err.code ? ` (${err.code})` : ''}`, 'error');
    return undefined;
  }
}

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
  const critical = r?.alerts.filter((a) => a.level === 'critical').length ?? 0;
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
}
setUnauthorizedHandler((err) => showLogin(err.message));

// ---- dialogs ----
function dialog(html, onSubmit) {
  const dlg = $('#dialog');
  const form = $('#dialog-form');
  form.innerHTML = html;
  form.onsubmit = async (ev) => {
    if (ev.submitter?.value === 'cancel') return;
    ev.preventDefault();
    if ((await onSubmit(new FormData(form))) !== false) dlg.close();
  };
  dlg.showModal();
}

async function strategyAction(action, name) {
  if (action === 'start')
    await attempt(() => api('POST', `/api/strategies/${name}/start`), `${name} started`);
  else if (action === 'stop')
    await attempt(() => api('POST', `/api/strategies/${name}/stop`), `${name} stopped`);
  else if (action === 'params') {
    const s = state.strategies.get(name);
    dialog(
      `<h3>Parameters — ${esc(name)}</h3>
       <textarea name="params" rows="8" spellcheck="false">${esc(JSON.stringify(s?.params ?? {}, null, 2))}</textarea>
       ${s?.paramsSchema ? `<details><summary class="muted small">Schema</summary><pre class="logs">${esc(JSON.stringify(s.paramsSchema, null, 2))}</pre></details>` : ''}
       <div class="row"><button class="btn" value="cancel">Cancel</button><button class="btn primary">Apply live</button></div>`,
      async (fd) => {
        let params;
        try {
          params = JSON.parse(fd.get('params'));
        } catch {
          toast('Parameters must be a JSON object.', 'error');
          return false;
        }
        return (
          (await attempt(
            () => api('PUT', `/api/strategies/${name}/params`, { params }),
            'Parameters applied',
          )) !== undefined
        );
      },
    );
  } else if (action === 'logs') {
    const lines = await attempt(() => api('GET', `/api/strategies/${name}/logs?limit=300`));
    if (!lines) return;
    const text = lines
      .map((l) => `${time(l.time)} ${l.level.toUpperCase().padEnd(5)} ${l.message}`)
      .join('\n');
    dialog(
      `<h3>Logs — ${esc(name)}</h3><pre class="logs">${esc(text || 'No log lines yet.')}</pre>
      <div class="row"><button class="btn" value="cancel">Close</button></div>`,
      () => true,
    );
  }
}

function uploadDialog() {
  dialog(
    `<h3>Upload strategy</h3>
     <label>Name <input name="name" pattern="[a-z][a-z0-9-]{0,62}" required placeholder="my-strategy"></label>
     <label>Module file <input name="file" type="file" accept=".js,.mjs,.ts"></label>
     <label>…or paste the code <textarea name="code" rows="10" spellcheck="false" placeholder="export default class extends Strategy { … }"></textarea></label>
     <div class="row"><button class="btn" value="cancel">Cancel</button><button class="btn primary">Upload</button></div>`,
    async (fd) => {
      const file = fd.get('file');
      const code = file && file.size ? await file.text() : fd.get('code');
      if (!code) {
        toast('Choose a file or paste the code.', 'error');
        return false;
      }
      return (
        (await attempt(
          () => api('PUT', `/api/strategies/${fd.get('name')}/code`, { code }),
          'Strategy uploaded',
        )) !== undefined
      );
    },
  );
}

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
  $('#btn-pause').onclick = () =>
    dialog(
      `<h3>Pause trading</h3><p class="muted">No new order leaves the platform until you resume. Cancels still go out.</p>
       <label>Reason <input name="reason" maxlength="200" placeholder="emergency pause"></label>
       <div class="row"><button class="btn" value="cancel">Cancel</button><button class="btn warn">Pause</button></div>`,
      async (fd) => {
        const r = await attempt(
          () => api('POST', '/api/risk/pause', { reason: fd.get('reason') || undefined }),
          'Trading paused',
        );
        if (r) {
          state.risk = r;
          mark('risk');
        }
      },
    );
  $('#btn-resume').onclick = async () => {
    const r = await attempt(() => api('POST', '/api/risk/resume'), 'Trading resumed');
    if (r) {
      state.risk = r;
      mark('risk');
    }
  };
  $('#btn-cancel-all').onclick = () => {
    const contracts = [...$('#instrument').options].map((o) => o.value);
    dialog(
      `<h3>Bulk cancel</h3>
       <label>Which orders <select name="instrument"><option value="">Every working order</option>
         ${contracts.map((c) => `<option value="${esc(c)}">${esc(c)} only</option>`).join('')}</select></label>
       <div class="row"><button class="btn" value="cancel">Back</button><button class="btn danger">Cancel orders</button></div>`,
      async (fd) => {
        const instrument = fd.get('instrument') || undefined;
        const r = await attempt(() =>
          api('POST', '/api/orders/cancel-all', instrument ? { instrument } : {}),
        );
        if (r) toast(`${r.requested} cancel request(s) sent`, 'ok');
      },
    );
  };
  $('#ticket').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fd = new FormData(ev.target);
    const order = {
      instrument: state.instrument,
      side: fd.get('side'),
      offset: fd.get('offset'),
      price: fd.get('price').trim(),
      quantity: Number(fd.get('quantity')),
      timeInForce: fd.get('timeInForce'),
    };
    const o = await attempt(() => api('POST', '/api/orders', order));
    if (o)
      toast(
        `${o.side === 'buy' ? 'Buy' : 'Sell'} ${o.quantity} ${o.instrument} @ ${o.price}: ${o.status}`,
        'ok',
      );
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
    if (b) strategyAction(b.dataset.action, b.dataset.name);
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
