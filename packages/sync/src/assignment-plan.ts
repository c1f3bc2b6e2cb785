import type { Discrepancy } from '@dirsync/reports';
import { type PatchOperation, ScimError, type ScimUser } from '@dirsync/scim';
import type { RoutingRecollection } from './routing-memory.js';
import {
  checkWanted,
  GENESYS_USER_URN,
  hrFieldOf,
  MAX_ROUTING_ENTRIES,
  mergeRouting,
  type RoutingEntry,
  type RoutingKind,
  readRouting,
  routingOperation,
  routingPath,
} from './routing-skills.js';

/** What the plan needs to know about one routing kind. */
export interface RoutingSetup {
  kind: RoutingKind;
  /** HR's raw list, as the mapping passed it. */
  raw: unknown;
  /** Names the policy manages for this kind; empty: only the ones dirsync added itself. */
  managedByPolicy: ReadonlySet<string>;
}

/** A stable text of HR's list: refused names are not sent again until it changes. */
const fingerprintOf = (raw: unknown): string => JSON.stringify(raw ?? null);

/**
 * One person's routing skills and languages for one sync: what HR wants (checked), what is managed, what the
 * target refused, and the operations that turn the current arrays into the wanted ones. Read-modify-write: the
 * operations are computed from the current user on every (re-)send, so a version conflict re-reads and re-merges.
 */
export class RoutingPlan {
  private readonly wanted = new Map<RoutingKind, RoutingEntry[]>();
  private readonly local: Discrepancy[] = [];
  private readonly refused = new Map<RoutingKind, Set<string>>();
  private readonly refusedDetail = new Map<string, string>();
  private readonly untouchable = new Map<RoutingKind, string>();
  private readonly overflow = new Set<RoutingKind>();

  constructor(
    private readonly setups: readonly RoutingSetup[],
    private readonly memory: RoutingRecollection,
    private readonly report: (d: Omit<Discrepancy, 'externalId' | 'correlationId'>) => Discrepancy,
  ) {
    for (const { kind, raw, managedByPolicy } of setups) {
      const { wanted, rejected } = checkWanted(raw);
      const field = routingPath(kind);
      const hrField = hrFieldOf(kind);
      for (const r of rejected)
        this.local.push(
          this.report({
            type: 'attribute_refused',
            field,
            hrField,
            expected: r.name,
            detail: `${hrField} "${r.name}": ${r.reason}`,
          }),
        );
      const managed = wanted.filter((e) => managedByPolicy.size === 0 || managedByPolicy.has(e.name));
      for (const e of wanted.filter((w) => !managed.includes(w))) {
        this.local.push(
          this.report({
            type: 'attribute_refused',
            field,
            hrField,
            expected: e.name,
            detail: `${hrField} "${e.name}": not managed (the policy does not name it); left alone`,
          }),
        );
      }
      const remembered = memory.refused[kind];
      const refused = new Set(remembered?.fingerprint === fingerprintOf(raw) ? remembered.names : []);
      this.refused.set(kind, refused);
      this.wanted.set(kind, managed);
      if (managed.length > MAX_ROUTING_ENTRIES)
        this.untouchable.set(
          kind,
          `HR lists ${managed.length}, more than Genesys's limit of ${MAX_ROUTING_ENTRIES}`,
        );
    }
  }

  /** The entries of one kind that may be sent (HR's managed ones minus what the target refused). */
  private sendable(kind: RoutingKind): RoutingEntry[] {
    const refused = this.refused.get(kind) ?? new Set();
    return (this.wanted.get(kind) ?? []).filter((e) => !refused.has(e.name));
  }

  private isManaged(kind: RoutingKind, name: string): boolean {
    const setup = this.setups.find((s) => s.kind === kind);
    if (setup && setup.managedByPolicy.size > 0) return setup.managedByPolicy.has(name);
    return (this.memory.added[kind] ?? []).includes(name);
  }

  /** The desired user for a create: `mapped` with each kind's sendable entries (there is nothing current). */
  applyToCreate(user: ScimUser): ScimUser {
    const extension = { ...((user[GENESYS_USER_URN] as Record<string, unknown> | undefined) ?? {}) };
    for (const { kind } of this.setups) {
      const entries = this.untouchable.has(kind) ? [] : this.sendable(kind);
      if (entries.length > 0) extension[kind] = entries;
      else delete extension[kind];
    }
    const out = { ...user };
    if (Object.keys(extension).length > 0) out[GENESYS_USER_URN] = extension;
    else delete out[GENESYS_USER_URN];
    return out;
  }

  /** The operations that bring `current`'s managed skills and languages to what HR wants. */
  operations(current: ScimUser): PatchOperation[] {
    const ops: PatchOperation[] = [];
    for (const { kind } of this.setups) {
      if (this.untouchable.has(kind)) continue;
      const have = readRouting(current, kind);
      const next = mergeRouting(have, this.sendable(kind), (name) => this.isManaged(kind, name));
      if (next.length > MAX_ROUTING_ENTRIES) {
        this.overflow.add(kind);
        continue;
      }
      const op = routingOperation(kind, have, next);
      if (op) ops.push(op);
    }
    return ops;
  }

  /**
   * Takes in a 400 that names a routing attribute: the names it quotes (or, when it quotes none, the whole kind)
   * are left out and reported, and the caller writes again. False when the error is about something else.
   */
  absorb(error: unknown): boolean {
    if (!(error instanceof ScimError) || error.status !== 400 || error.scimType === 'invalidVers')
      return false;
    const detail = error.detail ?? '';
    const setup = this.setups.find((s) => detail.includes(s.kind) && !this.untouchable.has(s.kind));
    if (!setup) return false;
    const candidates = this.sendable(setup.kind).map((e) => e.name);
    const named = candidates.filter((n) => detail.includes(`'${n}'`) || detail.includes(`"${n}"`));
    if (named.length === 0) {
      this.untouchable.set(setup.kind, `Genesys refused the list (${detail})`);
      return true;
    }
    for (const name of named) {
      this.refused.get(setup.kind)?.add(name);
      this.refusedDetail.set(`${setup.kind}:${name}`, detail);
    }
    return true;
  }

  /** Every refusal of this sync, for the report. */
  discrepancies(): Discrepancy[] {
    const out = [...this.local];
    for (const { kind } of this.setups) {
      const field = routingPath(kind);
      const hrField = hrFieldOf(kind);
      for (const name of this.refused.get(kind) ?? []) {
        const why =
          this.refusedDetail.get(`${kind}:${name}`) ??
          'refused earlier; not sent again until HR changes the list';
        out.push(
          this.report({
            type: 'attribute_refused',
            field,
            hrField,
            expected: name,
            detail: `${hrField} "${name}": Genesys refused it (${why})`,
          }),
        );
      }
      const overflow = `with the ones assigned by hand there would be more than Genesys's limit of ${MAX_ROUTING_ENTRIES}`;
      const why = this.untouchable.get(kind) ?? (this.overflow.has(kind) ? overflow : undefined);
      if (why !== undefined) {
        out.push(
          this.report({
            type: 'attribute_refused',
            field,
            hrField,
            detail: `${hrField} left unchanged: ${why}`,
          }),
        );
      }
    }
    return out;
  }

  /** What to remember after a successful write; undefined when nothing changed. */
  recollection(): RoutingRecollection | undefined {
    const next: RoutingRecollection = {
      added: { ...this.memory.added },
      refused: { ...this.memory.refused },
    };
    for (const { kind, raw, managedByPolicy } of this.setups) {
      if (this.untouchable.has(kind) || this.overflow.has(kind)) continue;
      if (managedByPolicy.size === 0) next.added[kind] = this.sendable(kind).map((e) => e.name);
      const refused = [...(this.refused.get(kind) ?? [])];
      if (refused.length > 0) next.refused[kind] = { fingerprint: fingerprintOf(raw), names: refused };
      else delete next.refused[kind];
    }
    return JSON.stringify(next) === JSON.stringify(this.memory) ? undefined : next;
  }
}
