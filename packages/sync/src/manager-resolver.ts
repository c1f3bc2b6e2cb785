import type { Logger } from '@dirsync/core';
import type { Discrepancy } from '@dirsync/reports';
import { ENTERPRISE_USER_SCHEMA, type ScimUser } from '@dirsync/scim';
import type { ManagerWaitClock } from './manager-wait.js';
import type { NoteLedger } from './note-ledger.js';
import type { ManagerWaitlist, PersonReader, ScimTarget, TargetCachePort } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';

export interface ManagerResolverOptions {
  target: ScimTarget;
  cache: TargetCachePort;
  people: PersonReader;
  waitlist: ManagerWaitlist;
  /** What the cache keeps of a user (owned attributes and managed roles). */
  project: (user: ScimUser) => ScimUser;
  notes: NoteLedger;
  managerWaits: ManagerWaitClock;
  now: () => number;
  logger?: Logger;
}

const MANAGER_PATH = `${ENTERPRISE_USER_SCHEMA}:manager`;

/**
 * Replaces the mapping's `manager: { externalId }` by the manager's SCIM id. A manager not in the target yet is
 * left unset and the person waits for them; the manager's own sync then asks for this person again.
 */
export class ManagerResolver {
  private readonly options: ManagerResolverOptions;

  constructor(options: ManagerResolverOptions) {
    this.options = options;
  }

  /** Resolves in place; returns the once-only notes it has for this person (a self-reference). */
  async resolve(desired: ScimUser, externalId: string, caller: TargetCaller): Promise<Discrepancy[]> {
    const ext = desired[ENTERPRISE_USER_SCHEMA];
    if (!ext?.manager) return [];
    const managerExternalId = ext.manager.externalId;
    if (!managerExternalId) {
      if (!ext.manager.value) delete ext.manager;
      return [];
    }
    // HR exports often make the CEO their own manager; Genesys refuses that, so it means "no manager".
    if (managerExternalId === externalId) {
      delete ext.manager;
      return this.noteSelfReference(externalId, caller);
    }
    const { waitlist, managerWaits } = this.options;
    // Wait first, then look: a manager created between the two still finds this person on the list.
    await waitlist.waitForManager(externalId, managerExternalId);
    const managerId = await this.findManager(managerExternalId, caller);
    if (managerId) {
      await waitlist.stopWaitingForManager(externalId, managerExternalId);
      await managerWaits.stop(externalId);
      if (managerId === (await this.options.cache.get(externalId))?.scimId) {
        delete ext.manager;
        return this.noteSelfReference(externalId, caller);
      }
      ext.manager = { value: managerId };
      return [];
    }
    delete ext.manager;
    await managerWaits.waiting(externalId, managerExternalId, this.options.now());
    this.options.logger?.debug('manager not in the target yet; left unset until it is synced', {
      externalId,
      managerExternalId,
    });
    return [];
  }

  private async noteSelfReference(externalId: string, caller: TargetCaller): Promise<Discrepancy[]> {
    if (!(await this.options.notes.first(externalId, 'self-manager'))) return [];
    return [
      {
        externalId,
        correlationId: caller.context.correlationId ?? '',
        type: 'attribute_refused',
        field: MANAGER_PATH,
        hrField: 'managerExternalId',
        detail: 'self-reference: no manager (the person is named as their own manager; Genesys refuses that)',
      },
    ];
  }

  /** The manager's SCIM id: from the cache, else a lookup unless they are about to be synced or known missing. */
  private async findManager(managerExternalId: string, caller: TargetCaller): Promise<string | undefined> {
    const { cache, people, target } = this.options;
    const cachedId = (await cache.get(managerExternalId))?.scimId;
    if (cachedId) return cachedId;
    const managerState = await people.get(managerExternalId);
    const managerPending = managerState !== undefined && managerState.rev > managerState.appliedRev;
    if (managerPending || (await cache.isKnownMissing(managerExternalId))) return undefined;
    const found = await caller.call(() => target.findByExternalId(managerExternalId, caller.context));
    if (!found?.id) {
      await cache.markMissing(managerExternalId);
      return undefined;
    }
    await cache.set(managerExternalId, {
      scimId: found.id,
      version: found.meta?.version,
      user: this.options.project(found),
      syncedAt: Date.now(),
    });
    return found.id;
  }
}
