/**
 * The form two role names are compared in. Genesys matches role names case-insensitively, so `Agent` and `agent`
 * are one role; only case is folded (no trimming, no Unicode compatibility mapping, which could merge roles that
 * Genesys keeps apart).
 */
export function foldRoleName(role: string): string {
  return role.toLowerCase();
}

/**
 * A set of role names that answers `has` case-insensitively and iterates the names as they were first spelled (the
 * policy's spelling). Usable wherever a `ReadonlySet<string>` of role names is expected.
 */
export class RoleNameSet implements ReadonlySet<string> {
  private readonly byFold = new Map<string, string>();

  constructor(roles: Iterable<string> = []) {
    for (const role of roles) {
      const fold = foldRoleName(role);
      if (!this.byFold.has(fold)) this.byFold.set(fold, role);
    }
  }

  get size(): number {
    return this.byFold.size;
  }

  /** Whether a role of this name, in any case, is in the set. */
  has(role: string): boolean {
    return this.byFold.has(foldRoleName(role));
  }

  /** The set's own spelling of `role` (any case), or undefined when it is not in the set. */
  spellingOf(role: string): string | undefined {
    return this.byFold.get(foldRoleName(role));
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const role of this.byFold.values()) callback.call(thisArg, role, role, this);
  }

  *entries(): SetIterator<[string, string]> {
    for (const role of this.byFold.values()) yield [role, role];
  }

  keys(): SetIterator<string> {
    return this.byFold.values();
  }

  values(): SetIterator<string> {
    return this.byFold.values();
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.byFold.values();
  }
}
