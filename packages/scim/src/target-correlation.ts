/** Answer headers naming the target's own id for a request: Genesys's first, then the generic one. */
const CORRELATION_HEADERS = ['inin-correlation-id', 'x-correlation-id'] as const;

/** What a correlation id may look like (UUIDs and similar tokens); anything else is not kept, nor logged. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The target's correlation id for one answer (`ININ-Correlation-Id` on Genesys Cloud, `X-Correlation-Id` from a
 * generic provider): the id its support asks for. `headers` has lower-case names. Undefined when there is none or
 * it does not look like an id.
 */
export function readTargetCorrelationId(headers: Readonly<Record<string, unknown>>): string | undefined {
  for (const name of CORRELATION_HEADERS) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw) as unknown;
    if (typeof value !== 'string') continue;
    const id = value.trim();
    if (CORRELATION_ID.test(id)) return id;
  }
  return undefined;
}
