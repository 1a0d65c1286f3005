import { describe, expect, it } from 'vitest';
import { instrumentProblem, makeCalendar } from '../../common/shfe/index.ts';
import { demoContract, tradeContract } from './contract.ts';

describe('demo contract', () => {
  it('picks a listed even-month gold contract after the nearest one', () => {
    expect(demoContract(Date.parse('2026-11-25T02:00:00Z'))).toBe('au2702');
    expect(demoContract(Date.parse('2026-03-02T02:00:00Z'))).toBe('au2604');
    for (const t of ['2026-01-05T02:00:00Z', '2026-06-16T02:00:00Z', '2027-12-31T02:00:00Z']) {
      const c = demoContract(Date.parse(t));
      expect(instrumentProblem(makeCalendar(), c, t.slice(0, 10))).toBeUndefined();
    }
  });

  it('points the platform and its strategies at that contract only', () => {
    const [tp, cm] = tradeContract(
      [
        {
          kind: 'TradingPlatform',
          spec: {
            marketData: { instruments: ['au2606', 'au2608'] },
            strategies: [{ name: 'trend', instruments: ['au2606'] }],
          },
        },
        { kind: 'ConfigMap', data: {} },
      ],
      'au2704',
    );
    expect(tp!.spec.marketData.instruments).toEqual(['au2704']);
    expect(tp!.spec.strategies[0].instruments).toEqual(['au2704']);
    expect(cm).toEqual({ kind: 'ConfigMap', data: {} });
  });
});
