// Display helpers. Prices and money arrive as exact decimal strings and are shown as such; numbers are used only
// for colour decisions and charts.

const bj = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** HH:MM:SS in Beijing time (the exchange's clock). */
export const time = (iso) => (iso ? bj.format(new Date(iso)) : '');

/** "1234567.80" → "1,234,567.80" without going through a float. */
export function money(s) {
  if (s === undefined || s === null) return '—';
  const [int, frac] = String(s).split('.');
  const neg = int.startsWith('-');
  const digits = neg ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac !== undefined ? '.' + frac : '');
}

export const signClass = (s) => (s && String(s).startsWith('-') ? 'down' : Number(s) > 0 ? 'up' : '');

export function esc(v) {
  return String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

const STATUS = {
  pendingNew: 'Pending',
  new: 'Working',
  partiallyFilled: 'Part filled',
  filled: 'Filled',
  pendingCancel: 'Cancelling',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
};
export const statusLabel = (s) => STATUS[s] ?? s;
const OFFSET = { open: 'Open', close: 'Close', closeToday: 'Close T', closeYesterday: 'Close Y' };
export const offsetLabel = (o) => OFFSET[o] ?? o;
export const ACTIVE = new Set(['pendingNew', 'new', 'partiallyFilled', 'pendingCancel']);

/** Chart time: seconds, shifted to Beijing wall-clock (the chart library draws UTC). */
export const chartTime = (iso) => Math.floor(Date.parse(iso) / 1000) + 8 * 3600;
