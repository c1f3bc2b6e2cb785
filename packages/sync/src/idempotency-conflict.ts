/** An idempotency key met again with other content: the batch is refused (409) and nothing of it is stored. */
export class IdempotencyConflictError extends Error {
  constructor(
    /** The idempotency key as the sender gave it (event id, or webhook-id#index). */
    readonly idempotencyKey: string,
    readonly externalId: string,
    /** 0-based position of the event in its batch. */
    readonly index: number,
  ) {
    super(`idempotency key "${idempotencyKey}" was already used for different content`);
    this.name = 'IdempotencyConflictError';
  }
}

/** The ingest script's "IDEMPOTENCY_CONFLICT <event number>" error reply as the event it names. */
export function toConflict(
  error: unknown,
  events: ReadonlyArray<{ idempotencyKey: string; data: { externalId: string } }>,
): IdempotencyConflictError | undefined {
  const match = error instanceof Error ? /IDEMPOTENCY_CONFLICT (\d+)/.exec(error.message) : null;
  const event = match ? events[Number(match[1]) - 1] : undefined;
  if (!event) return undefined;
  return new IdempotencyConflictError(event.idempotencyKey, event.data.externalId, Number(match?.[1]) - 1);
}
