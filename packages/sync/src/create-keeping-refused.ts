import type { AttributeGuard } from './attribute-guard.js';
import { fieldsNamedBy, isAttributeRefusal, type RefusedField } from './refused-attributes.js';
import type { TargetCaller } from './target-caller.js';
import type { CreateResult, UserLocator } from './user-locator.js';

/** What a create that may be refused an attribute came to. */
export type GuardedCreate =
  | (Extract<CreateResult, { kind: 'created' }> & {
      refused: RefusedField[];
      /** Only what a create needs was sent: the rest must follow as a PATCH. */
      partial: boolean;
    })
  | (Extract<CreateResult, { kind: 'adopt' }> & { refused: RefusedField[] });

/** What a Genesys create needs; everything else can follow as a PATCH. */
const CREATE_NEEDS = new Set(['userName', 'displayName', 'externalId', 'active']);

/**
 * Creates the user. A refusal naming attributes is re-sent without them (each reported); one naming nothing is
 * re-sent with only what a create needs (`userName`, `displayName`, `externalId`, `active`), and the caller
 * PATCHes the rest, where splitting finds the refused attribute.
 */
export async function createKeepingRefused(
  locator: UserLocator,
  guard: AttributeGuard,
  externalId: string,
  caller: TargetCaller,
): Promise<GuardedCreate> {
  const left: string[] = [];
  const refused: RefusedField[] = [];
  for (;;) {
    try {
      const created = await locator.createOrAdopt(guard.createBody(left), externalId, caller);
      return created.kind === 'created' ? { ...created, refused, partial: false } : { ...created, refused };
    } catch (error) {
      if (!isAttributeRefusal(error)) throw error;
      const candidates = guard.ownedFields.filter((f) => !left.includes(f) && !CREATE_NEEDS.has(f));
      const named = fieldsNamedBy(error.detail, candidates);
      if (named.length === 0) break;
      for (const field of named) {
        left.push(field);
        refused.push({ field, error });
      }
    }
  }
  const rest = guard.ownedFields.filter((f) => !CREATE_NEEDS.has(f));
  const created = await locator.createOrAdopt(guard.createBody(rest), externalId, caller);
  return created.kind === 'created' ? { ...created, refused, partial: true } : { ...created, refused };
}
