// Small UI helpers shared by the dashboard's modules: toasts, guarded API calls, the modal dialog.
const $ = (sel) => document.querySelector(sel);

export function toast(message, kind = 'info') {
  const el = document.createElement('div');
  el.className = `toast ${kind}`;
  el.textContent = message;
  $('#toasts').append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 7000 : 3500);
}

/** Runs an API call; shows its refusal as a toast and returns undefined. */
export async function attempt(fn, okMessage) {
  try {
    const r = await fn();
    if (okMessage) toast(okMessage, 'ok');
    return r;
  } catch (err) {
    toast(`${err.message}${err.code ? ` (${err.code})` : ''}`, 'error');
    return undefined;
  }
}

/** Shows a modal form; `onSubmit(formData)` returning false keeps it open. */
export function dialog(html, onSubmit) {
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
