import { describe, expect, it } from 'vitest';
import { runSteps, StepError } from './steps.ts';

function sink() {
  const lines: string[] = [];
  return { lines, out: { info: (l: string) => lines.push(l), error: (l: string) => lines.push(l) } };
}

describe('runSteps', () => {
  it('prints each step with its duration and note', async () => {
    const { lines, out } = sink();
    let t = 0;
    const ok = await runSteps(
      [
        {
          name: 'a',
          run: () => {
            t += 1500;
            return 'cached';
          },
        },
        {
          name: 'b',
          run: async () => {
            t += 250;
          },
        },
      ],
      {},
      out,
      () => t,
    );
    expect(ok).toBe(true);
    expect(lines).toEqual(['✓ a (1.5s) — cached', '✓ b (0.3s)']);
  });

  it('stops at the first failure and names the step, log and fix', async () => {
    const { lines, out } = sink();
    let ran = false;
    const ok = await runSteps(
      [
        {
          name: 'etcd',
          run: () => {
            throw new StepError('port 2379 in use', { log: '/x/etcd.log', fix: 'stop it' });
          },
        },
        {
          name: 'later',
          run: () => {
            ran = true;
          },
        },
      ],
      {},
      out,
      () => 0,
    );
    expect(ok).toBe(false);
    expect(ran).toBe(false);
    expect(lines).toEqual([
      '✗ step "etcd" failed after 0.0s: port 2379 in use',
      '  log: /x/etcd.log',
      '  fix: stop it',
    ]);
  });
});
