/**
 * A strategy's error as its author reads it (the strategy's status, the API, the dashboard): the error's name
 * and message, then the stack frames in the strategy's own files, their paths cut to the file name. The
 * runtime's and Node's frames (the worker, the module loader) say nothing to the author and name paths inside
 * the pod, so they are left out.
 */

/** At most this many of the strategy's own frames are kept. */
const MAX_FRAMES = 6;

/**
 * @param e what was thrown (any value)
 * @param dirUrls file: URLs of the strategy's directories, ending in "/" (confine.ts, strategyDirUrls; none
 *   before the module is known)
 */
export function strategyErrorText(e: unknown, dirUrls: readonly string[]): string {
  if (!(e instanceof Error)) return `thrown: ${safeString(e)}`;
  const head = `${e.name}: ${e.message}`;
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && dirUrls.some((d) => line.includes(d)))
    .slice(0, MAX_FRAMES)
    .map((line) => `    ${dirUrls.reduce((l, d) => l.replaceAll(d, ''), line.trim())}`);
  return [head, ...frames].join('\n');
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * A syntax error found when an upload's types are stripped (node:module stripTypeScriptTypes, which parses
 * JavaScript and TypeScript alike), with where it is: its message alone does not say. The location is in the
 * error's stack, which Node starts with `:<line>`, the lines around it and a caret under the column.
 */
export function syntaxErrorText(e: unknown): string {
  if (!(e instanceof Error)) return safeString(e);
  const found = /^:(\d+)\n([\s\S]*?)\n\n/.exec(e.stack ?? '');
  if (!found) return e.message;
  const lines = found[2]!.split('\n');
  const caret = lines.findIndex((l, i) => i > 0 && /^ *\^+ *$/.test(l));
  if (caret < 0) return `line ${found[1]}: ${e.message}`;
  const column = lines[caret]!.indexOf('^') + 1;
  return `line ${found[1]}, column ${column}: ${e.message}\n${lines[caret - 1]}\n${lines[caret]!.trimEnd()}`;
}
