import { describe, expect, it } from 'vitest';
import { startSimulator } from '../src/index.js';
import { requestToken } from './harness.js';

describe('startSimulator / close', () => {
  it('listens on a free port of 127.0.0.1 by default and exposes its URLs', async () => {
    const sim = await startSimulator();
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
      expect(sim.scimUrl).toBe(`${sim.url}/api/v2/scim/v2`);
      expect(sim.tokenUrl).toBe(`${sim.url}/oauth/token`);
      expect((await fetch(`${sim.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${sim.url}/__sim/counters`)).status).toBe(404);
    } finally {
      await sim.close();
    }
  });

  it('serves a custom base path only', async () => {
    const sim = await startSimulator({ basePath: '/scim/v2' });
    try {
      const token = await requestToken(sim);
      const headers = { authorization: `Bearer ${token}` };
      expect((await fetch(`${sim.url}/scim/v2/Users`, { headers })).status).toBe(200);
      expect((await fetch(`${sim.url}/api/v2/scim/v2/Users`, { headers })).status).toBe(404);
    } finally {
      await sim.close();
    }
  });

  it('refuses invalid options at once', async () => {
    await expect(startSimulator({ rateLimitPerMinute: 0 })).rejects.toMatchObject({
      code: 'invalid_sim_options',
    });
    await expect(startSimulator({ faults: { serverErrorRate: 3 } })).rejects.toMatchObject({
      code: 'invalid_sim_options',
    });
  });

  it('closes promptly with a request waiting out a long latency, and twice without harm', async () => {
    const sim = await startSimulator({ latencyMs: 60_000 });
    const token = await requestToken(sim);
    const pending = fetch(`${sim.scimUrl}/Users`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.status,
      () => 'reset',
    );
    const started = performance.now();
    await Promise.all([sim.close(), sim.close()]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect([503, 'reset']).toContain(await pending);
    await expect(fetch(`${sim.url}/healthz`)).rejects.toThrow();
  });

  it('reports a port already in use', async () => {
    const first = await startSimulator();
    try {
      await expect(startSimulator({ port: first.port })).rejects.toMatchObject({ code: 'sim_listen_failed' });
    } finally {
      await first.close();
    }
  });
});
