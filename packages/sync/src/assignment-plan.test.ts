import type { Discrepancy } from '@dirsync/reports';
import { ScimError, type ScimUser } from '@dirsync/scim';
import { describe, expect, it } from 'vitest';
import { RoutingPlan } from './assignment-plan.js';
import { GENESYS_USER_URN, mergeRouting } from './routing-skills.js';

const report = (d: Omit<Discrepancy, 'externalId' | 'correlationId'>): Discrepancy => ({
  externalId: 'HR-1',
  correlationId: 'c',
  ...d,
});
const withSkills = (...list: Array<[string, number]>): ScimUser => ({
  [GENESYS_USER_URN]: { routingSkills: list.map(([name, proficiency]) => ({ name, proficiency })) },
});
const skills = (...list: Array<[string, number]>) =>
  list.map(([name, proficiency]) => ({ name, proficiency }));
const noMemory = { added: {}, refused: {} };

describe('routing skills and languages, managed only', () => {
  it('merges: managed ones follow HR, hand-assigned ones stay, HR wins for a name it asks for', () => {
    const current = skills(['Billing', 1], ['Retention', 2], ['Sales', 3]);
    const managed = (name: string) => name === 'Billing' || name === 'Sales';
    expect(mergeRouting(current, skills(['Billing', 4], ['Retention', 5]), managed)).toEqual(
      skills(['Billing', 4], ['Retention', 5]),
    );
  });

  it('without managed names in the policy, removes only what dirsync added itself, and remembers what it adds', () => {
    const plan = new RoutingPlan(
      [{ kind: 'routingSkills', raw: skills(['Tier 1', 2]), managedByPolicy: new Set() }],
      { added: { routingSkills: ['Billing'] }, refused: {} },
      report,
    );
    expect(plan.operations(withSkills(['Billing', 3], ['Retention', 1]))).toEqual([
      {
        op: 'replace',
        path: `${GENESYS_USER_URN}:routingSkills`,
        value: skills(['Retention', 1], ['Tier 1', 2]),
      },
    ]);
    expect(plan.recollection()?.added).toEqual({ routingSkills: ['Tier 1'] });
  });

  it('refuses a bad proficiency, an unmanaged name and more than 50 entries, without a write', () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `S${i}`, proficiency: 1 }));
    const plan = new RoutingPlan(
      [
        {
          kind: 'routingSkills',
          raw: [...skills(['Billing', 7]), { name: 'Tier 1', proficiency: 2 }],
          managedByPolicy: new Set(['Billing']),
        },
        { kind: 'routingLanguages', raw: many, managedByPolicy: new Set() },
      ],
      noMemory,
      report,
    );
    expect(plan.operations(withSkills())).toEqual([]);
    expect(plan.discrepancies().map((d) => [d.field?.split(':').at(-1), d.detail])).toEqual([
      ['routingSkills', 'skills "Billing": the proficiency must be a whole number from 0 to 5'],
      ['routingSkills', 'skills "Tier 1": not managed (the policy does not name it); left alone'],
      ['routingLanguages', "languages left unchanged: HR lists 51, more than Genesys's limit of 50"],
    ]);
  });

  it('leaves out a name the target refuses and remembers it until HR changes the list', () => {
    const raw = skills(['Billing', 2], ['Nope', 1]);
    const plan = new RoutingPlan(
      [{ kind: 'routingSkills', raw, managedByPolicy: new Set() }],
      noMemory,
      report,
    );
    const refusal = new ScimError('bad_request', 'refused', {
      method: 'PATCH',
      route: 'PATCH /Users/:id',
      status: 400,
      scimType: 'invalidValue',
      detail: `Invalid value for '${GENESYS_USER_URN}:routingSkills': no skill named 'Nope' exists`,
    });
    expect(plan.absorb(refusal)).toBe(true);
    expect(plan.operations(withSkills())[0]?.value).toEqual(skills(['Billing', 2]));
    const memory = plan.recollection();
    expect(memory?.refused.routingSkills?.names).toEqual(['Nope']);
    const again = new RoutingPlan(
      [{ kind: 'routingSkills', raw, managedByPolicy: new Set() }],
      memory ?? noMemory,
      report,
    );
    expect(again.operations(withSkills(['Billing', 2]))).toEqual([]);
    expect(again.discrepancies()).toHaveLength(1);
    const changed = new RoutingPlan(
      [{ kind: 'routingSkills', raw: skills(['Nope', 2]), managedByPolicy: new Set() }],
      memory ?? noMemory,
      report,
    );
    expect(changed.operations(withSkills(['Billing', 2]))[0]?.value).toEqual(skills(['Nope', 2]));
  });
});
