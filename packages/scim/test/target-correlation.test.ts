import { describe, expect, it } from 'vitest';
import { ScimError, type ScimResponseInfo } from '../src/index.js';
import { caught, resource, setup } from './fixtures.js';

const ININ = { 'ININ-Correlation-Id': '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b' };
const ops = [{ op: 'replace' as const, path: 'title', value: 'Lead' }];

describe("the target's correlation id", () => {
  it('comes back with every successful read and write, and in onResponse', async () => {
    const seen: ScimResponseInfo[] = [];
    let noBody = false;
    const { client } = await setup({
      scim: (r) => {
        if (noBody) return { status: 204, headers: ININ };
        return { status: r.method === 'POST' ? 201 : 200, headers: ININ, body: resource('u-1') };
      },
      client: { onResponse: (info) => seen.push(info) },
    });
    const id = ININ['ININ-Correlation-Id'];
    expect((await client.createUser({ userName: 'a@example.com' })).targetCorrelationId).toBe(id);
    expect((await client.getUser('u-1')).targetCorrelationId).toBe(id);
    expect((await client.patchUser('u-1', ops)).targetCorrelationId).toBe(id);
    noBody = true;
    expect(await client.patchUser('u-1', ops)).toEqual({ targetCorrelationId: id });
    expect(seen.map((info) => info.targetCorrelationId)).toEqual([id, id, id, id]);
  });

  it('is on the ScimError of a refused request, next to our own correlation id', async () => {
    const { client } = await setup({
      scim: () => ({
        status: 400,
        headers: ININ,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '400',
          scimType: 'invalidValue',
        },
      }),
    });
    const error = await caught(() => client.patchUser('u-1', ops, {}, { correlationId: 'dirsync-1' }));
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({
      kind: 'bad_request',
      targetCorrelationId: ININ['ININ-Correlation-Id'],
      details: { correlationId: 'dirsync-1', targetCorrelationId: ININ['ININ-Correlation-Id'] },
    });
  });

  it('is on the ScimError of an answer that is not SCIM JSON', async () => {
    const { client } = await setup({ scim: () => ({ status: 200, headers: ININ, body: '<html>' }) });
    const error = await caught(() => client.getUser('u-1'));
    expect(error).toMatchObject({
      kind: 'invalid_response',
      targetCorrelationId: ININ['ININ-Correlation-Id'],
    });
  });

  it("takes a generic provider's X-Correlation-Id answer header, Genesys's header first", async () => {
    let headers: Record<string, string> = { 'X-Correlation-Id': 'req-42' };
    const { client } = await setup({ scim: () => ({ status: 200, headers, body: resource('u-1') }) });
    expect((await client.getUser('u-1')).targetCorrelationId).toBe('req-42');
    headers = { 'X-Correlation-Id': 'req-43', ...ININ };
    expect((await client.getUser('u-1')).targetCorrelationId).toBe(ININ['ININ-Correlation-Id']);
  });

  it('is absent when the target sends none, sends something that is not an id, or never answers', async () => {
    let destroy = false;
    let headers: Record<string, string> = {};
    const { client } = await setup({
      scim: () => (destroy ? { destroy: true } : { status: 200, headers, body: resource('u-1') }),
    });
    expect((await client.getUser('u-1')).targetCorrelationId).toBeUndefined();
    headers = { 'ININ-Correlation-Id': 'not an id; <b>' };
    expect((await client.getUser('u-1')).targetCorrelationId).toBeUndefined();
    destroy = true;
    const error = await caught(() => client.getUser('u-1'));
    expect(error).toMatchObject({ kind: 'network', targetCorrelationId: undefined });
  });
});
