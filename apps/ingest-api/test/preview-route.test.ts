import { startSimulator } from '@dirsync/genesys-sim';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { ADMIN, person, securedEnv, startTestApi } from './harness.js';

const authorization = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;

function preview(api: { url: string }, body: string) {
  return fetch(`${api.url}/admin/preview`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body,
  });
}

// The preview's behaviour is the engine's (packages/sync/test/preview.test.ts); this is the route around it.
describe('POST /admin/preview', () => {
  redisTest(
    'answers the planned requests, 400 for an invalid event, 503 without target credentials',
    async ({ redisUrl, prefix }) => {
      const sim = await startSimulator({ admin: true });
      const env = securedEnv(redisUrl, prefix, {
        GENESYS_BASE_URL: sim.url,
        GENESYS_LOGIN_URL: sim.url,
      });
      const api = await startTestApi({
        ...env,
        GENESYS_CLIENT_ID: 'dirsync-local',
        GENESYS_CLIENT_SECRET: 'dirsync-local-secret',
      });
      const blind = await startTestApi(env);
      try {
        const res = await preview(api, JSON.stringify({ event: 'user.created', data: person('HR-1') }));
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          outcome: string;
          requests: Array<{ method: string; sent: boolean }>;
        };
        expect(body.outcome).toBe('created');
        expect(body.requests.filter((r) => !r.sent).map((r) => r.method)).toEqual(['POST']);
        expect(await sim.admin.listUsers()).toEqual([]);

        expect((await preview(api, '{"event":"nope"}')).status).toBe(400);
        expect(
          (await preview(blind, JSON.stringify({ event: 'user.created', data: person('HR-1') }))).status,
        ).toBe(503);
      } finally {
        await api.close();
        await blind.close();
        await sim.close();
      }
    },
  );
});
