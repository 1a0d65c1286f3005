/** A valid TradingPlatform for render and reconciler tests (defaults applied through the zod schema). */
import { API_VERSION } from '../api/common.ts';
import {
  type TradingPlatform,
  TradingPlatformSpec,
  type TradingPlatformSpecInput,
} from '../api/tradingplatform.ts';

export function samplePlatform(
  overrides: Partial<TradingPlatformSpecInput> = {},
  name = 'alice',
): TradingPlatform {
  return {
    apiVersion: API_VERSION,
    kind: 'TradingPlatform',
    metadata: { name, namespace: 'investors', uid: 'uid-1', generation: 1 },
    spec: TradingPlatformSpec.parse({
      investor: name,
      runtime: { profile: 'standard', allowedProfiles: ['standard', 'large'] },
      counter: {
        endpoints: [{ host: 'counter.aurum-system.svc', port: 9878 }],
        senderCompId: 'ALICE',
        targetCompId: 'COUNTER',
        accountId: '80001234',
        credentialsSecretRef: { name: `${name}-counter` },
      },
      marketData: { instruments: ['au2606', 'au2608'] },
      strategies: [
        {
          name: 'trend',
          source: { configMapRef: { name: 'ema-cross', key: 'strategy.js' } },
          instruments: ['au2606'],
          params: { fast: 12, slow: 26 },
        },
      ],
      ...overrides,
    }),
  };
}
