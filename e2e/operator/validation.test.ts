/**
 * Bad input is refused by the API server itself (OpenAPI schema + CEL rules in the generated CRD), with a
 * message naming the field. Server-side dry-run: nothing is stored, and no operator is needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, kubectl, useNamespace } from '../lib/index.ts';
import { installCrds, platform } from './lib.ts';

const ns = useNamespace('op-validate');

function tryCreate(obj: object) {
  return kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(obj), check: false });
}

type Mutate = (spec: any, tp: any) => void;
const variants: Array<[string, Mutate, RegExp]> = [
  ['negative maxOrderLots', (s) => (s.risk = { maxOrderLots: -1 }), /spec\.risk\.maxOrderLots/],
  ['zero maxPositionLots', (s) => (s.risk = { maxPositionLots: 0 }), /spec\.risk\.maxPositionLots/],
  ['negative maxDailyLoss', (s) => (s.risk = { maxDailyLoss: -5 }), /spec\.risk\.maxDailyLoss/],
  [
    'maxCancelsPerDay at the SHFE abnormal-trading threshold',
    (s) => (s.risk = { maxCancelsPerDay: 500 }),
    /spec\.risk\.maxCancelsPerDay/,
  ],
  ['zero priceBandTicks', (s) => (s.risk = { priceBandTicks: 0 }), /spec\.risk\.priceBandTicks/],
  [
    'order size above position limit',
    (s) => (s.risk = { maxOrderLots: 10, maxPositionLots: 5 }),
    /spec\.risk\.maxOrderLots.*must not exceed maxPositionLots/s,
  ],
  ['unknown protocol', (s) => (s.counter.protocol = 'ctp'), /spec\.counter\.protocol/],
  ['no counter endpoints', (s) => (s.counter.endpoints = []), /spec\.counter\.endpoints/],
  [
    'port out of range',
    (s) => (s.counter.endpoints = [{ host: 'c.example', port: 70000 }]),
    /spec\.counter\.endpoints\[0\]\.port/,
  ],
  ['bad SenderCompID', (s) => (s.counter.senderCompId = 'A|B'), /spec\.counter\.senderCompId/],
  [
    'missing credentials reference',
    (s) => delete s.counter.credentialsSecretRef,
    /spec\.counter\.credentialsSecretRef/,
  ],
  [
    'upper-case instrument',
    (s) => (s.marketData.instruments = ['AU2606']),
    /spec\.marketData\.instruments\[0\]/,
  ],
  ['month 13', (s) => (s.marketData.instruments = ['au2613']), /spec\.marketData\.instruments\[0\]/],
  [
    'not a gold contract',
    (s) => (s.marketData.instruments = ['cu2606']),
    /spec\.marketData\.instruments\[0\]/,
  ],
  ['no instruments', (s) => (s.marketData.instruments = []), /spec\.marketData\.instruments/],
  [
    'strategy trades an unsubscribed contract',
    (s) =>
      (s.strategies = [
        { name: 'x', source: { configMapRef: { name: 'c', key: 'k.js' } }, instruments: ['au2612'] },
      ]),
    /spec\.strategies.*every strategy instrument must be listed in marketData\.instruments/s,
  ],
  [
    'duplicate strategy names',
    (s) => {
      const st = { name: 'x', source: { configMapRef: { name: 'c', key: 'k.js' } }, instruments: ['au2606'] };
      s.strategies = [st, { ...st }];
    },
    /spec\.strategies\[1\].*Duplicate value/s,
  ],
  [
    'bad strategy name',
    (s) =>
      (s.strategies = [
        { name: 'Trend', source: { configMapRef: { name: 'c', key: 'k.js' } }, instruments: ['au2606'] },
      ]),
    /spec\.strategies\[0\]\.name/,
  ],
  [
    'profile not in allowedProfiles',
    (s) => (s.runtime = { profile: 'large', allowedProfiles: ['standard'] }),
    /spec\.runtime\.profile.*allowedProfiles/s,
  ],
  [
    'negative cpu limit',
    (s) => (s.runtime = { resources: { limits: { cpu: '-1' } } }),
    /spec\.runtime\.resources\.limits\.cpu/,
  ],
  [
    'storage size not a quantity',
    (s) => (s.runtime = { storage: { size: 'lots' } }),
    /spec\.runtime\.storage\.size/,
  ],
  ['investor not a DNS label', (s) => (s.investor = 'Alice!'), /spec\.investor/],
  ['investor missing', (s) => delete s.investor, /spec\.investor/],
  ['paused not a boolean', (s) => (s.paused = 'yes'), /spec\.paused/],
  ['unknown field', (s) => (s.leverage = 10), /unknown field "spec\.leverage"/],
  [
    'name too long for child names',
    (_s, tp) => (tp.metadata.name = 'a'.repeat(41)),
    /metadata\.name must be at most 40 characters/,
  ],
];

describe('the API server rejects invalid TradingPlatforms, naming the field', () => {
  beforeAll(() => installCrds());

  it('accepts the valid base object', () => {
    const r = tryCreate(platform(ns.name, 'valid'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it(`has at least 20 invalid variants (${variants.length})`, () => {
    expect(variants.length).toBeGreaterThanOrEqual(20);
  });

  for (const [title, mutate, message] of variants) {
    it(`rejects: ${title}`, () => {
      const tp = platform(ns.name, 'bad');
      mutate(tp.spec, tp);
      const r = tryCreate(tp);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
    });
  }

  it('rejects changing the immutable investor and storage', () => {
    apply(platform(ns.name, 'immutable', { paused: true }));
    const changed = platform(ns.name, 'immutable', { paused: true, investor: 'mallory' });
    const r1 = kubectl(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], {
      input: JSON.stringify(changed),
      check: false,
    });
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toMatch(/spec\.investor.*investor is immutable/s);
    const resized = platform(ns.name, 'immutable', { paused: true, runtime: { storage: { size: '5Gi' } } });
    const r2 = kubectl(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], {
      input: JSON.stringify(resized),
      check: false,
    });
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/spec\.runtime\.storage.*immutable/s);
  });
});
