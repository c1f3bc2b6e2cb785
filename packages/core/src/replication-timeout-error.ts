import { DirsyncError } from './errors.js';

/**
 * Fewer replicas than required confirmed a connection's writes in time (`WAIT`), or fewer are connected at all.
 * The writes did reach the primary, so the caller must not claim them durable: answer 503 with `Retry-After` and
 * let the sender retry (idempotency makes the retry safe).
 */
export class ReplicationTimeoutError extends DirsyncError {
  readonly required: number;
  readonly acknowledged: number;
  /** Replicas connected to the primary when the wait ended, when it could be read. */
  readonly connectedReplicas: number | undefined;

  constructor(
    required: number,
    acknowledged: number,
    timeoutMs: number,
    connectedReplicas: number | undefined = undefined,
  ) {
    const missing =
      connectedReplicas !== undefined && connectedReplicas < required
        ? ` (only ${connectedReplicas} connected)`
        : '';
    super(
      'replication_timeout',
      `${acknowledged} of the ${required} required Redis replicas confirmed the writes within ${timeoutMs} ms${missing}`,
      { retryable: true, details: { required, acknowledged, timeoutMs, connectedReplicas } },
    );
    this.required = required;
    this.acknowledged = acknowledged;
    this.connectedReplicas = connectedReplicas;
  }
}
