import type { ScimUser } from '../scim/user-types.js';
import type { SimContext } from '../state/sim-context.js';

/** A user as Genesys returns it: with its read-only `groups` when it belongs to any. */
export function presentUser(ctx: SimContext, user: ScimUser): ScimUser {
  const groups = ctx.groups.membershipsOf(user.id);
  if (groups.length === 0) return user;
  const { meta, ...rest } = user;
  return { ...rest, groups, meta };
}
