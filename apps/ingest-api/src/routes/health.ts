import express, { type Router } from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { Registry } from 'prom-client';

export function healthRouter(deps: { redis: Redis | Cluster; registry: Registry }): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.redis.ping();
      res.json({ status: 'ready', redis: 'ok' });
    } catch {
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable', redis: 'unreachable' });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.registry.contentType).send(await deps.registry.metrics());
  });
  return router;
}
