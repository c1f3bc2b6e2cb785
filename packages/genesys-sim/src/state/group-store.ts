import { randomUUID } from 'node:crypto';
import { badRequest, ScimHttpError } from '../errors/scim-http-error.js';
import type { MemberChange } from '../scim/group-patch.js';
import type { ScimGroup, ScimUserGroup } from '../scim/group-types.js';
import { CORE_GROUP_URN } from '../scim/urns.js';
import type { Clock } from './clock.js';
import { formatVersion } from './user-store.js';

export interface GroupStoreOptions {
  clock: Clock;
  /** The absolute URL of the Groups endpoint, known once the server listens. */
  groupsUrl(): string;
  /** A user's display name and URI by id; undefined when there is no such user. */
  findUser(id: string): { displayName: string; location: string } | undefined;
}

interface StoredGroup {
  id: string;
  displayName: string;
  memberIds: string[];
  version: number;
  created: string;
  lastModified: string;
}

/** `"3"`, `W/"3"`, `3` or `*` against version 3. */
function etagMatches(header: string, version: number): boolean {
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    if (tag === '*') return true;
    return tag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') === String(version);
  });
}

/**
 * The org's groups. SCIM cannot create or delete them, so they are seeded by name (options, `/__sim/groups`);
 * the API changes only their members.
 */
export class GroupStore {
  private readonly groups = new Map<string, StoredGroup>();

  constructor(private readonly options: GroupStoreOptions) {}

  /** Creates the named groups that do not exist yet (names match case-insensitively); returns all of them. */
  seed(names: readonly string[]): ScimGroup[] {
    return names.map((name) => {
      const existing = this.findByName(name);
      if (existing) return this.present(existing);
      const now = new Date(this.options.clock.now()).toISOString();
      const group: StoredGroup = {
        id: randomUUID(),
        displayName: name,
        memberIds: [],
        version: 1,
        created: now,
        lastModified: now,
      };
      this.groups.set(group.id, group);
      return this.present(group);
    });
  }

  all(): ScimGroup[] {
    return [...this.groups.values()].map((g) => this.present(g));
  }

  get(id: string): ScimGroup | undefined {
    const group = this.groups.get(id);
    return group ? this.present(group) : undefined;
  }

  /** Applies membership changes in order; every added id must be a user. A stale `If-Match` is 400 invalidVers. */
  changeMembers(id: string, changes: readonly MemberChange[], ifMatch?: string): ScimGroup {
    const group = this.groups.get(id);
    if (!group) throw new ScimHttpError(404, `Group '${id}' not found`);
    if (ifMatch !== undefined && !etagMatches(ifMatch, group.version)) {
      throw badRequest(
        'invalidVers',
        `If-Match ${ifMatch} does not match the current version ${formatVersion(group.version)}`,
      );
    }
    let members = [...group.memberIds];
    for (const change of changes) {
      if (change.kind === 'removeAll') {
        members = [];
        continue;
      }
      if (change.kind === 'remove') {
        members = members.filter((m) => !change.ids.includes(m));
        continue;
      }
      for (const userId of change.ids) {
        if (!this.options.findUser(userId)) {
          throw badRequest(
            'invalidValue',
            `Invalid value for 'members.value': no user has the id '${userId}'`,
          );
        }
      }
      const base = change.kind === 'replace' ? [] : members;
      members = [...new Set([...base, ...change.ids])];
    }
    const changed =
      members.length !== group.memberIds.length || members.some((m, i) => m !== group.memberIds[i]);
    if (changed) {
      group.memberIds = members;
      group.version += 1;
      group.lastModified = new Date(this.options.clock.now()).toISOString();
    }
    return this.present(group);
  }

  /** The groups a user belongs to, as its read-only `groups` attribute shows them. */
  membershipsOf(userId: string): ScimUserGroup[] {
    return [...this.groups.values()]
      .filter((g) => g.memberIds.includes(userId))
      .map((g) => ({ value: g.id, display: g.displayName, $ref: this.location(g.id) }));
  }

  /** A deleted user leaves every group. */
  dropUser(userId: string): void {
    for (const group of this.groups.values()) {
      if (group.memberIds.includes(userId)) group.memberIds = group.memberIds.filter((m) => m !== userId);
    }
  }

  clear(): void {
    this.groups.clear();
  }

  private findByName(name: string): StoredGroup | undefined {
    const wanted = name.toLowerCase();
    return [...this.groups.values()].find((g) => g.displayName.toLowerCase() === wanted);
  }

  private location(id: string): string {
    return `${this.options.groupsUrl()}/${id}`;
  }

  private present(group: StoredGroup): ScimGroup {
    return {
      schemas: [CORE_GROUP_URN],
      id: group.id,
      displayName: group.displayName,
      members: group.memberIds.map((userId) => {
        const user = this.options.findUser(userId);
        return { value: userId, ...(user ? { display: user.displayName, $ref: user.location } : {}) };
      }),
      meta: {
        resourceType: 'Group',
        created: group.created,
        lastModified: group.lastModified,
        location: this.location(group.id),
        version: formatVersion(group.version),
      },
    };
  }
}
