// Strategy actions from the dashboard: start, stop, parameters, logs, upload.
import { api } from './api.js';
import { esc, time } from './format.js';
import { attempt, dialog, toast } from './ui.js';

/** Runs a strategy button's action; `strategies` is the current name → StrategyView map. */
export async function strategyAction(strategies, action, name) {
  if (action === 'start')
    await attempt(() => api('POST', `/api/strategies/${name}/start`), `${name} started`);
  else if (action === 'stop')
    await attempt(() => api('POST', `/api/strategies/${name}/stop`), `${name} stopped`);
  else if (action === 'params') {
    const s = strategies.get(name);
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

export function uploadDialog() {
  dialog(
    `<h3>Upload strategy</h3>
     <label>Name <input name="name" pattern="[a-z][a-z0-9-]{0,62}" required placeholder="my-strategy"></label>
     <label>Module file <input name="file" type="file" accept=".js,.mjs,.ts"></label>
     <label>…or paste the code <textarea name="code" rows="10" spellcheck="false" placeholder="export default { onTick(ctx, tick) { … } }"></textarea></label>
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
