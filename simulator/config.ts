/**
 * Configuration of the deployable simulator: a YAML/JSON file (`SIM_CONFIG`) overlaid by environment
 * variables, validated with zod. Every field has a default so `npm run simulator` works bare.
 *
 * Env: SIM_CONFIG, SIM_COMP_ID, SIM_FIX_PORT, SIM_ADMIN_PORT, SIM_DATA_DIR, SIM_SEED, SIM_CLOCK_MODE,
 * SIM_CLOCK_START (ISO), SIM_CLOCK_RATE, SIM_ALWAYS_OPEN (true/false), SIM_ADMIN_TOKEN,
 * SIM_REPLAY_CSV (tick file), SIM_ACCOUNTS (JSON list like the file's `accounts`), SIM_PASSWORD_<ACCOUNTID> (a seeded account's password).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const account = z.object({
  /** Account id = Logon Username (553) = Account (1). */
  id: z.string().min(1),
  /** SenderCompID the account must log on with ('' = any). */
  compId: z.string().default(''),
  /** Initial password (hashed at once; may come from SIM_PASSWORD_<ID>). */
  password: z.string().optional(),
  /** Initial deposit in CNY (decimal string or number). Default 1,000,000. */
  fundCny: z.union([z.string(), z.number()]).default('1000000'),
});

export const SimulatorConfigSchema = z.object({
  /** Our CompID. Default COUNTER. */
  compId: z.string().default('COUNTER'),
  fix: z
    .object({
      host: z.string().default('0.0.0.0'),
      port: z.number().int().default(9878),
      heartBtInt: z.number().int().default(30),
      /** Persist FIX sequence numbers and sent messages (file store). Default true; false only for load tests. */
      persistSession: z.boolean().default(true),
    })
    .default({ host: '0.0.0.0', port: 9878, heartBtInt: 30, persistSession: true }),
  admin: z
    .object({
      host: z.string().default('0.0.0.0'),
      port: z.number().int().default(8081),
      token: z.string().optional(),
    })
    .default({ host: '0.0.0.0', port: 8081 }),
  /** Writable directory for sqlite + FIX session store. Default ./.tmp/simulator. */
  dataDir: z.string().default('.tmp/simulator'),
  /** Liquidity model seed. Default 1. */
  seed: z.number().int().default(1),
  clock: z
    .object({
      mode: z.enum(['real', 'accelerated', 'fixed']).default('real'),
      start: z.string().optional(),
      rate: z.number().positive().default(60),
    })
    .default({ mode: 'real', rate: 60 }),
  market: z
    .object({
      /** Accept and match orders at any hour (demos, e2e at 3 a.m.); session rules otherwise. Default true. */
      alwaysOpen: z.boolean().default(true),
      holidays: z.array(z.string()).default([]),
      /** Starting settlement price in CNY/g for the nearest contract. Default 612.00. */
      initialSettlementCny: z.union([z.string(), z.number()]).default('612.00'),
      spec: z
        .object({
          limitBps: z.number().int().optional(),
          marginBps: z.number().int().optional(),
          fees: z
            .object({
              openFen: z.number().int().optional(),
              closeTodayFen: z.number().int().optional(),
              closeYesterdayFen: z.number().int().optional(),
            })
            .optional(),
        })
        .default({}),
    })
    .default({ alwaysOpen: true, holidays: [], initialSettlementCny: '612.00', spec: {} }),
  liquidity: z
    .object({
      enabled: z.boolean().default(true),
      intervalMs: z.number().int().positive().default(500),
      /** CSV tick file (time,symbol,price) replayed as the fair price; see market/replay.ts. */
      replayCsv: z.string().optional(),
    })
    .default({ enabled: true, intervalMs: 500 }),
  accounts: z.array(account).default([]),
});

/** Validated configuration. */
export type SimulatorConfig = z.infer<typeof SimulatorConfigSchema>;
/** Input shape (defaults optional). */
export type SimulatorConfigInput = z.input<typeof SimulatorConfigSchema>;

/** Loads the file named by SIM_CONFIG (if any) and applies env overrides. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const raw: Record<string, any> = env.SIM_CONFIG
    ? (parseYaml(readFileSync(env.SIM_CONFIG, 'utf8')) ?? {})
    : {};
  const set = (path: string[], v: unknown) => {
    let o = raw;
    for (const k of path.slice(0, -1)) o = o[k] ??= {};
    o[path[path.length - 1]!] = v;
  };
  if (env.SIM_COMP_ID) set(['compId'], env.SIM_COMP_ID);
  if (env.SIM_FIX_PORT) set(['fix', 'port'], Number(env.SIM_FIX_PORT));
  if (env.SIM_ADMIN_PORT) set(['admin', 'port'], Number(env.SIM_ADMIN_PORT));
  if (env.SIM_ADMIN_TOKEN) set(['admin', 'token'], env.SIM_ADMIN_TOKEN);
  if (env.SIM_DATA_DIR) set(['dataDir'], env.SIM_DATA_DIR);
  if (env.SIM_SEED) set(['seed'], Number(env.SIM_SEED));
  if (env.SIM_CLOCK_MODE) set(['clock', 'mode'], env.SIM_CLOCK_MODE);
  if (env.SIM_CLOCK_START) set(['clock', 'start'], env.SIM_CLOCK_START);
  if (env.SIM_CLOCK_RATE) set(['clock', 'rate'], Number(env.SIM_CLOCK_RATE));
  if (env.SIM_ALWAYS_OPEN) set(['market', 'alwaysOpen'], env.SIM_ALWAYS_OPEN === 'true');
  if (env.SIM_REPLAY_CSV) set(['liquidity', 'replayCsv'], env.SIM_REPLAY_CSV);
  if (env.SIM_ACCOUNTS) set(['accounts'], JSON.parse(env.SIM_ACCOUNTS));
  const cfg = SimulatorConfigSchema.parse(raw);
  for (const a of cfg.accounts) {
    const pw = env[`SIM_PASSWORD_${a.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
    if (pw) a.password = pw;
  }
  return cfg;
}
