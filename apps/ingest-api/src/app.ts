import type { Logger } from '@dirsync/core';
import type { ReportStore } from '@dirsync/reports';
import type { ConsoleReader } from '@dirsync/sync';
import type { Queue } from 'bullmq';
import express, { type Express } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { adminAuth } from './admin-auth.js';
import { adminHeaders } from './admin-headers.js';
import { guardAdminWrites } from './admin-write-guard.js';
import { errorHandler } from './api-error.js';
import type { AuthThrottle } from './auth-throttle.js';
import { rejectOversizedBodies } from './body-size-limit.js';
import { consoleAssetsRouter } from './console/assets.js';
import { consoleRoutes } from './console/console-routes.js';
import { htmlErrors, htmlNotFound } from './console/html-errors.js';
import type { ConsoleChrome } from './console/layout.js';
import { reportRoutes } from './console/report-routes.js';
import { createDashboard } from './dashboard.js';
import type { IndexBuildStart } from './index-trigger.js';
import type { IngestService } from './ingest-service.js';
import type { ApiMetrics } from './metrics.js';
import {
  adminRouter,
  type ListScheduled,
  type PreviewEvent,
  type ReconcileOrder,
  type ReconcileStart,
} from './routes/admin.js';
import { adminIndexRouter } from './routes/admin-index.js';
import { healthRouter } from './routes/health.js';
import { type DeliveryLog, WEBHOOK_PATH, webhookRouter } from './routes/webhook.js';
import type { SignatureVerifier } from './webhook-signature.js';

export interface AppDeps {
  logger: Logger;
  redis: Redis | Cluster;
  queues: Array<{ queue: Queue; displayName: string; describe: () => string }>;
  /** The intake: an IngestService, or a ReplicaAck in front of them when replicas must confirm. */
  ingest: Pick<IngestService, 'accept'>;
  reports: ReportStore;
  verifier: SignatureVerifier;
  metrics: ApiMetrics;
  admin: { user: string | undefined; password: string | undefined; throttle?: AuthThrottle };
  preview: PreviewEvent | undefined;
  previewUnavailable?: string;
  startReconcile: (order: ReconcileOrder) => Promise<ReconcileStart>;
  startIndexBuild: () => Promise<IndexBuildStart>;
  status: () => Promise<Record<string, unknown>>;
  /** IANA zone of `effectiveAt` dates (`HR_TIMEZONE`; default UTC). */
  timeZone?: string;
  /** `GET /admin/scheduled`: pending effective-dated changes (absent: 404). */
  scheduled?: ListScheduled;
  /** The operator console's engine side (overview, people, buttons); absent: those pages answer 404. */
  consoleReader?: ConsoleReader;
}

/** Low-cardinality route label for metrics and logs. */
function routeLabel(path: string): string {
  if (path.startsWith('/admin/queues')) return '/admin/queues';
  if (path.startsWith('/admin/reports/')) return '/admin/reports/:id';
  if (path.startsWith('/admin/console/')) return '/admin/console';
  if (path.startsWith('/admin/people/')) {
    const action = /^\/admin\/people\/[^/]+\/(resync|retry|read-live)$/.exec(path)?.[1];
    return action ? `/admin/people/:id/${action}` : '/admin/people/:id';
  }
  if (path === '/admin/') return '/admin';
  return [
    '/admin',
    '/admin/people',
    '/webhooks/directory-sync',
    '/healthz',
    '/readyz',
    '/metrics',
    '/admin/reports',
    '/admin/preview',
    '/admin/reconcile',
    '/admin/index',
    '/admin/status',
    '/admin/scheduled',
  ].includes(path)
    ? path
    : 'other';
}

/** The ingest API as an Express app (no listening socket: see startIngestApi). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    // Taken before routing: a router mounted at a path (`/admin`) strips it from req.path until it hands on.
    const path = req.path;
    res.on('finish', () => {
      const route = routeLabel(path);
      deps.metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      if (route === '/metrics' || route === '/healthz' || route === '/readyz') return;
      // One line per request; webhook deliveries at info (what an operator traces), the rest at http. A line
      // below the level costs nothing: no fields gathered, nothing formatted.
      const level = res.statusCode >= 500 ? 'warn' : route === WEBHOOK_PATH ? 'info' : 'http';
      if (!deps.logger.isLevelEnabled(level)) return;
      const header = req.headers['webhook-id'];
      const delivery: DeliveryLog | undefined = res.locals.delivery;
      deps.logger.log(level, 'request', {
        method: req.method,
        route,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        webhookId: typeof header === 'string' ? header : undefined,
        error: res.locals.errorCode,
        events: delivery?.events,
        accepted: delivery?.accepted,
        duplicates: delivery?.duplicates,
        stale: delivery?.stale,
        jobs: delivery?.jobs,
      });
    });
    next();
  });

  app.use(rejectOversizedBodies);
  // Deliveries are the hot path: their route is matched first.
  app.use(
    webhookRouter({
      verifier: deps.verifier,
      ingest: deps.ingest,
      metrics: deps.metrics,
      logger: deps.logger,
      timeZone: deps.timeZone,
    }),
  );
  app.use(healthRouter({ redis: deps.redis, registry: deps.metrics.registry }));

  const auth = adminAuth(deps.admin);
  app.use('/admin', adminHeaders);
  app.use(
    '/admin/queues',
    auth,
    guardAdminWrites({ allowEmptyBody: true }),
    createDashboard({ basePath: '/admin/queues', queues: deps.queues }),
  );
  const chrome: ConsoleChrome = { peoplePages: deps.consoleReader !== undefined };
  app.use(
    '/admin',
    auth,
    guardAdminWrites(),
    consoleAssetsRouter(),
    reportRoutes({ reports: deps.reports, chrome }),
    deps.consoleReader ? [consoleRoutes({ reader: deps.consoleReader, chrome })] : [],
    adminIndexRouter({ startIndexBuild: deps.startIndexBuild }),
    adminRouter({
      preview: deps.preview,
      previewUnavailable: deps.previewUnavailable,
      startReconcile: deps.startReconcile,
      status: deps.status,
      scheduled: deps.scheduled,
    }),
    htmlNotFound(),
    htmlErrors(chrome, deps.logger),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such route' } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
