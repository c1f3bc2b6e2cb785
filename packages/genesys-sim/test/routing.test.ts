import { describe, expect, it } from 'vitest';
import { GENESYS, scimError, startHarness } from './harness.js';

const SKILLS = `${GENESYS}:routingSkills`;
const LANGUAGES = `${GENESYS}:routingLanguages`;

describe('routing skills and languages', () => {
  it('accepts names from the catalogues with proficiency 0 to 5', async () => {
    const h = await startHarness({
      behavior: { routingSkills: ['Billing', 'Tier 2'], routingLanguages: ['English'] },
    });
    const user = await h.create({ userName: 'a@example.com', displayName: 'A' });
    const answer = await h.patch(user.id, [
      {
        op: 'replace',
        path: SKILLS,
        value: [
          { name: 'Billing', proficiency: 0 },
          { name: 'Tier 2', proficiency: 5 },
        ],
      },
      { op: 'add', path: LANGUAGES, value: [{ name: 'English', proficiency: 4.5 }] },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body[GENESYS]).toEqual({
      routingSkills: [
        { name: 'Billing', proficiency: 0 },
        { name: 'Tier 2', proficiency: 5 },
      ],
      routingLanguages: [{ name: 'English', proficiency: 4.5 }],
    });
  });

  it.each([
    ['an unknown skill', SKILLS, [{ name: 'Juggling', proficiency: 1 }], 'routingSkills'],
    ['a skill in another case', SKILLS, [{ name: 'billing', proficiency: 1 }], 'routingSkills'],
    ['an unknown language', LANGUAGES, [{ name: 'Klingon', proficiency: 1 }], 'routingLanguages'],
    ['a proficiency over 5', SKILLS, [{ name: 'Billing', proficiency: 6 }], 'routingSkills'],
    ['a negative proficiency', LANGUAGES, [{ name: 'English', proficiency: -1 }], 'routingLanguages'],
  ])('refuses %s with 400 invalidValue naming the attribute', async (_what, path, value, attribute) => {
    const h = await startHarness({ behavior: { routingSkills: ['Billing'], routingLanguages: ['English'] } });
    const user = await h.create({ userName: 'b@example.com', displayName: 'B' });
    const answer = await h.patch(user.id, [{ op: 'replace', path, value }]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(scimError(400, 'invalidValue', expect.stringContaining(attribute)));
  });

  it('refuses more than 50 entries, and follows catalogues set at run time', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `Skill ${i}`);
    const h = await startHarness({ behavior: { routingSkills: many } });
    const user = await h.create({ userName: 'c@example.com', displayName: 'C' });
    const tooMany = await h.patch(user.id, [
      { op: 'replace', path: SKILLS, value: many.map((name) => ({ name, proficiency: 1 })) },
    ]);
    expect(tooMany.body).toEqual(scimError(400, 'invalidValue', expect.stringContaining('routingSkills')));
    const fifty = many.slice(0, 50).map((name) => ({ name, proficiency: 1 }));
    expect((await h.patch(user.id, [{ op: 'replace', path: SKILLS, value: fifty }])).status).toBe(200);

    await h.sim.admin.setBehavior({ routingSkills: ['Escalations'] });
    expect(
      (await h.patch(user.id, [{ op: 'replace', path: SKILLS, value: [{ name: 'Skill 1' }] }])).status,
    ).toBe(400);
    expect(
      (
        await h.patch(user.id, [
          { op: 'replace', path: SKILLS, value: [{ name: 'Escalations', proficiency: 2 }] },
        ])
      ).status,
    ).toBe(200);
  });
});
