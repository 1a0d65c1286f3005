// The trading controls: emergency pause and resume, bulk cancel, and the manual order ticket.
import { api } from './api.js';
import { esc } from './format.js';
import { attempt, dialog, toast } from './ui.js';

const $ = (sel) => document.querySelector(sel);

/**
 * Binds the controls. `onRisk(status)` receives the risk status after a pause or resume; `instrument()` is the
 * contract selected for the ticket; `contracts()` lists the subscribed ones.
 */
export function wireTradingControls({ onRisk, instrument, contracts }) {
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
        if (r) onRisk(r);
      },
    );
  $('#btn-resume').onclick = async () => {
    const r = await attempt(() => api('POST', '/api/risk/resume'), 'Trading resumed');
    if (r) onRisk(r);
  };
  $('#btn-cancel-all').onclick = () => {
    const list = contracts();
    dialog(
      `<h3>Bulk cancel</h3>
       <label>Which orders <select name="instrument"><option value="">Every working order</option>
         ${list.map((c) => `<option value="${esc(c)}">${esc(c)} only</option>`).join('')}</select></label>
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
      instrument: instrument(),
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
}
