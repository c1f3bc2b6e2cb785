import {
  type GroupMemberChange,
  PATCH_OP_SCHEMA,
  type PatchOperation,
  ScimError,
  type ScimUser,
  valuePath,
} from '@dirsync/scim';
import { type GroupTarget, isGroupTarget } from './group-directory.js';
import type { RequestContext, ScimTarget } from './sync-ports.js';

/** One request a sync would make. Reads are really made (a preview must see the target); writes are not. */
export interface PlannedRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  ifMatch?: string;
  body?: unknown;
  /** True for reads the preview made; false for writes it only describes. */
  sent: boolean;
}

const WOULD_BE_ASSIGNED = '(assigned by the target)';

/** The preview's target: performs reads and records writes instead of sending them. */
export class RecordingTarget implements ScimTarget, GroupTarget {
  readonly requests: PlannedRequest[] = [];
  private readonly inner: ScimTarget;

  constructor(inner: ScimTarget) {
    this.inner = inner;
  }

  getUser(id: string, ctx?: RequestContext) {
    this.requests.push({ method: 'GET', path: `/Users/${id}`, sent: true });
    return this.inner.getUser(id, ctx);
  }

  findByExternalId(externalId: string, ctx?: RequestContext) {
    this.requests.push({
      method: 'GET',
      path: `/Users?filter=externalId eq ${JSON.stringify(externalId)}`,
      sent: true,
    });
    return this.inner.findByExternalId(externalId, ctx);
  }

  findByUserName(userName: string, ctx?: RequestContext) {
    this.requests.push({
      method: 'GET',
      path: `/Users?filter=userName eq ${JSON.stringify(userName)}`,
      sent: true,
    });
    return this.inner.findByUserName(userName, ctx);
  }

  /**
   * Records the create. When the userName is taken it answers 409 as the target would, without listing the
   * doomed POST; the sync then shows the lookup and adoption a real run would make.
   */
  async createUser(user: ScimUser, ctx?: RequestContext) {
    if (user.userName && (await this.inner.findByUserName(user.userName, ctx))) {
      throw new ScimError('uniqueness', 'userName is taken in the target', {
        method: 'POST',
        route: 'POST /Users',
        status: 409,
      });
    }
    this.requests.push({ method: 'POST', path: '/Users', body: user, sent: false });
    return { user: { ...user, id: WOULD_BE_ASSIGNED }, version: undefined };
  }

  async patchUser(id: string, operations: PatchOperation[], options: { version?: string | undefined }) {
    const planned: PlannedRequest = {
      method: 'PATCH',
      path: `/Users/${id}`,
      body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
      sent: false,
    };
    if (options.version !== undefined) planned.ifMatch = options.version;
    this.requests.push(planned);
    return { user: undefined, version: options.version };
  }

  async findGroupByDisplayName(displayName: string, ctx?: RequestContext) {
    this.requests.push({
      method: 'GET',
      path: `/Groups?filter=displayName eq ${JSON.stringify(displayName)}`,
      sent: true,
    });
    return isGroupTarget(this.inner) ? this.inner.findGroupByDisplayName(displayName, ctx) : undefined;
  }

  /** Records one group's member changes as the PATCH the sync would send (no If-Match: member changes commute). */
  async patchGroupMembers(groupId: string, change: GroupMemberChange) {
    const operations: PatchOperation[] = (change.remove ?? []).map((id) => ({
      op: 'remove',
      path: valuePath('members', 'value', id),
    }));
    if (change.add?.length)
      operations.push({ op: 'add', path: 'members', value: change.add.map((value) => ({ value })) });
    this.requests.push({
      method: 'PATCH',
      path: `/Groups/${groupId}`,
      body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
      sent: false,
    });
    return {};
  }
}
