/**
 * The operator's own configuration (a JSON file, mounted from the ConfigMap `aurum-operator-config`):
 * resource profiles, the default runtime image, volume retention, timings. Parsed with zod; every field has a
 * default so an empty file `{}` is a working configuration.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ResourceRequirements } from './api/common.ts';
import { ERROR_CODES, TerminalError } from './kube/errors.ts';

/** Default path of the configuration file (env `AURUM_OPERATOR_CONFIG` overrides). */
export const OPERATOR_CONFIG_PATH = '/etc/aurum/operator.json';

/** Built-in profiles: all Burstable (requests < limits) so switching between them never changes QoS class,
 * which the in-place resize requires. */
export const DEFAULT_PROFILES = {
  small: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '192Mi' } },
  standard: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
  large: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '768Mi' } },
} as const;

export const OperatorConfigSchema = z.object({
  /** Runtime image when a TradingPlatform names none. Default `docker.io/aurum/runtime:0.1.0`. */
  defaultImage: z.string().min(1).default('docker.io/aurum/runtime:0.1.0'),
  /** Pull policy of runtime pods. Default IfNotPresent (no registry is reachable in the local cluster). */
  imagePullPolicy: z.enum(['IfNotPresent', 'Never', 'Always']).default('IfNotPresent'),
  /** Profile when a TradingPlatform names none. Default `standard`. */
  defaultProfile: z.string().default('standard'),
  /** Named sizes. Default {@link DEFAULT_PROFILES}. */
  profiles: z.record(z.string(), ResourceRequirements).default(DEFAULT_PROFILES),
  /** Journal volumes survive deletion of their TradingPlatform when true. Default false (deleted). */
  retainVolumesOnDelete: z.boolean().default(false),
  /** Container port of the runtime API/dashboard. Default 8080. */
  runtimePort: z.int().min(1).max(65535).default(8080),
  /** UID/GID the runtime runs as (non-root). Default 10001. */
  runtimeUser: z.int().min(1).default(10001),
  /** How often a missing Secret/ConfigMap is looked for again, seconds. Default 10. */
  dependencyRetrySeconds: z.int().min(1).default(10),
  /**
   * Command of the runtime container; default none (the image's entrypoint). Set it to run a stand-in
   * (e.g. `["node", "/app/operator/stub-runtime.ts"]` in the operator image) until the real runtime image exists.
   */
  runtimeCommand: z.array(z.string()).optional(),
  /** Investor-access settings, parsed by render/access-settings.ts (owned by the access work). Default none. */
  access: z.record(z.string(), z.unknown()).optional(),
  /** Extra labels on every child object. Default none. */
  extraLabels: z.record(z.string(), z.string()).default({}),
});
export type OperatorConfig = z.output<typeof OperatorConfigSchema>;

/** Parses a configuration object (defaults applied); throws a TerminalError naming the bad field. */
export function parseOperatorConfig(raw: unknown): OperatorConfig {
  const r = OperatorConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new TerminalError(
      ERROR_CODES.CONFIG_INVALID,
      'ConfigInvalid',
      `operator config: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  if (!r.data.profiles[r.data.defaultProfile]) {
    throw new TerminalError(
      ERROR_CODES.CONFIG_INVALID,
      'ConfigInvalid',
      `operator config: defaultProfile "${r.data.defaultProfile}" is not in profiles`,
    );
  }
  return r.data;
}

/** Reads and parses the configuration file; a missing file means all defaults. */
export function loadOperatorConfig(
  path = process.env.AURUM_OPERATOR_CONFIG ?? OPERATOR_CONFIG_PATH,
): OperatorConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return parseOperatorConfig({});
  }
  return parseOperatorConfig(JSON.parse(text));
}
