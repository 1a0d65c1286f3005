import { describe, expect, it } from 'vitest';
import { PositionBook } from './oms/positions.ts';
import { domainOffset, orderView, parsePriceText, portOffset, positionView, tickView } from './views.ts';

describe('wire views', () => {
  it('maps offsets both ways', () => {
    expect(portOffset('close-today')).toBe('closeToday');
    expect(domainOffset('closeYesterday')).toBe('close-yesterday');
    expect(domainOffset('sideways')).toBeUndefined();
  });
  it('prices are exact decimal strings; bad price text is refused', () => {
    expect(parsePriceText('612.34')).toBe(61234);
    expect(parsePriceText('612.345')).toBeUndefined();
    expect(parsePriceText('1e3')).toBeUndefined();
    expect(tickView({ instrument: 'au2606', time: 0, lastPrice: 61234, bidPrice: 61232, volume: 3 })).toEqual(
      {
        instrument: 'au2606',
        time: '1970-01-01T00:00:00.000Z',
        lastPrice: '612.34',
        bidPrice: '612.32',
        volume: 3,
      },
    );
  });
  it('orders show the average fill price and the port offset', () => {
    const v = orderView({
      clOrdId: 'A-1',
      instrument: 'au2606',
      side: 'sell',
      offset: 'close-today',
      price: 61200,
      quantity: 3,
      filledQuantity: 2,
      filledNotional: 61200 + 61202,
      status: 'partiallyFilled',
      timeInForce: 'day',
      origin: 'ema',
      createdAt: 0,
      updatedAt: 1000,
    });
    expect(v).toMatchObject({
      offset: 'closeToday',
      price: '612.00',
      avgFillPrice: '612.01',
      updatedAt: '1970-01-01T00:00:01.000Z',
    });
  });
  it('positions: legs, PnL and margin in CNY', () => {
    const b = new PositionBook();
    b.applyFill({
      tradeId: 't',
      clOrdId: 'c',
      instrument: 'au2606',
      side: 'buy',
      offset: 'open',
      price: 61200,
      quantity: 1,
      commission: 1000,
      time: 0,
      origin: 'x',
    });
    const v = positionView(b.get('au2606'), b.unrealized('au2606', 61210), b.margin('au2606', 61210));
    expect(v).toEqual({
      instrument: 'au2606',
      long: { today: 1, yesterday: 0, avgPrice: '612.00' },
      short: { today: 0, yesterday: 0 },
      realizedPnl: '0.00',
      unrealizedPnl: '100.00',
      margin: '97936.00',
    });
  });
});
