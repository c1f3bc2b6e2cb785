import { DirsyncError } from '@dirsync/core';

/** The target kept answering "version conflict" after every re-read; another attempt later may succeed. */
export class ConflictExhaustedError extends DirsyncError {
  constructor(resends: number, cause: unknown) {
    super(
      'conflict_exhausted',
      `the target reported a version conflict after ${resends} re-reads and re-sends; someone else keeps editing this user — retried later`,
      { cause, retryable: true },
    );
  }
}

/** The userName belongs to another person in the target (another externalId): adopting it would merge two people. */
export class UserNameTakenError extends DirsyncError {
  constructor(detail: string) {
    super('username_taken', detail, { retryable: false });
  }
}

/** The sync was interrupted (shutdown); the person stays pending and is synced by the next run. */
export class SyncInterruptedError extends DirsyncError {
  constructor(cause?: unknown) {
    super('interrupted', 'the sync was interrupted before it finished; it will run again', {
      cause,
      retryable: true,
    });
  }
}
