import { type PatchOperation, ScimError, type ScimUser } from '@dirsync/scim';
import { RenameBlockedError, UserNameHeldError } from './rename-errors.js';
import { UserNameTakenError } from './sync-errors.js';
import type { PersonReader, ScimTarget, SyncMapping } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';

/** Who holds a contested userName. */
export type UserNameHolder =
  | { kind: 'free' }
  /** A person dirsync manages whose newest HR state wants another userName: they are moving away. */
  | { kind: 'moving'; externalId: string }
  /** Someone who keeps it: `label` names them for the report (never the address). */
  | { kind: 'kept'; label: string };

/** A `409 uniqueness` on a create or a rename, or the error itself when it is something else. */
export function isUserNameConflict(error: unknown): boolean {
  return error instanceof UserNameHeldError || (error instanceof ScimError && error.kind === 'uniqueness');
}

/**
 * Decides what a taken userName means: a holder dirsync is renaming away from it (wait for that rename), or one
 * who keeps it (a failure that names them).
 */
export class RenameCoordinator {
  private readonly options: { target: ScimTarget; people: PersonReader; mapping: SyncMapping };

  constructor(options: { target: ScimTarget; people: PersonReader; mapping: SyncMapping }) {
    this.options = options;
  }

  /**
   * After a write failed: a taken userName held by someone moving away becomes a wait for their rename, one held
   * by someone who keeps it a failure naming them; freed meanwhile, the write is tried once more.
   */
  async afterConflict<T>(
    error: unknown,
    desired: ScimUser,
    caller: TargetCaller,
    retry: () => Promise<T>,
  ): Promise<T> {
    const { userName, externalId } = desired;
    if (typeof userName !== 'string' || !userName || !isUserNameConflict(error)) throw error;
    const holder = await this.holderOf(userName, error, String(externalId ?? ''), caller);
    if (holder.kind === 'free') return retry();
    throw this.takenError(holder);
  }

  /** Who holds `userName` (one lookup, unless the create's 409 already named the holder). */
  async holderOf(
    userName: string,
    error: unknown,
    externalId: string,
    caller: TargetCaller,
  ): Promise<UserNameHolder> {
    const holder =
      error instanceof UserNameHeldError
        ? error.holder
        : await caller.call(() => this.options.target.findByUserName(userName, caller.context));
    if (!holder || holder.externalId === externalId) return { kind: 'free' };
    return this.judge(holder, userName);
  }

  /** The error for a holder who is not moving: it names them. */
  takenError(holder: Exclude<UserNameHolder, { kind: 'free' }>): Error {
    if (holder.kind === 'moving') return new RenameBlockedError(holder.externalId);
    return new UserNameTakenError(
      `userName is held in the target by ${holder.label}, who keeps it; change this person's HR e-mail or that user, then retry`,
    );
  }

  private async judge(holder: ScimUser, userName: string): Promise<UserNameHolder> {
    const holderId = typeof holder.externalId === 'string' ? holder.externalId : '';
    if (!holderId) return { kind: 'kept', label: `a user not managed by dirsync (id ${holder.id})` };
    const state = await this.options.people.get(holderId);
    if (!state) return { kind: 'kept', label: `externalId "${holderId}" (not managed by dirsync)` };
    const wanted = state.active ? (await this.options.mapping.evaluate(state.data))?.userName : undefined;
    if (typeof wanted === 'string' && wanted.toLowerCase() !== userName.toLowerCase()) {
      return { kind: 'moving', externalId: holderId };
    }
    return { kind: 'kept', label: `externalId "${holderId}"` };
  }
}

/**
 * A unique stand-in userName for a person who steps aside in a cycle of renames (`a+dirsync-1a2b3c4d@x.com`), so
 * the others can take their address; their own rename follows.
 */
export function parkingUserName(userName: string, scimId: string): string {
  const short = scimId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'parked';
  const at = userName.lastIndexOf('@');
  if (at <= 0) return `${userName}+dirsync-${short}`;
  const local = userName.slice(0, at).replace(/\+dirsync-[A-Za-z0-9]+$/, '');
  return `${local}+dirsync-${short}${userName.slice(at)}`;
}

/** The PATCH that parks `current` on its temporary userName (none when it is parked already). */
export function parkOps(current: ScimUser, scimId: string): PatchOperation[] {
  const userName = String(current.userName ?? '');
  const parked = parkingUserName(userName, scimId);
  return userName.toLowerCase() === parked.toLowerCase()
    ? []
    : [{ op: 'replace', path: 'userName', value: parked }];
}
