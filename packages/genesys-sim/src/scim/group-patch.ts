import { badRequest } from '../errors/scim-http-error.js';
import type { PatchOperation } from './user-types.js';

/** One membership change a group PATCH asks for. */
export type MemberChange =
  | { kind: 'add'; ids: string[] }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'removeAll' }
  | { kind: 'replace'; ids: string[] };

type Json = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `members[value eq "id"]`, quoted or bare. */
const MEMBER_FILTER = /^members\s*\[\s*value\s+eq\s+(?:"((?:[^"\\]|\\.)*)"|([^\s\]]+))\s*\]$/i;

function memberIds(value: unknown, op: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry, index) => {
    const id = isPlainObject(entry) ? entry.value : undefined;
    if (typeof id !== 'string' || id === '') {
      throw badRequest(
        'invalidValue',
        `'members' (${op}, entry ${index}) must be objects with a string 'value'`,
      );
    }
    return id;
  });
}

function changeForMembers(op: string, value: unknown): MemberChange {
  if (op === 'remove')
    return value === undefined ? { kind: 'removeAll' } : { kind: 'remove', ids: memberIds(value, op) };
  if (value === undefined) throw badRequest('invalidSyntax', `'${op}' on 'members' needs a value`);
  return { kind: op === 'add' ? 'add' : 'replace', ids: memberIds(value, op) };
}

function refusePath(path: string): never {
  if (/^displayname$/i.test(path.trim()))
    throw badRequest('mutability', `'displayName' of a group cannot be changed by SCIM`);
  throw badRequest('invalidPath', `Invalid path '${path}': a group PATCH changes only 'members'`);
}

/**
 * Reads the operations of a group PatchOp (already checked as a PatchOp body) into membership changes. Only
 * `members` may change: `add`/`replace` with `[{ value: userId }]`, `remove` with such a value, without one
 * (all members), or with the path `members[value eq "id"]`.
 */
export function readMemberChanges(operations: readonly PatchOperation[]): MemberChange[] {
  const changes: MemberChange[] = [];
  for (const { op, path, value } of operations) {
    if (path === undefined || path === '') {
      if (!isPlainObject(value))
        throw badRequest('invalidSyntax', `Without a path, '${op}' needs a value object`);
      for (const [key, attributeValue] of Object.entries(value)) {
        if (key.toLowerCase() !== 'members') refusePath(key);
        changes.push(changeForMembers(op, attributeValue));
      }
      continue;
    }
    if (path.trim().toLowerCase() === 'members') {
      changes.push(changeForMembers(op, value));
      continue;
    }
    const filtered = MEMBER_FILTER.exec(path.trim());
    if (!filtered) refusePath(path);
    if (op !== 'remove') throw badRequest('invalidPath', `'${op}' cannot target a filtered 'members' path`);
    const id =
      filtered[1] !== undefined ? (JSON.parse(`"${filtered[1]}"`) as string) : (filtered[2] as string);
    changes.push({ kind: 'remove', ids: [id] });
  }
  return changes;
}
