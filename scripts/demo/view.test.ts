import { describe, expect, it } from 'vitest';
import { formatInvestorView } from './view.ts';

describe('demo investor view', () => {
  it('prints PnL, positions and the newest orders as aligned tables', () => {
    const text = formatInvestorView(
      {
        account: {
          accountId: '80001234',
          currency: 'CNY',
          balance: '1000120.00',
          available: '950000.00',
          margin: '50120.00',
          realizedPnl: '140.00',
          unrealizedPnl: '-20.00',
          commission: '20.00',
          asOf: '2026-11-25T02:00:00.000Z',
        },
        positions: [
          {
            instrument: 'au2606',
            long: { today: 1, yesterday: 0, avgPrice: '612.34' },
            short: { today: 0, yesterday: 0 },
            realizedPnl: '140.00',
            unrealizedPnl: '-20.00',
            margin: '50120.00',
          },
        ],
        orders: ['01:59:00', '02:00:00'].map((t, i) => ({
          clOrdId: `j1-${i + 1}`,
          instrument: 'au2606',
          side: 'buy' as const,
          offset: 'open' as const,
          price: '612.34',
          quantity: 1,
          filledQuantity: 1,
          status: 'filled' as const,
          timeInForce: 'day' as const,
          origin: 'trend',
          createdAt: `2026-11-25T${t}.000Z`,
          updatedAt: `2026-11-25T${t}.000Z`,
        })),
        trades: [],
      },
      1,
    );
    expect(text).toContain(
      'account   balance     available  margin    realized PnL  unrealized PnL  commission',
    );
    expect(text).toContain('80001234  1000120.00  950000.00  50120.00  140.00        -20.00          20.00');
    expect(text).toContain(
      'au2606    1/0                612.34    0/0                 -          140.00    -20.00',
    );
    expect(text).toContain('Orders (2 in total, 0 fills; newest 1)');
    expect(text).toContain('02:00:00  j1-2');
    expect(text).not.toContain('j1-1 ');
  });

  it('says so when there is nothing yet', () => {
    const text = formatInvestorView({
      account: {
        accountId: 'a',
        currency: 'CNY',
        balance: '0',
        available: '0',
        margin: '0',
        realizedPnl: '0',
        unrealizedPnl: '0',
        commission: '0',
        asOf: 'x',
      },
      positions: [],
      orders: [],
      trades: [],
    });
    expect(text).toContain('(no positions)');
    expect(text).toContain('(no orders)');
  });
});
