import { createLogger } from '@dirsync/core';
import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE_USER_SCHEMA,
  PATCH_OP_SCHEMA,
  ScimClient,
  type ScimRequestInfo,
  type ScimResponseInfo,
  type UserPage,
} from '../src/index.js';
import { BASE_PATH, caught, resource, setup, USERS } from './fixtures.js';
import type { RecordedRequest } from './scim-test-server.js';

const list = (resources: unknown[], totalResults = resources.length, startIndex = 1) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});

describe('ScimClient requests', () => {
  it('sends the SCIM headers and the correlation id', async () => {
    const { server, client } = await setup({ scim: () => ({ status: 200, body: resource('u-1') }) });
    await client.getUser('u-1', { correlationId: 'corr-42' });
    const [request] = server.scimRequests();
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`${USERS}/u-1`);
    expect(request?.headers.accept).toBe('application/scim+json, application/json');
    expect(request?.headers['x-correlation-id']).toBe('corr-42');
    expect(request?.headers['user-agent']).toBe('dirsync-scim');
    expect(request?.headers['if-match']).toBeUndefined();
  });

  it('uses a custom base path and user agent, and encodes ids', async () => {
    const { server, client } = await setup({
      scim: () => ({ status: 200, body: resource('a/b') }),
      client: { basePath: '/scim/v2/', userAgent: 'dirsync-test/1.0' },
    });
    await client.getUser('a/b');
    expect(server.scimRequests()[0]?.rawUrl).toBe('/scim/v2/Users/a%2Fb');
    expect(server.scimRequests()[0]?.headers['user-agent']).toBe('dirsync-test/1.0');
  });

  describe('versions', () => {
    it('reads the version from the ETag header', async () => {
      const { client } = await setup({
        scim: () => ({ status: 200, headers: { ETag: '"9"' }, body: resource('u-1') }),
      });
      expect((await client.getUser('u-1')).version).toBe('"9"');
    });

    it('falls back to meta.version, then to none', async () => {
      let body: Record<string, unknown> = resource('u-1', { meta: { version: '"4"' } });
      const { client } = await setup({ scim: () => ({ status: 200, body }) });
      expect((await client.getUser('u-1')).version).toBe('"4"');
      body = resource('u-1', { meta: { resourceType: 'User' } });
      expect((await client.getUser('u-1')).version).toBeUndefined();
    });

    it('sends If-Match iff a version is known', async () => {
      const { server, client } = await setup({ scim: () => ({ status: 204 }) });
      const ops = [{ op: 'replace' as const, path: 'title', value: 'Lead' }];
      await client.patchUser('u-1', ops, { version: '"5"' });
      await client.patchUser('u-1', ops, {});
      await client.patchUser('u-1', ops, { version: '6' });
      await client.patchUser('u-1', ops, { version: 'W/"7"' });
      expect(server.scimRequests().map((r) => r.headers['if-match'])).toEqual([
        '"5"',
        undefined,
        '"6"',
        'W/"7"',
      ]);
    });
  });

  describe('writes', () => {
    it('PATCHes a PatchOp body as application/scim+json and returns the new version', async () => {
      const { server, client } = await setup({
        scim: () => ({ status: 200, headers: { ETag: '"6"' }, body: resource('u-1', { title: 'Lead' }) }),
      });
      const ops = [{ op: 'replace' as const, path: 'title', value: 'Lead' }];
      const result = await client.patchUser('u-1', ops, { version: '"5"' });
      expect(result.version).toBe('"6"');
      expect(result.user?.title).toBe('Lead');
      const [request] = server.scimRequests();
      expect(request?.method).toBe('PATCH');
      expect(request?.headers['content-type']).toBe('application/scim+json');
      expect(JSON.parse(request?.body ?? '')).toEqual({ schemas: [PATCH_OP_SCHEMA], Operations: ops });
    });

    it('tolerates a 204 without body', async () => {
      let headers: Record<string, string> = { ETag: '"12"' };
      const { client } = await setup({ scim: () => ({ status: 204, headers }) });
      expect(await client.patchUser('u-1', [{ op: 'remove', path: 'title' }])).toEqual({ version: '"12"' });
      headers = {};
      expect(await client.patchUser('u-1', [{ op: 'remove', path: 'title' }])).toEqual({});
    });

    it('sends nothing for an empty operation list', async () => {
      const { server, client } = await setup();
      expect(await client.patchUser('u-1', [], { version: '"3"' })).toEqual({ version: '"3"' });
      expect(server.requests).toHaveLength(0);
    });

    it('creates without read-only attributes and names the schemas used', async () => {
      const { server, client } = await setup({
        scim: () => ({ status: 201, headers: { ETag: '"1"' }, body: resource('new-id') }),
      });
      const created = await client.createUser({
        id: 'ignored',
        meta: { version: '"0"' },
        groups: [{ value: 'g' }],
        userName: 'ada@example.com',
        displayName: 'Ada',
        [ENTERPRISE_USER_SCHEMA]: { department: 'Support' },
      });
      expect(created).toEqual({ user: resource('new-id'), version: '"1"' });
      const [request] = server.scimRequests();
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe(USERS);
      expect(request?.headers['content-type']).toBe('application/scim+json');
      expect(JSON.parse(request?.body ?? '')).toEqual({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
        userName: 'ada@example.com',
        displayName: 'Ada',
        [ENTERPRISE_USER_SCHEMA]: { department: 'Support' },
      });
    });
  });

  describe('lookups', () => {
    it('finds by externalId with a quoted, escaped filter (never as an id)', async () => {
      const { server, client } = await setup({
        scim: () => ({ status: 200, body: list([resource('u-7')]) }),
      });
      const user = await client.findByExternalId('HR "9"\\x');
      expect(user?.id).toBe('u-7');
      const [request] = server.scimRequests();
      expect(request?.path).toBe(USERS);
      expect(request?.query.get('filter')).toBe('externalId eq "HR \\"9\\"\\\\x"');
      // Spaces are sent as %20, not '+', which not every server decodes in a query.
      expect(request?.rawUrl).toContain('filter=externalId%20eq%20%22HR%20%5C%229%5C%22%5C%5Cx%22');
    });

    it('finds by userName and answers undefined when nobody matches', async () => {
      const { server, client } = await setup({ scim: () => ({ status: 200, body: list([]) }) });
      expect(await client.findByUserName('ada@example.com')).toBeUndefined();
      expect(server.scimRequests()[0]?.query.get('filter')).toBe('userName eq "ada@example.com"');
    });

    it('passes paging and attribute selection, clamping count to 25', async () => {
      const { server, client } = await setup({ scim: () => ({ status: 200, body: list([]) }) });
      const page = await client.findUsers({
        filter: 'active eq false',
        startIndex: 26,
        count: 100,
        attributes: ['id', 'userName'],
        excludedAttributes: ['groups'],
      });
      expect(page.totalResults).toBe(0);
      const query = server.scimRequests()[0]?.query;
      expect(Object.fromEntries(query ?? [])).toEqual({
        filter: 'active eq false',
        startIndex: '26',
        count: '25',
        attributes: 'id,userName',
        excludedAttributes: 'groups',
      });
    });

    it('probes with the cheapest authenticated request', async () => {
      const { server, client } = await setup({
        scim: () => ({ status: 200, body: list([resource('u-1')], 40) }),
      });
      await client.probe();
      const [request] = server.scimRequests();
      expect(request?.path).toBe(USERS);
      expect(Object.fromEntries(request?.query ?? [])).toEqual({ count: '1', attributes: 'id' });
    });
  });

  describe('listAllUsers', () => {
    /** Genesys-like: the plain list has active users only; `active eq false` has the inactive ones. */
    function directory(
      active: string[],
      inactive: string[],
      options: { unfilteredIncludesInactive?: boolean } = {},
    ) {
      return (request: RecordedRequest) => {
        const filter = request.query.get('filter');
        const ids =
          filter === 'active eq false'
            ? inactive
            : options.unfilteredIncludesInactive
              ? [...active, ...inactive]
              : active;
        const start = Number(request.query.get('startIndex') ?? '1');
        const count = Number(request.query.get('count') ?? '25');
        const page = ids
          .slice(start - 1, start - 1 + count)
          .map((id) => resource(id, { active: !inactive.includes(id) }));
        return { status: 200, body: list(page, ids.length, start) };
      };
    }

    async function collect(pages: AsyncIterable<UserPage>): Promise<UserPage[]> {
      const out: UserPage[] = [];
      for await (const page of pages) out.push(page);
      return out;
    }

    it('pages through active users, then the inactive pass', async () => {
      const { server, client } = await setup({
        scim: directory(['a1', 'a2', 'a3', 'a4', 'a5'], ['i1', 'i2']),
      });
      const pages = await collect(client.listAllUsers({ includeInactive: true, pageSize: 2 }));
      expect(pages.map((p) => [p.pass, p.startIndex, p.users.map((u) => u.id)])).toEqual([
        ['unfiltered', 1, ['a1', 'a2']],
        ['unfiltered', 3, ['a3', 'a4']],
        ['unfiltered', 5, ['a5']],
        ['inactive', 1, ['i1', 'i2']],
      ]);
      expect(server.scimRequests().map((r) => [r.query.get('filter'), r.query.get('startIndex')])).toEqual([
        [null, '1'],
        [null, '3'],
        [null, '5'],
        ['active eq false', '1'],
      ]);
    });

    it('skips the inactive pass when not asked for', async () => {
      const { server, client } = await setup({ scim: directory(['a1'], ['i1']) });
      const pages = await collect(client.listAllUsers({ includeInactive: false }));
      expect(pages.flatMap((p) => p.users.map((u) => u.id))).toEqual(['a1']);
      expect(server.scimRequests()).toHaveLength(1);
      expect(server.scimRequests()[0]?.query.get('count')).toBe('25');
    });

    it('de-duplicates by id when the plain list already includes inactive users', async () => {
      const { client } = await setup({
        scim: directory(['a1', 'a2'], ['i1', 'i2'], { unfilteredIncludesInactive: true }),
      });
      const pages = await collect(client.listAllUsers({ includeInactive: true, pageSize: 3 }));
      expect(pages.flatMap((p) => p.users.map((u) => u.id))).toEqual(['a1', 'a2', 'i1', 'i2']);
    });

    it('stops on an empty page even if totalResults promised more', async () => {
      const { server, client } = await setup({ scim: () => ({ status: 200, body: list([], 50) }) });
      expect(await collect(client.listAllUsers({ includeInactive: false }))).toEqual([]);
      expect(server.scimRequests()).toHaveLength(1);
    });
  });

  describe('hooks', () => {
    it('calls beforeRequest once per SCIM request and never for token requests', async () => {
      const seen: ScimRequestInfo[] = [];
      const { server, client } = await setup({
        scim: (r) => ({
          status: 200,
          body: r.method === 'GET' && r.path === USERS ? list([]) : resource('u-1'),
        }),
        client: {
          beforeRequest: async (info) => {
            seen.push(info);
          },
        },
      });
      const signal = new AbortController().signal;
      await client.getUser('u-1', { signal });
      await client.findByExternalId('HR-1');
      await client.patchUser('u-1', [{ op: 'remove', path: 'title' }]);
      expect(server.tokenRequests()).toHaveLength(1);
      expect(server.scimRequests()).toHaveLength(3);
      expect(seen).toEqual([
        { method: 'GET', path: '/Users/u-1', route: 'GET /Users/:id', signal },
        { method: 'GET', path: '/Users', route: 'GET /Users' },
        { method: 'PATCH', path: '/Users/u-1', route: 'PATCH /Users/:id' },
      ]);
    });

    it('waits for beforeRequest before sending', async () => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let hooked = false;
      const { server, client } = await setup({
        scim: () => ({ status: 200, body: resource('u-1') }),
        client: {
          beforeRequest: () => {
            hooked = true;
            return held;
          },
        },
      });
      const pending = client.getUser('u-1');
      await server.waitForRequest((r) => r.path === '/oauth/token');
      expect(server.scimRequests()).toHaveLength(0);
      release();
      await pending;
      expect(hooked).toBe(true);
      expect(server.scimRequests()).toHaveLength(1);
    });

    it('reports each SCIM response with a low-cardinality route label', async () => {
      const seen: ScimResponseInfo[] = [];
      let destroy = false;
      const { client } = await setup({
        scim: (r) => {
          if (destroy) return { destroy: true };
          if (r.path.endsWith('/7c1e-dddd')) return { status: 404 };
          return {
            status: r.method === 'POST' ? 201 : 200,
            body: r.path === USERS && r.method === 'GET' ? list([]) : resource('x'),
          };
        },
        client: { onResponse: (info) => seen.push(info) },
      });
      await client.getUser('7c1e-aaaa', { correlationId: 'c-1' });
      await client.findUsers({});
      await client.createUser({ userName: 'a@example.com' });
      await client.patchUser('7c1e-bbbb', [{ op: 'remove', path: 'title' }]);
      await caught(() => client.patchUser('7c1e-dddd', [{ op: 'remove', path: 'title' }]));
      destroy = true;
      await caught(() => client.getUser('x'));
      expect(seen.map(({ durationMs, ...rest }) => rest)).toEqual([
        {
          method: 'GET',
          path: '/Users/7c1e-aaaa',
          route: 'GET /Users/:id',
          status: 200,
          correlationId: 'c-1',
        },
        { method: 'GET', path: '/Users', route: 'GET /Users', status: 200 },
        { method: 'POST', path: '/Users', route: 'POST /Users', status: 201 },
        { method: 'PATCH', path: '/Users/7c1e-bbbb', route: 'PATCH /Users/:id', status: 200 },
        { method: 'PATCH', path: '/Users/7c1e-dddd', route: 'PATCH /Users/:id', status: 404 },
        { method: 'GET', path: '/Users/x', route: 'GET /Users/:id', status: 'network_error' },
      ]);
      for (const info of seen) expect(info.durationMs).toBeGreaterThanOrEqual(0);
    });

    it("reports a call's responses to that call's own listener too, and only that call's", async () => {
      const clientSeen: ScimResponseInfo[] = [];
      const callSeen: ScimResponseInfo[] = [];
      const { client } = await setup({
        scim: () => ({ status: 200, body: resource('u-1') }),
        client: { onResponse: (info) => clientSeen.push(info) },
      });
      await client.getUser('u-1', { correlationId: 'c-9', onResponse: (info) => callSeen.push(info) });
      await client.getUser('u-2');
      expect(clientSeen).toHaveLength(2);
      expect(callSeen.map(({ durationMs, ...rest }) => rest)).toEqual([
        { method: 'GET', path: '/Users/u-1', route: 'GET /Users/:id', status: 200, correlationId: 'c-9' },
      ]);
    });

    it('survives an onResponse callback that throws', async () => {
      const { client } = await setup({
        scim: () => ({ status: 200, body: resource('u-1') }),
        client: {
          onResponse: () => {
            throw new Error('metrics broke');
          },
        },
      });
      expect((await client.getUser('u-1')).user.id).toBe('u-1');
    });

    it('accepts the core winston logger', async () => {
      const lines: string[] = [];
      const logger = createLogger({
        level: 'debug',
        stream: new (await import('node:stream')).Writable({
          write(chunk, _encoding, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      });
      const { client } = await setup({
        scim: () => ({ status: 200, body: resource('u-1') }),
        client: { logger },
      });
      await client.getUser('u-1');
      expect(lines.some((line) => line.includes('GET /Users/:id'))).toBe(true);
    });
  });

  it('is constructible with only the documented options (default base path)', async () => {
    const { server } = await setup();
    const client = new ScimClient({
      baseUrl: `${server.url}/`,
      loginUrl: server.url,
      clientId: 'id',
      clientSecret: 'secret',
    });
    try {
      await caught(() => client.getUser('u-1'));
      expect(server.scimRequests()[0]?.path).toBe(`${BASE_PATH}/Users/u-1`);
    } finally {
      client.close();
    }
  });
});
