import { RoleNameSet } from '@dirsync/policy';
import type { ScimUser } from '@dirsync/scim';
import { describe, expect, it } from 'vitest';
import { compareAssignments } from './compare-assignments.js';

const GENESYS = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
const OWNED = ['groups', `${GENESYS}:routingSkills`, `${GENESYS}:routingLanguages`];
/** A mapping's output: `groups` as names, not the target's `{ value, display }`. */
const mapped = (user: Record<string, unknown>) => user as ScimUser;
const skills = (...list: Array<[string, number]>) =>
  list.map(([name, proficiency]) => ({ name, proficiency }));

describe('compareAssignments', () => {
  const managed = {
    // Group names match without case, as in the loaded policy.
    managedGroups: new RoleNameSet(['Support', 'Sales']),
    managedSkills: new Set(['Billing', 'Tier 2']),
    managedLanguages: new Set<string>(),
  };

  it('reports each managed membership and skill that drifted, never hand-made ones', () => {
    const target = {
      groups: [
        { value: 'g1', display: 'Sales' },
        { value: 'g9', display: 'Book Club' },
      ],
      [GENESYS]: { routingSkills: skills(['Billing', 1], ['Tier 2', 3], ['Retention', 2]) },
    };
    const desired = mapped({
      groups: ['support'],
      [GENESYS]: { routingSkills: skills(['Billing', 4]), routingLanguages: skills(['English', 5]) },
    });
    expect(compareAssignments(target, desired, managed, OWNED)).toEqual([
      { field: 'groups[display eq "support"]', expected: 'member', actual: 'not a member' },
      { field: 'groups[display eq "Sales"]', expected: 'not a member', actual: 'member' },
      { field: `${GENESYS}:routingSkills[name eq "Billing"]`, expected: 4, actual: 1 },
      { field: `${GENESYS}:routingSkills[name eq "Tier 2"]`, expected: undefined, actual: 3 },
      { field: `${GENESYS}:routingLanguages[name eq "English"]`, expected: 5, actual: undefined },
    ]);
  });

  it('finds nothing when the managed items agree, whatever else the user holds', () => {
    const target = {
      groups: [
        { value: 'g1', display: 'Support' },
        { value: 'g9', display: 'Book Club' },
      ],
      [GENESYS]: { routingSkills: skills(['Retention', 2], ['Billing', 4]) },
    };
    const desired = mapped({ groups: ['Support'], [GENESYS]: { routingSkills: skills(['Billing', 4]) } });
    expect(compareAssignments(target, desired, managed, OWNED)).toEqual([]);
    expect(compareAssignments(target, mapped({ groups: ['Sales'] }), managed, ['title'])).toEqual([]);
  });
});
