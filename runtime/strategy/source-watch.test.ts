import { describe, expect, it } from 'vitest';
import { SourceWatch } from './source-watch.ts';

/** A watch over in-memory files, polled by hand (the interval is an hour). */
function watch(files: Record<string, string | undefined>, answers: boolean[] = []) {
  const calls: string[] = [];
  const w = new SourceWatch({
    files: () => Object.keys(files).map((name) => ({ name, file: `/s/${name}.js` })),
    read: (file) => {
      const text = files[file.slice(3, -3)];
      if (text === undefined) throw new Error('ENOENT');
      return Buffer.from(text);
    },
    onChange: async (name) => {
      calls.push(name);
      return answers.shift() ?? true;
    },
    intervalMs: 3_600_000,
  });
  return { w, calls };
}

describe('SourceWatch', () => {
  it('reports a changed file once, asks again while the change was not dealt with, and skips unreadable files', async () => {
    const files: Record<string, string | undefined> = { a: 'v1', b: 'v1' };
    const { w, calls } = watch(files, [false, true]);
    w.start();
    await w.poll();
    expect(calls).toEqual([]); // the versions at start are the ones in effect
    files.a = 'v2';
    await w.poll(); // busy: false
    await w.poll(); // dealt with: true
    await w.poll();
    expect(calls).toEqual(['a', 'a']);
    files.b = undefined; // the ConfigMap is gone for a while
    await w.poll();
    files.b = 'v1';
    await w.poll();
    expect(calls).toEqual(['a', 'a']); // back as it was: nothing to do
    files.b = 'v3';
    await w.poll();
    expect(calls).toEqual(['a', 'a', 'b']);
    await w.stop();
  });

  it('takes a file first seen after the start as in effect, and never overlaps two polls', async () => {
    const files: Record<string, string | undefined> = {};
    const { w, calls } = watch(files);
    w.start();
    files.c = 'v1';
    await w.poll();
    expect(calls).toEqual([]);
    files.c = 'v2';
    const first = w.poll();
    expect(w.poll()).toBe(first);
    await first;
    expect(calls).toEqual(['c']);
    await w.stop();
  });
});
