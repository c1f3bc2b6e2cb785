import type { OwnedPath, PatchOperation, ScimError, ScimUser } from '@dirsync/scim';
import { type SplitAnswer, writeSplitting } from './refusal-split.js';
import { fieldsNamedBy, groupByField, isAttributeRefusal, type RefusedField } from './refused-attributes.js';
import type { ScimTarget } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';

export interface SplitPatchInput {
  target: ScimTarget;
  caller: TargetCaller;
  scimId: string;
  version: string | undefined;
  ops: readonly PatchOperation[];
  fields: readonly OwnedPath[];
}

/** What a PATCH split around refusals wrote: the last answer taken, and the refused fields. */
export interface SplitPatchResult {
  /** Whether any request was taken. */
  taken: boolean;
  user?: ScimUser | undefined;
  version?: string | undefined;
  refused: RefusedField[];
}

/**
 * PATCHes `ops`; when the target refuses an attribute (a 400 that is not a version conflict) the operations are
 * grouped by field and split (see `writeSplitting`) so that everything else is written and each refused field is
 * found. Each request carries the version the previous one answered. Other errors propagate.
 */
export async function patchSplitting(input: SplitPatchInput): Promise<SplitPatchResult> {
  const { target, caller, scimId, fields } = input;
  const ctx = caller.context;
  const result: SplitPatchResult = { taken: false, refused: [], version: input.version };
  const groups = groupByField(input.ops, fields);
  type Group = (typeof groups)[number];
  const send = async (subset: readonly Group[]): Promise<SplitAnswer<ScimError>> => {
    const ops = subset.flatMap((group) => group.ops);
    try {
      const answer = await caller.call(() => target.patchUser(scimId, ops, { version: result.version }, ctx));
      result.taken = true;
      result.user = answer.user;
      result.version = answer.version;
      return { ok: true };
    } catch (error) {
      if (!isAttributeRefusal(error)) throw error;
      const named = fieldsNamedBy(
        error.detail,
        subset.map((g) => g.field),
      );
      const indexes = subset.flatMap((g, i) => (named.includes(g.field) ? [i] : []));
      return { ok: false, refusal: error, named: indexes };
    }
  };
  const refused = await writeSplitting(groups, send);
  result.refused = refused.map(({ unit, refusal }) => ({ field: unit.field, error: refusal }));
  return result;
}
