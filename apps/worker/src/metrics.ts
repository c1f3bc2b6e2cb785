import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  people: Counter<'outcome'>;
  jobs: Counter<'name' | 'result'>;
  requests: Counter<'route' | 'status'>;
  requestSeconds: Histogram<'route'>;
  rateLimited: Counter;
  conflicts: Counter;
  quarantined: Gauge;
  queueLagSeconds: Histogram;
  budgetWaitSeconds: Histogram;
}

/** Prometheus metrics of a worker process. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dirsync_worker_' });
  const registers = [registry];
  return {
    registry,
    people: new Counter({
      name: 'dirsync_sync_people_total',
      help: 'People synced, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
    jobs: new Counter({
      name: 'dirsync_sync_jobs_total',
      help: 'Jobs finished, by name and result (completed, retry, deferred, failed, quarantined, interrupted)',
      labelNames: ['name', 'result'] as const,
      registers,
    }),
    requests: new Counter({
      name: 'dirsync_scim_requests_total',
      help: 'SCIM requests to the target, by route and status',
      labelNames: ['route', 'status'] as const,
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'dirsync_scim_request_duration_seconds',
      help: 'SCIM request latency',
      labelNames: ['route'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    rateLimited: new Counter({
      name: 'dirsync_scim_429_total',
      help: '429 answers from the target',
      registers,
    }),
    conflicts: new Counter({
      name: 'dirsync_scim_conflicts_total',
      help: 'Version conflicts answered by the target (400 invalidVers, 412, 409)',
      registers,
    }),
    quarantined: new Gauge({
      name: 'dirsync_sync_quarantined',
      help: '1 while the sync is quarantined (target refusing everyone), else 0',
      registers,
    }),
    queueLagSeconds: new Histogram({
      name: 'dirsync_sync_queue_lag_seconds',
      help: 'Time from a job being queued to a worker starting it',
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    }),
    budgetWaitSeconds: new Histogram({
      name: 'dirsync_budget_wait_seconds',
      help: 'Time a SCIM request waited for the shared request budget',
      buckets: [0, 0.01, 0.1, 0.5, 1, 5, 15, 60],
      registers,
    }),
  };
}

/**
 * `/metrics` and `/healthz` on their own port and interface (`METRICS_HOST`: an internal one keeps them off the
 * public network); resolves with the bound address and port.
 */
export async function serveMetrics(
  registry: Registry,
  listen: { host: string; port: number },
  healthy: () => Promise<Record<string, unknown>>,
): Promise<{ server: Server; address: string; port: number }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (url === '/healthz') {
      healthy().then(
        (body) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)),
        () => res.writeHead(503).end(),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return { server, address: bound.address, port: bound.port };
}
