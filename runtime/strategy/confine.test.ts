import { stripTypeScriptTypes } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importAllowed, importRefusal } from './confine.ts';
import { strategyErrorText, syntaxErrorText } from './error-text.ts';

const DIR = 'file:///etc/aurum/strategies/ema/';
const DIRS = [DIR];

describe('importAllowed', () => {
  it('lets a strategy load its own files and the pure built-ins only', () => {
    expect(importAllowed(`${DIR}ema.js`, DIRS)).toBe(true);
    expect(importAllowed(`${DIR}sub/helpers.mjs`, DIRS)).toBe(true);
    expect(importAllowed('node:util', DIRS)).toBe(true);
    expect(importAllowed('node:events', DIRS)).toBe(true);
    for (const url of [
      'node:fs',
      'node:fs/promises',
      'node:net',
      'node:child_process',
      'node:worker_threads',
      'node:crypto',
      'node:module',
      'file:///etc/aurum/strategies/other/x.js',
      'file:///etc/aurum/strategies/ema-other/x.js',
      'file:///var/lib/aurum/journal.db',
      'data:text/javascript,export default 1',
    ])
      expect(importAllowed(url, DIRS), url).toBe(false);
  });

  it('says what is allowed and where it is documented', () => {
    expect(importRefusal('node:fs')).toMatch(
      /may not import node:fs: .*only through ctx.*"What a strategy may use"/,
    );
  });
});

describe('strategyErrorText', () => {
  it("keeps the name, the message and the strategy's own frames, file names only", () => {
    const e = new TypeError("Cannot read properties of null (reading 'x')");
    e.stack = [
      `TypeError: ${e.message}`,
      `    at helper (${DIR}ema.js:1:26)`,
      `    at Object.onTick (${DIR}ema.js:3:1)`,
      '    at onLaneTick (file:///app/runtime/strategy/worker.ts:240:22)',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:561:25)',
    ].join('\n');
    expect(strategyErrorText(e, DIRS)).toBe(
      [`TypeError: ${e.message}`, '    at helper (ema.js:1:26)', '    at Object.onTick (ema.js:3:1)'].join(
        '\n',
      ),
    );
  });

  it("leaves the runtime's frames out of its own refusals, and copes with thrown non-errors", () => {
    const e = new Error('the module has no default export object');
    expect(strategyErrorText(e, DIRS)).toBe('Error: the module has no default export object');
    expect(strategyErrorText('plain text', DIRS)).toBe('thrown: plain text');
    expect(strategyErrorText({ code: 7 }, DIRS)).toBe('thrown: {"code":7}');
    expect(strategyErrorText(new RangeError('r'), [])).toBe('RangeError: r');
  });
});

describe('syntaxErrorText', () => {
  const strip = (code: string) => {
    try {
      stripTypeScriptTypes(code);
    } catch (e) {
      return syntaxErrorText(e);
    }
    throw new Error('no syntax error');
  };

  it('says the line and column, with the line and a caret under the column', () => {
    expect(strip('interface P { a: number }\nexport default { onTick(ctx: any) { if (x { } } }\n')).toBe(
      [
        "line 2, column 43: Expected ')', got '{'",
        'export default { onTick(ctx: any) { if (x { } } }',
        '                                          ^',
      ].join('\n'),
    );
    expect(strip('a\nb\nc\nd\nconst e = (;\nf\n')).toMatch(/^line 5, column 12: .+\nconst e = \(;\n {11}\^$/);
  });

  it('says the line alone when the error is the end of the input', () => {
    expect(strip('const a = 1;\nexport default { onTick( {\n')).toMatch(/^line 2: Unexpected token `<eof>`/);
  });
});
