/**
 * TradingPlatform (`tp`): one automated trading platform for one investor account. The operator turns it into
 * the investor's own runtime pod (StatefulSet + journal volume + Service + rendered configuration).
 * See /work/shared/design/api.md for the promised shape.
 */
import { z } from 'zod';
import {
  AGE_COLUMN,
  type API_VERSION,
  Conditions,
  cel,
  dnsLabel,
  dnsSubdomain,
  immutable,
  type KindDefinition,
  localObjectRef,
  quantity,
  READY_COLUMN,
  ResourceRequirements,
} from './common.ts';

/** SHFE gold contract codes as the exchange writes them: `au` + yymm, e.g. `au2606`. */
export const INSTRUMENT = /^au[0-9]{2}(0[1-9]|1[0-2])$/;
const instrument = () =>
  z.string().max(6).regex(INSTRUMENT).describe('An SHFE gold contract code: `au` + yymm, e.g. `au2606`.');
const FIX_COMP_ID = /^[A-Za-z0-9_.-]+$/;

const RuntimeSpec = z
  .object({
    image: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe("Runtime container image. Default: the operator configuration's `defaultImage`."),
    profile: dnsLabel(
      "A named size (cpu/memory) from the operator configuration. Default: the configuration's `defaultProfile`.",
    ).optional(),
    allowedProfiles: z
      .array(dnsLabel('A profile name.'))
      .max(16)
      .optional()
      .describe('Profiles the investor may switch to by themselves. When set, `profile` must be one of them.')
      .meta({ 'x-kubernetes-list-type': 'set' }),
    resources: ResourceRequirements.optional().describe(
      'Explicit requests/limits; each quantity given here overrides the one from the profile.',
    ),
    storage: z
      .object({
        size: quantity('Size of the journal volume.').default('1Gi'),
        storageClassName: z
          .string()
          .max(253)
          .nullable()
          .optional()
          .describe("StorageClass of the journal volume; null or absent uses the cluster's default."),
      })
      .prefault({})
      .describe(
        'The persistent volume holding the runtime journal. Immutable (it is a volume claim template).',
      )
      .meta(immutable('runtime.storage')),
  })
  .prefault({})
  .describe('How the runtime pod runs.')
  .meta(
    cel({
      rule: '!has(self.profile) || !has(self.allowedProfiles) || size(self.allowedProfiles) == 0 || self.profile in self.allowedProfiles',
      message: 'profile must be one of allowedProfiles',
      fieldPath: '.profile',
      reason: 'FieldValueInvalid',
    }),
  );

const CounterSpec = z
  .object({
    protocol: z
      .enum(['fix44'])
      .default('fix44')
      .describe('Wire protocol of the counter. Only `fix44` (FIX 4.4) today.'),
    endpoints: z
      .array(
        z
          .object({
            host: dnsSubdomain('Host name or IPv4 address of the counter front.'),
            port: z.int().min(1).max(65535).describe('TCP port of the counter front.'),
          })
          .describe('One counter front.'),
      )
      .min(1)
      .max(8)
      .describe('Counter fronts in order of preference; several give failover.'),
    senderCompId: z
      .string()
      .min(1)
      .max(64)
      .regex(FIX_COMP_ID)
      .describe('FIX SenderCompID (tag 49) of this account.'),
    targetCompId: z
      .string()
      .min(1)
      .max(64)
      .regex(FIX_COMP_ID)
      .describe('FIX TargetCompID (tag 56) of the counter.'),
    accountId: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9_-]+$/)
      .describe('Account at the broker (FIX tag 1).'),
    heartbeatSeconds: z.int().min(5).max(300).default(30).describe('FIX HeartBtInt (tag 108) in seconds.'),
    credentialsSecretRef: localObjectRef(
      'Secret with key `password` (and for CTP-style counters `appId`, `authCode`).',
    ),
  })
  .describe("The broker's futures counter this account trades through.");

const MarketDataSpec = z
  .object({
    instruments: z
      .array(instrument())
      .min(1)
      .max(32)
      .describe('Contracts to subscribe to.')
      .meta({ 'x-kubernetes-list-type': 'set' }),
  })
  .describe('Market data subscriptions.');

const StrategySpec = z
  .object({
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[a-z][a-z0-9-]{0,62}$/)
      .describe('Unique name of this strategy instance (lower case, starts with a letter).'),
    source: z
      .object({
        configMapRef: z
          .object({
            name: dnsSubdomain('ConfigMap holding the strategy code.'),
            key: z
              .string()
              .min(1)
              .max(253)
              .regex(/^[-._a-zA-Z0-9]+$/)
              .describe('Key of the ConfigMap entry, e.g. `strategy.js`.'),
          })
          .describe('A ConfigMap entry in the same namespace.'),
      })
      .describe('Where the strategy code comes from.'),
    instruments: z
      .array(instrument())
      .min(1)
      .max(32)
      .describe('Contracts this strategy trades; each must be in marketData.instruments.')
      .meta({ 'x-kubernetes-list-type': 'set' }),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Free-form parameters handed to the strategy.')
      .meta({ 'x-kubernetes-preserve-unknown-fields': true }),
    enabled: z.boolean().default(true).describe('false loads the strategy but never lets it trade.'),
  })
  .describe('One strategy instance.');

const RiskSpec = z
  .object({
    maxOrderLots: z.int().min(1).max(1000).default(5).describe('Largest quantity of one order, in lots.'),
    maxPositionLots: z
      .int()
      .min(1)
      .max(100000)
      .default(20)
      .describe('Largest net position per contract, in lots.'),
    maxOrdersPerSecond: z.int().min(1).max(100).default(5).describe('Order + cancel rate limit per second.'),
    maxCancelsPerDay: z
      .int()
      .min(1)
      .max(499)
      .default(400)
      .describe('Cancels per contract per trading day; SHFE treats 500 or more as abnormal trading.'),
    priceBandTicks: z
      .int()
      .min(1)
      .max(100000)
      .default(100)
      .describe('Reject limit prices more than this many ticks away from the last trade.'),
    maxDailyLoss: z
      .int()
      .min(1)
      .max(1_000_000_000_000)
      .default(50000)
      .describe('CNY (integer yuan); beyond this loss in a trading day the runtime stops opening positions.'),
    tradingHours: z
      .enum(['exchange', 'always'])
      .default('exchange')
      .describe(
        'exchange: refuse orders outside SHFE sessions (the default, as a real counter would). always: accept them at any hour, for a counter simulator that keeps its market open (demos, tests, paper trading).',
      ),
  })
  .prefault({})
  .describe('Limits the runtime enforces before any order leaves the pod.')
  .meta(
    cel({
      // has() guards: the API server also evaluates rules on the schema default `{}` (before inner defaults).
      rule: '!has(self.maxOrderLots) || !has(self.maxPositionLots) || self.maxOrderLots <= self.maxPositionLots',
      message: 'maxOrderLots must not exceed maxPositionLots',
      fieldPath: '.maxOrderLots',
      reason: 'FieldValueInvalid',
    }),
  );

/** `spec` of a TradingPlatform. */
export const TradingPlatformSpec = z
  .object({
    investor: dnsLabel('The investor this platform belongs to. Immutable.').meta(immutable('investor')),
    paused: z
      .boolean()
      .default(false)
      .describe('true stops the runtime (0 replicas) and keeps its state volume.'),
    runtime: RuntimeSpec,
    counter: CounterSpec,
    marketData: MarketDataSpec,
    strategies: z
      .array(StrategySpec)
      .max(16)
      .default([])
      .describe('Strategies the runtime loads.')
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
    risk: RiskSpec,
  })
  .describe('Desired state of the platform.')
  .meta(
    cel({
      rule: '!has(self.strategies) || self.strategies.all(s, s.instruments.all(i, i in self.marketData.instruments))',
      message: 'every strategy instrument must be listed in marketData.instruments',
      fieldPath: '.strategies',
      reason: 'FieldValueInvalid',
    }),
  );
export type TradingPlatformSpec = z.output<typeof TradingPlatformSpec>;
/** The spec as a user may write it (defaults not yet applied). */
export type TradingPlatformSpecInput = z.input<typeof TradingPlatformSpec>;

/** Lifecycle phases shown in `kubectl get tp`. */
export const PHASES = ['Pending', 'Provisioning', 'Ready', 'Degraded', 'Paused', 'Failed'] as const;
export type Phase = (typeof PHASES)[number];

/** `status` of a TradingPlatform; written only by the operator through the status subresource. */
export const TradingPlatformStatus = z
  .object({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation last reconciled.'),
    phase: z.enum(PHASES).optional().describe('Summary of the conditions.'),
    conditions: Conditions.optional(),
    runtime: z
      .object({
        pod: z.string().max(253).optional().describe('Name of the runtime pod.'),
        podUID: z
          .string()
          .max(64)
          .optional()
          .describe('UID of the runtime pod (changes when it is recreated).'),
        image: z.string().max(512).optional().describe('Image the runtime runs.'),
        profile: z.string().max(63).optional().describe('Profile in effect.'),
        resources: ResourceRequirements.optional().describe('Resources in effect on the running container.'),
        resizeMethod: z
          .enum(['InPlace', 'RollingRestart'])
          .optional()
          .describe('How the last change of resources was applied.'),
      })
      .optional()
      .describe('The observed runtime.'),
    endpoint: z
      .object({
        wireguard: z.string().max(256).optional().describe('Where investors point their WireGuard client.'),
        api: z.string().max(256).optional().describe('Runtime API address inside the tunnel.'),
      })
      .optional()
      .describe('How investors reach the platform.'),
  })
  .describe('Observed state of the platform.');
export type TradingPlatformStatus = z.infer<typeof TradingPlatformStatus>;

/** A TradingPlatform object as read from the API server (spec with defaults applied). */
export interface TradingPlatform {
  apiVersion: typeof API_VERSION;
  kind: 'TradingPlatform';
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    finalizers?: string[];
  };
  spec: TradingPlatformSpec;
  status?: TradingPlatformStatus;
}

/** Longest TradingPlatform name: children are `<name>-runtime` and the pod's revision label must fit 63. */
export const MAX_NAME_LENGTH = 40;

export const tradingPlatformKind: KindDefinition = {
  kind: 'TradingPlatform',
  plural: 'tradingplatforms',
  singular: 'tradingplatform',
  shortNames: ['tp'],
  description:
    "One automated gold-futures trading platform for one investor account: the operator runs it as the investor's own runtime pod.",
  spec: TradingPlatformSpec,
  status: TradingPlatformStatus,
  printerColumns: [
    { name: 'Investor', type: 'string', jsonPath: '.spec.investor' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    READY_COLUMN,
    { name: 'Profile', type: 'string', jsonPath: '.status.runtime.profile' },
    { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused', priority: 1 },
    { name: 'Pod', type: 'string', jsonPath: '.status.runtime.pod', priority: 1 },
    AGE_COLUMN,
  ],
  rootRules: [
    {
      rule: `size(self.metadata.name) <= ${MAX_NAME_LENGTH}`,
      message: `metadata.name must be at most ${MAX_NAME_LENGTH} characters (children are named after it)`,
    },
  ],
};
