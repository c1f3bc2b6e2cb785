import { describe, expect, it } from 'vitest';
import { ENTERPRISE, GENESYS, startHarness } from './harness.js';

describe('SCIM discovery endpoints', () => {
  it('describes the service provider: PATCH and ETags yes, no bulk, pages of 25', async () => {
    const h = await startHarness();
    expect((await h.scim('GET', '/ServiceProviderConfig', { token: null })).status).toBe(401);
    const answer = await h.scim('GET', '/ServiceProviderConfig');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 25 },
      etag: { supported: true },
      sort: { supported: false },
    });
  });

  it('lists the User resource type with both extensions, and the Group one', async () => {
    const h = await startHarness();
    const answer = await h.scim<{ Resources: Array<Record<string, unknown>> }>('GET', '/ResourceTypes');
    expect(answer.body.Resources).toHaveLength(2);
    expect(answer.body.Resources[0]).toMatchObject({
      id: 'User',
      endpoint: '/Users',
      schemaExtensions: [{ schema: ENTERPRISE }, { schema: GENESYS }],
    });
    expect((await h.scim('GET', '/ResourceTypes/User')).status).toBe(200);
    expect(answer.body.Resources[1]).toMatchObject({ id: 'Group', endpoint: '/Groups' });
    expect((await h.scim('GET', '/ResourceTypes/Group')).status).toBe(200);
    expect((await h.scim('GET', '/ResourceTypes/Role')).status).toBe(404);
  });

  it('publishes the schemas: no name, no customFields, no costCenter', async () => {
    const h = await startHarness();
    type Schema = { id: string; attributes: Array<{ name: string }> };
    const answer = await h.scim<{ Resources: Schema[] }>('GET', '/Schemas');
    const byId = new Map(answer.body.Resources.map((s) => [s.id, s.attributes.map((a) => a.name)]));
    const core = byId.get('urn:ietf:params:scim:schemas:core:2.0:User');
    expect(core).toEqual(expect.arrayContaining(['userName', 'displayName', 'emails', 'roles', 'groups']));
    expect(core).not.toContain('name');
    expect(core).not.toContain('customFields');
    expect(byId.get(ENTERPRISE)).toEqual(['department', 'division', 'manager', 'employeeNumber', 'dateHire']);
    expect(byId.get(GENESYS)).toEqual(['routingSkills', 'routingLanguages', 'externalIds']);
    expect((await h.scim('GET', `/Schemas/${ENTERPRISE}`)).status).toBe(200);
  });

  it('answers unknown SCIM endpoints with a SCIM 404', async () => {
    const h = await startHarness();
    const answer = await h.scim('GET', '/Bulk');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  });
});
