import type { Discrepancy } from '@dirsync/reports';
import {
  compareUser,
  type DiffOptions,
  diffUser,
  type OwnedPath,
  type PatchOperation,
  parseOwnedPath,
  projectOwned,
  type ScimUser,
} from '@dirsync/scim';
import type { PermissionGate } from './permission-gate.js';
import { cleanDesiredUser, DIVISION_FIELD } from './phone-cleaning.js';
import type { RefusalMemory, RememberedRefusal } from './refusal-store.js';
import { hashValue, type RefusedField } from './refused-attributes.js';
import { GENESYS_USER_URN } from './routing-skills.js';
import { fieldsTheTargetNormalised, type TargetBaseline } from './target-baseline.js';

/** How a syncer treats what the target refuses (part of `PersonSyncerOptions`). */
export interface RefusalOptions {
  /** Values the target refused, per person (absent: remembered nowhere, found again each time). */
  refusals?: RefusalMemory;
  /** `DEFAULT_PHONE_REGION`: how to read phone numbers without a country code. */
  phoneRegion?: string | undefined;
  /** The HR field that alone feeds a SCIM path, for `attribute_refused` reports. */
  hrFieldOf?: ((field: string) => string | undefined) | undefined;
  /** Decides whether 403s on writes for several people quarantine the sync (absent: never). */
  permissions?: PermissionGate;
}

export interface AttributeGuardOptions {
  owned: readonly string[];
  managedRoles: ReadonlySet<string>;
  refusals: RefusalMemory;
  /** `DEFAULT_PHONE_REGION`. */
  phoneRegion?: string | undefined;
  /** The HR field that alone feeds a SCIM path, when the mapping says so. */
  hrFieldOf?: ((field: string) => string | undefined) | undefined;
}

/** Who the guard is for, for its reports. */
export interface GuardSubject {
  externalId: string;
  correlationId: string;
}

/**
 * One person's sync, attribute by attribute: which owned fields are left alone (an unusable value, a value the
 * target refused before and HR has not changed, a division HR does not give) and the `attribute_refused` reports.
 */
export class AttributeGuard {
  readonly desired: ScimUser;
  readonly discrepancies: Discrepancy[] = [];
  /** The Genesys extension a create sends, asked at each create (a refused skill leaves it between tries). */
  routingForCreate: (() => unknown) | undefined;
  private readonly options: AttributeGuardOptions;
  private readonly subject: GuardSubject;
  private readonly fields: OwnedPath[];
  private readonly held = new Set<string>();
  private readonly expected: Map<string, unknown>;

  private constructor(options: AttributeGuardOptions, subject: GuardSubject, desired: ScimUser) {
    this.options = options;
    this.subject = subject;
    this.fields = options.owned.map((raw) => parseOwnedPath(raw));
    this.desired = desired;
    const all = { owned: options.owned, managedRoles: options.managedRoles };
    this.expected = new Map(compareUser({}, desired, all).map((m) => [m.field, m.expected]));
  }

  /** Cleans phones, holds what must be left alone, reports refusals still in force. */
  static async open(
    options: AttributeGuardOptions,
    subject: GuardSubject,
    mapped: ScimUser,
  ): Promise<AttributeGuard> {
    const { user, unusable } = cleanDesiredUser(mapped, options.phoneRegion);
    const guard = new AttributeGuard(options, subject, user);
    for (const bad of unusable) {
      guard.held.add(bad.field);
      guard.report(bad.field, bad.value, bad.detail);
    }
    // A record without a division leaves the target's alone: every Genesys user has one.
    if (!guard.expected.has(DIVISION_FIELD)) guard.held.add(DIVISION_FIELD);
    await guard.applyRemembered();
    return guard;
  }

  private async applyRemembered(): Promise<void> {
    const { refusals } = this.options;
    const remembered = await refusals.recall(this.subject.externalId);
    const stale: string[] = [];
    for (const [field, refusal] of remembered) {
      const value = this.expected.get(field);
      if (value === undefined || hashValue(value) !== refusal.hash) {
        stale.push(field);
        continue;
      }
      this.held.add(field);
      this.report(field, value, `${refusal.detail} (refused earlier; not sent again until HR changes it)`, {
        targetCorrelationId: refusal.targetCorrelationId,
      });
    }
    // HR changed the value (or no longer gives one): the new one is worth a try.
    await refusals.forget(this.subject.externalId, stale);
  }

  /** Diff options without the held fields (and without `also`). */
  diffOptions(also: readonly string[] = []): DiffOptions {
    const skip = new Set([...this.held, ...also]);
    return {
      owned: this.options.owned.filter((_, i) => !skip.has(this.fields[i]?.path ?? '')),
      managedRoles: this.options.managedRoles,
    };
  }

  /** The operations worth sending: held fields and differences the target made itself left out. */
  opsFor(current: ScimUser, baseline: TargetBaseline | undefined): PatchOperation[] {
    const normalised = fieldsTheTargetNormalised(current, this.desired, this.diffOptions(), baseline);
    return diffUser(current, this.desired, this.diffOptions(normalised));
  }

  /** The create body: the desired user without the held fields (and without `also`). */
  createBody(also: readonly string[] = []): ScimUser {
    const body = projectOwned(this.desired, this.diffOptions(also));
    if (this.desired.externalId !== undefined) body.externalId = this.desired.externalId;
    // Not in the user diff, but part of a new user: its active state (a pre-hire is created inactive) and the
    // routing skills and languages the assignments planned (a new user has no hand-assigned ones to keep).
    if (this.desired.active !== undefined) body.active = this.desired.active;
    const routing = this.routingForCreate ? this.routingForCreate() : this.desired[GENESYS_USER_URN];
    if (routing) body[GENESYS_USER_URN] = routing;
    return body;
  }

  /** The canonical owned paths. */
  get ownedFields(): string[] {
    return this.fields.map((f) => f.path);
  }

  /** Records refused fields: held for the rest of this sync, remembered, reported. */
  async refused(refusals: readonly RefusedField[], scimId?: string): Promise<void> {
    const entries = new Map<string, RememberedRefusal>();
    for (const { field, error } of refusals) {
      this.held.add(field);
      const value = this.expected.get(field);
      const detail = error.detail ?? error.message;
      entries.set(field, {
        hash: hashValue(value),
        detail,
        targetCorrelationId: error.targetCorrelationId,
        at: Date.now(),
      });
      this.report(field, value, detail, { targetCorrelationId: error.targetCorrelationId, scimId });
    }
    await this.options.refusals.remember(this.subject.externalId, entries);
  }

  private report(
    field: string,
    expected: unknown,
    detail: string,
    extra: { targetCorrelationId?: string | undefined; scimId?: string | undefined } = {},
  ): void {
    const discrepancy: Discrepancy = {
      externalId: this.subject.externalId,
      correlationId: this.subject.correlationId,
      type: 'attribute_refused',
      field,
      detail,
    };
    if (expected !== undefined) discrepancy.expected = expected;
    const hrField = this.options.hrFieldOf?.(field);
    if (hrField) discrepancy.hrField = hrField;
    if (extra.targetCorrelationId) discrepancy.targetCorrelationId = extra.targetCorrelationId;
    if (extra.scimId) discrepancy.scimId = extra.scimId;
    this.discrepancies.push(discrepancy);
  }
}
