import { DirsyncError } from '@dirsync/core';
import type { ScimUser } from '@dirsync/scim';
import { UserNameTakenError } from './sync-errors.js';

/**
 * The userName this person needs is held by another person whom dirsync is itself renaming away from it: the
 * write is tried again after that rename (the batch orders them; a later attempt otherwise).
 */
export class RenameBlockedError extends DirsyncError {
  /** Undefined after this person stepped aside to a temporary userName (the holder is known to the caller). */
  readonly holderExternalId: string | undefined;

  constructor(holderExternalId: string | undefined) {
    super(
      'rename_blocked',
      holderExternalId === undefined
        ? 'stepped aside to a temporary userName so a cycle of renames can go round; the rename follows'
        : `the new userName is still held by "${holderExternalId}", whom dirsync is renaming too; tried again after that rename`,
      { retryable: true },
    );
    this.holderExternalId = holderExternalId;
  }
}

/** A create met a userName held by a user of another externalId: whether it may still converge is decided later. */
export class UserNameHeldError extends UserNameTakenError {
  readonly holder: ScimUser;

  constructor(holder: ScimUser) {
    super(
      `userName is taken by another person in the target (externalId "${holder.externalId}", id ${holder.id})`,
    );
    this.holder = holder;
  }
}
