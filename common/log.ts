/**
 * Structured JSON logging for every Aurum program. Secrets are redacted by key name wherever they occur,
 * so a careless `log.info({ config })` cannot leak a password or a private key.
 */
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

/** Keys whose values never reach a log line. */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'newPassword',
  'privateKey',
  'secret',
  'token',
  'authorization',
  'authCode',
  'cookie',
  'Password',
  'RawData',
] as const;

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k.toLowerCase()}`]);

/**
 * Creates a logger for one program.
 * @param name the program, e.g. `operator`, `runtime`, `simulator`
 * @param options pino options merged over the defaults (level from `LOG_LEVEL`, default `info`)
 * @param destination where lines go (default: stdout)
 */
export function createLogger(
  name: string,
  options: LoggerOptions = {},
  destination?: DestinationStream,
): Logger {
  const opts: LoggerOptions = {
    name,
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  };
  return destination ? pino(opts, destination) : pino(opts);
}

export type { Logger };
