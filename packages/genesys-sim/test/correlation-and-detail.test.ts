import { describe, expect, it } from 'vitest';
import { basicAuth, ENTERPRISE, scimError, startHarness } from './harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('ININ-Correlation-Id', () => {
  it('comes on every answer (SCIM, errors, OAuth), fresh each time, and the request log keeps it', async () => {
    const h = await startHarness();
    const user = await h.create({ userName: 'a@example.com', displayName: 'A' });
    const read = await h.scim('GET', `/Users/${user.id}`);
    const missing = await h.scim('GET', '/Users/nope');
    const unauthenticated = await h.scim('GET', '/Users', { token: null });
    const oauth = await fetch(h.sim.tokenUrl, {
      method: 'POST',
      headers: { authorization: basicAuth('x', 'y'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(oauth.status).toBe(401);
    const ids = [read, missing, unauthenticated].map((a) => a.headers.get('inin-correlation-id'));
    ids.push(oauth.headers.get('inin-correlation-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);

    const log = await h.sim.admin.requests();
    const logged = log.map((e) => e.ininCorrelationId);
    expect(logged).toEqual(expect.arrayContaining(ids.slice(0, 3)));
    expect(log.every((e) => UUID.test(e.ininCorrelationId ?? ''))).toBe(true);
  });

  it('can be switched off at run time', async () => {
    const h = await startHarness();
    await h.sim.admin.setBehavior({ correlationIds: false });
    const answer = await h.scim('GET', '/Users');
    expect(answer.headers.get('inin-correlation-id')).toBeNull();
    const [entry] = await h.sim.admin.requests();
    expect(entry?.ininCorrelationId).toBeUndefined();
  });
});

describe('errorDetailNamesAttribute', () => {
  it('off: a refused attribute is not named in the 400 detail, other errors are unchanged', async () => {
    const h = await startHarness({ behavior: { errorDetailNamesAttribute: false } });
    const user = await h.create({ userName: 'b@example.com', displayName: 'B' });
    const refused = await h.patch(user.id, [
      { op: 'replace', path: `${ENTERPRISE}:division`, value: 'Narnia' },
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(scimError(400, 'invalidValue'));
    expect(String(refused.body.detail)).not.toMatch(/division|Narnia/);
    const phone = await h.patch(user.id, [
      { op: 'add', path: 'phoneNumbers', value: [{ type: 'work', value: 'x' }] },
    ]);
    expect(String(phone.body.detail)).not.toMatch(/phone/i);
    const stale = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 't' }], {
      'if-match': '"99"',
    });
    expect(stale.body).toEqual(scimError(400, 'invalidVers', expect.stringContaining('If-Match')));

    await h.sim.admin.setBehavior({ errorDetailNamesAttribute: true });
    const named = await h.patch(user.id, [
      { op: 'replace', path: `${ENTERPRISE}:division`, value: 'Narnia' },
    ]);
    expect(String(named.body.detail)).toContain('division');
  });
});

describe('/__sim/behavior', () => {
  it('shows the realistic defaults, refuses an unknown switch or a bad value, and reset restores the start', async () => {
    const h = await startHarness();
    const defaults = await h.sim.admin.behavior();
    expect(defaults).toMatchObject({
      refuseUnknownDivisions: true,
      refuseDivisionRemoval: true,
      forbiddenDivisions: [],
      correlationIds: true,
      errorDetailNamesAttribute: true,
    });
    expect(defaults.divisions).toContain('Home');
    const bad = await fetch(`${h.sim.url}/__sim/behavior`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ divisons: ['x'] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
    await expect(
      h.sim.admin.setBehavior({ requireE164Phones: 'yes' as unknown as boolean }),
    ).rejects.toMatchObject({
      status: 400,
    });
    await h.sim.admin.setBehavior({ forbiddenDivisions: ['HR'] });
    await h.sim.admin.reset();
    expect(await h.sim.admin.behavior()).toEqual(defaults);
  });
});
