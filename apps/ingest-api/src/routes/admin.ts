import { type HrEvent, hrEventSchema, reconcileRequestSchema } from '@dirsync/contracts';
import { describeIssues } from '@dirsync/core';
import express, { type Router } from 'express';
import { ApiError } from '../api-error.js';

/** What `POST /admin/preview` runs: an event in, the requests that would go out; nothing applied. */
export type PreviewEvent = (event: HrEvent) => Promise<unknown>;

/** What `GET /admin/scheduled` lists: pending effective-dated changes by due time. */
export type ListScheduled = (options: { limit: number; offset: number }) => Promise<unknown>;

/** A reconcile run as the API orders it (the body of `POST /admin/reconcile`, validated). */
export interface ReconcileOrder {
  apply: boolean;
  overrideBrake: boolean;
  /** With `overrideBrake`: the deactivations the operator confirmed. */
  expectedDeactivations?: number;
}

export type ReconcileStart =
  | { status: 'started'; jobId: string }
  | { status: 'running'; jobId: string }
  | { status: 'unconfigured'; message: string }
  /** Not started: the override's number does not match the latest report (409). */
  | { status: 'refused'; code: string; message: string; details: Record<string, unknown> };

export interface AdminRouterDeps {
  preview: PreviewEvent | undefined;
  /** Why preview is unavailable (e.g. no target credentials). */
  previewUnavailable?: string;
  startReconcile: (order: ReconcileOrder) => Promise<ReconcileStart>;
  status: () => Promise<Record<string, unknown>>;
  scheduled?: ListScheduled | undefined;
}

/**
 * The operators' JSON routes under /admin (authentication is applied by the caller). The reports routes live
 * with the console (console/report-routes.ts): they answer HTML pages too.
 */
export function adminRouter(deps: AdminRouterDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  router.post('/preview', async (req, res) => {
    if (!deps.preview) {
      throw new ApiError(503, 'preview_unavailable', deps.previewUnavailable ?? 'preview is not configured');
    }
    const parsed = hrEventSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new ApiError(400, 'invalid_event', 'the body must be one HR event', {
        details: describeIssues(parsed.error.issues, { whole: '(body)' }),
      });
    }
    res.json(await deps.preview(parsed.data));
  });

  router.post('/reconcile', async (req, res) => {
    const parsed = reconcileRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new ApiError(
        400,
        'invalid_request',
        'expected {}, {"apply": true} or {"apply": true, "overrideBrake": true, "expectedDeactivations": n} (n: the deactivations the last dry run reported)',
        { details: describeIssues(parsed.error.issues, { whole: '(body)' }) },
      );
    }
    const { apply = false, overrideBrake = false, expectedDeactivations } = parsed.data;
    const order: ReconcileOrder = { apply, overrideBrake };
    if (expectedDeactivations !== undefined) order.expectedDeactivations = expectedDeactivations;
    const started = await deps.startReconcile(order);
    if (started.status === 'unconfigured') throw new ApiError(400, 'reconcile_unconfigured', started.message);
    if (started.status === 'running') {
      throw new ApiError(409, 'reconcile_running', 'a reconcile run is already queued or running', {
        details: { jobId: started.jobId },
      });
    }
    if (started.status === 'refused') {
      throw new ApiError(409, started.code, started.message, { details: started.details });
    }
    res.status(202).json({ jobId: started.jobId });
  });

  router.get('/scheduled', async (req, res) => {
    if (!deps.scheduled) throw new ApiError(404, 'not_found', 'no such route');
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ApiError(400, 'invalid_query', 'limit must be a whole number from 1 to 1000');
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new ApiError(400, 'invalid_query', 'offset must be a whole number, 0 or more');
    }
    res.json(await deps.scheduled({ limit, offset }));
  });

  router.get('/status', async (_req, res) => {
    res.json(await deps.status());
  });

  return router;
}
