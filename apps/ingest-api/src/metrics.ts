import type { Queue } from 'bullmq';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  webhookEvents: Counter<'result'>;
  enqueueSeconds: Histogram;
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'completed'] as const;

/** Prometheus metrics of the ingest API: requests by route and status, events by result, enqueue latency, queues. */
export function createApiMetrics(queues: Queue[]): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'dirsync_api_' });
  const httpRequests = new Counter({
    name: 'dirsync_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const webhookEvents = new Counter({
    name: 'dirsync_webhook_events_total',
    help: 'Webhook events by result: accepted, duplicate, stale, rejected',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  // Every result's series exists from the start, so intake only counts results that happened.
  for (const result of ['accepted', 'duplicate', 'stale', 'rejected']) webhookEvents.inc({ result }, 0);
  const enqueueSeconds = new Histogram({
    name: 'dirsync_enqueue_duration_seconds',
    help: 'Time from a validated webhook to Redis acknowledging its state and jobs',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'dirsync_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        try {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        } catch {
          // Redis away: report nothing rather than fail the whole scrape.
        }
      }
    },
  });
  return { registry, httpRequests, webhookEvents, enqueueSeconds };
}
