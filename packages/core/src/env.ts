import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './errors.js';

export type Env = Record<string, string | undefined>;

/**
 * A `z.preprocess` step for environment variables: a blank value counts as unset (shells and compose files often
 * leave `FOO=`), any other string is trimmed.
 */
export function unsetIfEmpty(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An integer variable within bounds. */
export function envInt(options: { default: number; min?: number; max?: number }): z.ZodType<number, unknown>;
export function envInt(options?: { min?: number; max?: number }): z.ZodType<number | undefined, unknown>;
export function envInt(
  options: { default?: number; min?: number; max?: number } = {},
): z.ZodType<number | undefined, unknown> {
  let schema = z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' });
  if (options.min !== undefined)
    schema = schema.min(options.min, { error: `must be at least ${options.min}` });
  if (options.max !== undefined)
    schema = schema.max(options.max, { error: `must be at most ${options.max}` });
  const base = options.default === undefined ? schema.optional() : schema.default(options.default);
  return z.preprocess(unsetIfEmpty, base);
}

/** A TCP port; 0 where `allowZero` means "turned off". */
export function envPort(
  defaultPort: number,
  options: { allowZero?: boolean } = {},
): z.ZodType<number, unknown> {
  return envInt({ default: defaultPort, min: options.allowZero ? 0 : 1, max: 65535 });
}

/** Whether `value` parses as a URL with one of `protocols` (e.g. `['http:', 'https:']`). */
function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** An absolute http(s) URL, trailing slash removed. */
export function envHttpUrl(defaultUrl: string): z.ZodType<string, unknown>;
export function envHttpUrl(): z.ZodType<string | undefined, unknown>;
export function envHttpUrl(defaultUrl?: string): z.ZodType<string | undefined, unknown> {
  const schema = z
    .string()
    .trim()
    .refine((v) => hasProtocol(v, ['http:', 'https:']), {
      error: 'must be an absolute http:// or https:// URL',
    })
    .transform((v) => v.replace(/\/+$/, ''));
  return z.preprocess(
    unsetIfEmpty,
    defaultUrl === undefined ? schema.optional() : schema.default(defaultUrl),
  );
}

/** A redis:// or rediss:// URL; optional when no default is given. */
export function envRedisUrl(defaultUrl: string): z.ZodType<string, unknown>;
export function envRedisUrl(): z.ZodType<string | undefined, unknown>;
export function envRedisUrl(defaultUrl?: string): z.ZodType<string | undefined, unknown> {
  const schema = z
    .string()
    .trim()
    .refine((v) => hasProtocol(v, ['redis:', 'rediss:']), {
      error: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
    });
  return z.preprocess(
    unsetIfEmpty,
    defaultUrl === undefined ? schema.optional() : schema.default(defaultUrl),
  );
}

/** A non-empty string, optional unless a default is given. */
export function envString(defaultValue: string): z.ZodType<string, unknown>;
export function envString(): z.ZodType<string | undefined, unknown>;
export function envString(defaultValue?: string): z.ZodType<string | undefined, unknown> {
  const schema = z.string().trim().min(1);
  return z.preprocess(
    unsetIfEmpty,
    defaultValue === undefined ? schema.optional() : schema.default(defaultValue),
  );
}

/** `1`, `true`, `yes`, `on` are true; `0`, `false`, `no`, `off` are false. */
export function envFlag(defaultValue = false) {
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => ['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'].includes(v), {
        error: 'must be 1/0, true/false, yes/no or on/off',
      })
      .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
      .default(defaultValue),
  );
}

/** A comma-separated list; blanks dropped. */
export function envList() {
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
  );
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;

export function envLogLevel() {
  return z.preprocess(
    (v) => (typeof unsetIfEmpty(v) === 'string' ? String(v).trim().toLowerCase() : undefined),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  );
}

/**
 * Parses `env` with `schema` once, at start-up. Every bad variable is reported together, by name and reason,
 * never by value (values may be secrets).
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : '(environment)';
    const key = `${variable}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ variable, problem: issue.message });
  }
  throw new ConfigError(problems);
}
