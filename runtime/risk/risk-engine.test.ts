/**
 * Risk engine tests. Names start with the domain.md checklist item they prove ("checklist: ..."), so
 * docs/runtime.md can map every item to a test.
 */
import { describe, expect, it } from 'vitest';
import { RuntimeConfigSchema } from '../../common/runtime-config.ts';
import { makeCalendar } from '../../common/shfe/index.ts';
import { type OrderIntent, type RiskContext, RiskEngine, type RiskLimits } from './risk-engine.ts';

// Monday 2026-03-02 10:00 Beijing (02:00 UTC): continuous day session.
const T = Date.UTC(2026, 2, 2, 2, 0, 0);
const limits = (over: Partial<RiskLimits> = {}): RiskLimits => ({
  ...RuntimeConfigSchema.shape.risk.parse({}),
  ...over,
});
const engine = (over: Partial<RiskLimits> = {}) =>
  new RiskEngine(limits(over), { instruments: ['au2606'], calendar: makeCalendar() });
const ctx = (over: Partial<RiskContext> = {}): RiskContext => ({
  now: T,
  position: { longToday: 0, longYesterday: 0, shortToday: 0, shortYesterday: 0 },
  workingOrders: [],
  available: 100_000_000, // 1,000,000 CNY
  lastPrice: 61200,
  upperLimit: 69000,
  lowerLimit: 53000,
  dailyPnl: 0,
  ...over,
});
const buy = (over: Partial<OrderIntent> = {}): OrderIntent => ({
  instrument: 'au2606',
  side: 'buy',
  offset: 'open',
  price: 61200,
  quantity: 1,
  ...over,
});
const code = (d: ReturnType<RiskEngine['checkOrder']>) => (d.ok ? 'OK' : d.code);

describe('risk engine', () => {
  it('checklist: open and close orders pass when everything is in order', () => {
    const r = engine();
    expect(code(r.checkOrder(buy(), ctx()))).toBe('OK');
    const c = ctx({
      now: T + 5000,
      position: { longToday: 1, longYesterday: 0, shortToday: 0, shortYesterday: 0 },
    });
    expect(code(r.checkOrder(buy({ side: 'sell', offset: 'close' }), c))).toBe('OK');
  });

  it('checklist: bad contract codes are rejected before they leave', () => {
    const r = engine();
    expect(code(r.checkOrder(buy({ instrument: 'AU2606' }), ctx()))).toBe('INVALID_INSTRUMENT');
    expect(code(r.checkOrder(buy({ instrument: 'au2613' }), ctx()))).toBe('INVALID_INSTRUMENT');
    expect(code(r.checkOrder(buy({ instrument: 'au2501' }), ctx()))).toBe('INVALID_INSTRUMENT'); // expired
    const d = r.checkOrder(buy({ instrument: 'au2605' }), ctx()); // listed, not configured
    expect(code(d)).toBe('INVALID_INSTRUMENT');
    expect(d.ok ? '' : d.message).toContain('au2606');
  });

  it('checklist: prices off the tick grid are rejected', () => {
    const d = engine().checkOrder(buy({ price: 61201 }), ctx());
    expect(code(d)).toBe('PRICE_OFF_TICK');
    expect(d.ok ? '' : d.message).toContain('612.01');
    expect(code(engine().checkOrder(buy({ price: 0 }), ctx()))).toBe('INVALID_PRICE');
  });

  it('checklist: bad quantities are rejected (zero, fractional, above the per-order maximum)', () => {
    expect(code(engine().checkOrder(buy({ quantity: 0 }), ctx()))).toBe('INVALID_QUANTITY');
    expect(code(engine().checkOrder(buy({ quantity: 1.5 }), ctx()))).toBe('INVALID_QUANTITY');
    expect(code(engine({ maxOrderLots: 5 }).checkOrder(buy({ quantity: 6 }), ctx()))).toBe(
      'QUANTITY_ABOVE_LIMIT',
    );
  });

  it('an order of a kind SHFE does not know (side, time in force) is refused with what it got', () => {
    const gtc = engine().checkOrder(buy({ timeInForce: 'gtc' as 'day' }), ctx());
    expect(code(gtc)).toBe('INVALID_TIME_IN_FORCE');
    expect(gtc.ok ? '' : gtc.message).toContain('Got "gtc"');
    expect(code(engine().checkOrder(buy({ side: 'hold' as 'buy' }), ctx()))).toBe('INVALID_SIDE');
    for (const timeInForce of ['day', 'fak', 'fok'] as const)
      expect(code(engine().checkOrder(buy({ timeInForce }), ctx()))).toBe('OK');
  });

  it('checklist: insufficient funds gives a clear error', () => {
    const d = engine().checkOrder(buy(), ctx({ available: 1_000_000 }));
    expect(code(d)).toBe('INSUFFICIENT_FUNDS');
    expect(d.ok ? '' : d.message).toMatch(/Needs 97930\.00 CNY, available 10000\.00 CNY/);
  });

  it('checklist: insufficient position gives a clear error (incl. working closes and close-today)', () => {
    const pos = { longToday: 1, longYesterday: 1, shortToday: 0, shortYesterday: 0 };
    const r = engine();
    expect(
      code(r.checkOrder(buy({ side: 'sell', offset: 'close', quantity: 3 }), ctx({ position: pos }))),
    ).toBe('INSUFFICIENT_POSITION');
    expect(
      code(r.checkOrder(buy({ side: 'sell', offset: 'close-today', quantity: 2 }), ctx({ position: pos }))),
    ).toBe('INSUFFICIENT_POSITION');
    const working = [
      {
        instrument: 'au2606',
        side: 'sell' as const,
        offset: 'close-today' as const,
        price: 61300,
        leaves: 1,
      },
    ];
    expect(
      code(
        r.checkOrder(
          buy({ side: 'sell', offset: 'close', quantity: 2, price: 61300 }),
          ctx({ position: pos, workingOrders: working }),
        ),
      ),
    ).toBe('INSUFFICIENT_POSITION');
    expect(
      code(r.checkOrder(buy({ side: 'buy', offset: 'close', quantity: 1 }), ctx({ position: pos }))),
    ).toBe('INSUFFICIENT_POSITION');
  });

  it('checklist: orders outside trading hours get a clear error', () => {
    const sat = Date.UTC(2026, 2, 7, 2, 0, 0);
    expect(code(engine().checkOrder(buy(), ctx({ now: sat })))).toBe('OUTSIDE_TRADING_HOURS');
    const lunch = Date.UTC(2026, 2, 2, 4, 0, 0); // 12:00 Beijing
    expect(code(engine().checkOrder(buy(), ctx({ now: lunch })))).toBe('OUTSIDE_TRADING_HOURS');
    const night = Date.UTC(2026, 2, 2, 14, 0, 0); // 22:00 Beijing, night session
    expect(code(engine().checkOrder(buy(), ctx({ now: night })))).toBe('OK');
    expect(code(engine({ tradingHours: 'always' }).checkOrder(buy(), ctx({ now: sat })))).toBe('OK');
  });

  it('checklist: order rate per second is limited (orders and cancels together)', () => {
    const r = engine({ maxOrdersPerSecond: 3 });
    for (let i = 0; i < 2; i++) {
      expect(code(r.checkOrder(buy({ price: 61200 - 2 * i }), ctx({ now: T + i })))).toBe('OK');
      r.orderSent(T + i);
    }
    r.cancelSent('au2606', 1, T + 2);
    expect(code(r.checkOrder(buy({ price: 61100 }), ctx({ now: T + 3 })))).toBe('ORDER_RATE_LIMIT');
    expect(r.checkCancel('au2606', 1, T + 3).ok).toBe(false);
    expect(r.checkCancel('au2606', 1, T + 3, true).ok).toBe(true); // bulk/emergency cancel
    expect(code(r.checkOrder(buy({ price: 61100 }), ctx({ now: T + 1001 })))).toBe('OK');
  });

  it('checklist: daily order count with an alert near the threshold and a refusal at it', () => {
    const r = engine({ maxOrdersPerDay: 10, maxOrdersPerSecond: 100 });
    const alerts = [];
    for (let i = 0; i < 10; i++) alerts.push(...r.orderSent(T + i * 2000));
    expect(alerts.map((a) => `${a.code}/${a.level}`)).toEqual([
      'ORDERS_NEAR_LIMIT/warning',
      'ORDERS_NEAR_LIMIT/critical',
    ]);
    expect(code(r.checkOrder(buy(), ctx({ now: T + 30_000 })))).toBe('ORDER_DAILY_LIMIT');
    // A new trading day resets the counts.
    expect(code(r.checkOrder(buy(), ctx({ now: T + 86_400_000 })))).toBe('OK');
  });

  it('checklist: cancels per contract per day — alert near, hard line at the limit (never 500)', () => {
    const r = engine({ maxCancelsPerDay: 10, maxOrdersPerSecond: 100 });
    const alerts = [];
    for (let i = 0; i < 10; i++) {
      expect(r.checkCancel('au2606', 1, T + i).ok).toBe(true);
      alerts.push(...r.cancelSent('au2606', 1, T + i));
    }
    expect(alerts.map((a) => a.code)).toEqual(['CANCEL_LIMIT_NEAR', 'CANCEL_LIMIT_NEAR']);
    expect(alerts[1]!.level).toBe('critical');
    const d = r.checkCancel('au2606', 1, T + 20);
    expect(d.ok ? 'OK' : d.code).toBe('CANCEL_LIMIT');
    expect(r.counters(T + 20).cancelsToday).toEqual({ au2606: 10 });
    expect(() =>
      limits({
        maxCancelsPerDay: RuntimeConfigSchema.shape.risk.parse({ maxCancelsPerDay: 500 }).maxCancelsPerDay,
      }),
    ).toThrow();
  });

  it('checklist: cancels of 300+ lots are counted apart with their own limit', () => {
    const r = engine({ maxLargeCancelsPerDay: 1 });
    r.cancelSent('au2606', 300, T);
    const d = r.checkCancel('au2606', 300, T + 5000);
    expect(d.ok ? 'OK' : d.code).toBe('LARGE_CANCEL_LIMIT');
    expect(r.checkCancel('au2606', 299, T + 5000).ok).toBe(true);
  });

  it('checklist: duplicate orders raise an advisory alert but are not refused', () => {
    const r = engine();
    expect(r.checkOrder(buy(), ctx()).alerts).toEqual([]);
    const d = r.checkOrder(buy(), ctx({ now: T + 200 }));
    expect(d.ok).toBe(true);
    expect(d.alerts.map((a) => a.code)).toEqual(['DUPLICATE_ORDER']);
    expect(r.checkOrder(buy(), ctx({ now: T + 5000 })).alerts).toEqual([]);
  });

  it('duplicate check: the window is measured from the latest identical order, also after a clock step back', () => {
    const r = engine();
    r.checkOrder(buy(), ctx({ now: T + 900 }));
    r.checkOrder(buy(), ctx({ now: T })); // the clock stepped back: the later stamp still counts
    expect(r.checkOrder(buy(), ctx({ now: T + 1800 })).alerts.map((a) => a.code)).toEqual([
      'DUPLICATE_ORDER',
    ]);
    expect(r.checkOrder(buy(), ctx({ now: T + 2900 })).alerts).toEqual([]);
  });

  it('checklist: emergency pause refuses new orders (with the reason) but not cancels; resume restores', () => {
    const r = engine();
    r.pause('investor pressed the red button');
    const d = r.checkOrder(buy(), ctx());
    expect(code(d)).toBe('RISK_PAUSED');
    expect(d.ok ? '' : d.message).toContain('red button');
    expect(r.checkCancel('au2606', 1, T).ok).toBe(true);
    r.resume();
    expect(code(r.checkOrder(buy(), ctx()))).toBe('OK');
  });

  it('beyond the anchors: price band against limit-up/limit-down and against the last price', () => {
    expect(code(engine().checkOrder(buy({ price: 69002 }), ctx({ lastPrice: 69000 })))).toBe(
      'PRICE_OUTSIDE_LIMITS',
    );
    expect(code(engine().checkOrder(buy({ price: 52998 }), ctx({ lastPrice: 53000 })))).toBe(
      'PRICE_OUTSIDE_LIMITS',
    );
    expect(code(engine({ priceBandTicks: 10 }).checkOrder(buy({ price: 61222 }), ctx()))).toBe('PRICE_BAND');
    expect(code(engine({ priceBandTicks: 10 }).checkOrder(buy({ price: 61220 }), ctx()))).toBe('OK');
  });

  it("beyond the anchors: self-trade prevention never crosses the account's own working order", () => {
    const w = [
      { instrument: 'au2606', side: 'sell' as const, offset: 'open' as const, price: 61210, leaves: 1 },
    ];
    const r = engine();
    expect(code(r.checkOrder(buy({ price: 61210 }), ctx({ workingOrders: w })))).toBe('SELF_TRADE');
    expect(code(r.checkOrder(buy({ price: 61208 }), ctx({ workingOrders: w })))).toBe('OK');
    expect(r.counters(T).selfTradesPrevented).toBe(1);
  });

  it('daily loss limit stops opening but lets positions close', () => {
    const r = engine({ maxDailyLoss: 1000 });
    const c = ctx({
      dailyPnl: -100_000,
      position: { longToday: 1, longYesterday: 0, shortToday: 0, shortYesterday: 0 },
    });
    expect(code(r.checkOrder(buy(), c))).toBe('DAILY_LOSS_LIMIT');
    expect(code(r.checkOrder(buy({ side: 'sell', offset: 'close' }), c))).toBe('OK');
  });

  it('maximum position counts held and working opening lots', () => {
    const w = [
      { instrument: 'au2606', side: 'buy' as const, offset: 'open' as const, price: 61000, leaves: 2 },
    ];
    const c = ctx({
      workingOrders: w,
      position: { longToday: 2, longYesterday: 0, shortToday: 0, shortYesterday: 0 },
    });
    expect(code(engine({ maxPositionLots: 5 }).checkOrder(buy({ quantity: 2 }), c))).toBe('MAX_POSITION');
    expect(code(engine({ maxPositionLots: 5 }).checkOrder(buy({ quantity: 1 }), c))).toBe('OK');
  });
});
