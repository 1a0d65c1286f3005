import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

describe('createLogger', () => {
  it('redacts secrets at any depth and keeps the rest', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const log = createLogger('t', { level: 'info' }, sink);
    log.info(
      { password: 'hunter2', nested: { privateKey: 'k1', deeper: { token: 't1' } }, user: 'alice' },
      'x',
    );
    expect(out).toContain('alice');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('k1');
    expect(out).not.toContain('t1');
    expect(out).toContain('[redacted]');
  });
});
