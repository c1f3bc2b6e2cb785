import { createHash } from 'node:crypto';

/**
 * A BullMQ-safe id derived from any key: job ids may not contain `:` nor be integers, and idempotency keys come
 * from outside, so they are hashed rather than passed through.
 */
export function deriveId(kind: string, key: string): string {
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** The idempotency key of one event: its `id`, else the delivery's `webhook-id` (with `#index` in a batch). */
export function idempotencyKey(options: {
  eventId: string | undefined;
  webhookId: string | undefined;
  index: number;
  batch: boolean;
  /** Fallback when neither id exists (unsigned local use): a hash of the event itself. */
  contentHash: () => string;
}): string {
  if (options.eventId) return options.eventId;
  if (options.webhookId) return options.batch ? `${options.webhookId}#${options.index}` : options.webhookId;
  return `sha256:${options.contentHash()}`;
}

/** A stable hash of a JSON value (keys sorted), for content-derived keys. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
