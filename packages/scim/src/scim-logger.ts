/** The slice of a winston logger the SCIM client uses; `@dirsync/core`'s `createLogger()` fits. */
export interface ScimLogger {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

/** Logs nothing. */
export const silentLogger: ScimLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
