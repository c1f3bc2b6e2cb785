import { describe, expect, it } from 'vitest';
import { CORE_USER_URN } from '../src/index.js';
import { scimError, startHarness } from './harness.js';

describe('phone numbers', () => {
  it('accepts E.164 numbers and tel URIs of every Genesys type', async () => {
    const h = await startHarness();
    const phoneNumbers = [
      { type: 'work', value: '+14155550132' },
      { type: 'work2', value: 'tel:+14155550133;ext=123' },
      { type: 'Mobile', value: '+447700900123' },
      { type: 'microsoftteams', value: '+4930123456' },
      { type: 'zoomphone', value: '+14155550134' },
      { type: 'ringcentral', value: '+14155550135' },
    ];
    const user = await h.create({ userName: 'p@example.com', displayName: 'P', phoneNumbers });
    expect(user.phoneNumbers?.map((p) => p.type)).toEqual([
      'work',
      'work2',
      'mobile',
      'microsoftteams',
      'zoomphone',
      'ringcentral',
    ]);
    expect(user.phoneNumbers?.[1]?.value).toBe('tel:+14155550133;ext=123');
  });

  it.each(['+1 (415) 555-0132', '4155550132', '+44 20 7946 0958', 'n/a', '+1234567', 'tel:4155550132'])(
    'refuses %j with 400 invalidValue naming phoneNumbers, changing nothing',
    async (value) => {
      const h = await startHarness();
      const user = await h.create({ userName: 'q@example.com', displayName: 'Q' });
      const answer = await h.patch(user.id, [
        { op: 'add', path: 'phoneNumbers', value: [{ type: 'work', value }] },
      ]);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(scimError(400, 'invalidValue', expect.stringContaining('phoneNumbers')));
      expect((await h.sim.admin.getUser(user.id))?.user?.meta.version).toBe(user.meta.version);
    },
  );

  it('refuses a type outside the org list, and follows the list and the E.164 switch set at run time', async () => {
    const h = await startHarness();
    const body = (type: string, value: string) => ({
      body: {
        schemas: [CORE_USER_URN],
        userName: `${type}@example.com`,
        displayName: 'T',
        phoneNumbers: [{ type, value }],
      },
    });
    const pager = await h.scim('POST', '/Users', body('pager', '+14155550132'));
    expect(pager.body).toEqual(scimError(400, 'invalidValue', expect.stringContaining('phoneNumbers')));

    await h.sim.admin.setBehavior({ phoneTypes: ['work', 'pager'], requireE164Phones: false });
    expect((await h.scim('POST', '/Users', body('pager', '555 0132'))).status).toBe(201);
    expect((await h.scim('POST', '/Users', body('mobile', '+14155550132'))).status).toBe(400);
  });
});

describe('e-mails', () => {
  it('stores the work e-mail without its primary flag and keeps the other one primary', async () => {
    const h = await startHarness({ behavior: { dropWorkEmailPrimary: true } });
    const user = await h.create({
      userName: 'm@example.com',
      displayName: 'M',
      emails: [{ type: 'work', value: 'm.work@example.com', primary: true }],
    });
    expect(user.emails).toEqual([
      { type: 'work', value: 'm.work@example.com' },
      { type: 'other', value: 'm@example.com', primary: true },
    ]);
    const again = await h.patch(user.id, [
      { op: 'replace', path: 'emails[type eq "work"].primary', value: true },
    ]);
    expect(again.body.emails).toEqual(user.emails);

    await h.sim.admin.setBehavior({ dropWorkEmailPrimary: false });
    const kept = await h.patch(user.id, [
      { op: 'replace', path: 'emails[type eq "work"].primary', value: true },
    ]);
    expect(kept.body.emails).toEqual([
      { type: 'work', value: 'm.work@example.com', primary: true },
      { type: 'other', value: 'm@example.com' },
    ]);
  });
});
