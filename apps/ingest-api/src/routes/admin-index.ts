import express, { type Router } from 'express';
import { ApiError } from '../api-error.js';
import type { IndexBuildStart } from '../index-trigger.js';

/** `POST /admin/index`: build the directory index (authentication and the write guard are applied by the caller). */
export function adminIndexRouter(deps: { startIndexBuild: () => Promise<IndexBuildStart> }): Router {
  const router = express.Router();
  router.post('/index', express.json({ limit: '1kb' }), async (req, res) => {
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length > 0) {
      throw new ApiError(400, 'invalid_request', 'expected an empty JSON object {}');
    }
    const started = await deps.startIndexBuild();
    if (started.status === 'running') {
      throw new ApiError(409, 'index_build_running', 'a directory index build is already queued or running', {
        details: { jobId: started.jobId },
      });
    }
    res.status(202).json({ jobId: started.jobId });
  });
  return router;
}
