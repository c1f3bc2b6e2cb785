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
