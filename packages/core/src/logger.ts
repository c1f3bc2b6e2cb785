import winston from 'winston';
import { isSensitiveKey, REDACTED, redact, redactString } from './redact.js';

export type Logger = winston.Logger;

export interface LoggerOptions {
  /** winston level: error, warn, info, http, verbose, debug, silly. */
  level?: string;
  /** Static fields on every line, e.g. `{ service: 'worker' }`. */
  defaultMeta?: Record<string, unknown>;
  /** Where lines go; stdout by default. Tests pass a stream to capture lines. */
  stream?: NodeJS.WritableStream;
}

const SPLAT = Symbol.for('splat');

/** Masks secrets and personal data in every field of a log entry, including nested errors. */
const redactionFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'timestamp') continue;
    const value = info[key];
    if (key === 'message') info[key] = typeof value === 'string' ? redactString(value) : redact(value);
    else info[key] = isSensitiveKey(key) ? REDACTED : redact(value);
  }
  delete (info as Record<string | symbol, unknown>)[SPLAT];
  return info;
});

/** Lifts an `err` / `error` field that is an Error into plain fields before redaction. */
const errorsFormat = winston.format((info) => {
  for (const key of ['err', 'error'] as const) {
    const value = info[key];
    if (value instanceof Error) info[key] = redact(value);
  }
  return info;
});

/**
 * A winston logger writing JSON lines, with tokens, secrets, signatures and personal fields redacted.
 * Child loggers (`logger.child({ jobId, externalId })`) carry context for one job or request.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const levels = winston.config.npm.levels;
  const threshold = levels[level] ?? levels.info ?? 2;
  // winston runs the logger's formats before its transports filter by level: drop quiet entries first, so a
  // debug line costs nothing (no redaction walk, no JSON) when it will not be written.
  const levelGate = winston.format((info) => ((levels[info.level] ?? 0) <= threshold ? info : false));
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level,
    defaultMeta: options.defaultMeta,
    format: winston.format.combine(
      levelGate(),
      errorsFormat(),
      redactionFormat(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [transport],
  });
}
