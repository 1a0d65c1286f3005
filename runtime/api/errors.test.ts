import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERRORS, statusForEngineCode } from './errors.ts';

describe('error catalog', () => {
  it('is documented in docs/investor-api.md with the same statuses', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/investor-api.md'), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [m[1]!, Number(m[2])]),
    );
    for (const [code, def] of Object.entries(API_ERRORS)) expect(rows.get(code), code).toBe(def.status);
    expect([...rows.keys()].sort()).toEqual(Object.keys(API_ERRORS).sort());
  });

  it('maps engine codes to statuses', () => {
    const cases: [string, number][] = [
      ['UNKNOWN_ORDER', 404],
      ['STRATEGY_NOT_FOUND', 404],
      ['RISK_PAUSED', 409],
      ['NOT_CONNECTED', 409],
      ['ORDER_NOT_WORKING', 409],
      ['STRATEGY_RUNNING', 409],
      ['FORBIDDEN', 403],
      ['PRICE_OFF_TICK', 422],
      ['INSUFFICIENT_FUNDS', 422],
      ['STRATEGY_PARAMS_INVALID', 422],
    ];
    for (const [code, status] of cases) expect(statusForEngineCode(code), code).toBe(status);
  });
});
