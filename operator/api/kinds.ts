/** Every Aurum kind, in the order the CRDs are generated and documented. */
import type { KindDefinition } from './common.ts';
import { investorAccessKind } from './investoraccess.ts';
import { networkPolicySpecKind } from './networkpolicyspec.ts';
import { tradingPlatformKind } from './tradingplatform.ts';

export const KINDS: readonly KindDefinition[] = [
  tradingPlatformKind,
  networkPolicySpecKind,
  investorAccessKind,
];
