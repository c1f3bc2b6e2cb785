import { DirsyncError } from '@dirsync/core';
import type { ConsoleReader, PeopleSearchView, PersonView } from '@dirsync/sync';
import express, { type Request, type Router } from 'express';
import { ApiError } from '../api-error.js';
import type { ConsoleChrome } from './layout.js';
import { answer } from './negotiate.js';
import { renderOverview } from './overview-page.js';
import { renderPeopleSearch } from './people-page.js';
import { renderPerson } from './person-page.js';

const MAX_QUERY = 200;
const MAX_EXTERNAL_ID = 256;

function personNotFound(): ApiError {
  return new ApiError(
    404,
    'person_not_found',
    'no such person: HR never sent this externalId and the worker never saw it',
  );
}

function externalIdOf(req: Request): string {
  const id = String(req.params.externalId ?? '');
  if (id.length > MAX_EXTERNAL_ID) {
    throw new ApiError(400, 'invalid_external_id', `an externalId has at most ${MAX_EXTERNAL_ID} characters`);
  }
  return id;
}

function searchQuery(req: Request): { q: string; limit: number } {
  const { q = '', limit = '50' } = req.query;
  if (typeof q !== 'string') throw new ApiError(400, 'invalid_query', 'q must be given once, as text');
  if (q.length > MAX_QUERY) throw new ApiError(400, 'invalid_query', `q has at most ${MAX_QUERY} characters`);
  const n = typeof limit === 'string' ? Number(limit) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 200) {
    throw new ApiError(400, 'invalid_query', 'limit must be a whole number from 1 to 200');
  }
  return { q: q.trim(), limit: n };
}

/** The live read spends a target request and may fail like any: a 502 naming the target's error. */
async function readLive(reader: ConsoleReader, externalId: string): Promise<PersonView | undefined> {
  try {
    return await reader.person(externalId, { live: true });
  } catch (error) {
    if (error instanceof DirsyncError && !(error instanceof ApiError)) {
      throw new ApiError(
        502,
        'live_read_failed',
        `reading the target failed: ${error.code}: ${error.message}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/**
 * The operator console's people pages under `/admin` (authentication and the write guard are the caller's):
 * overview, search, a person's page, and the person's buttons (re-sync, retry, read live). Each GET answers
 * HTML to a browser and JSON otherwise (see negotiate.ts).
 */
export function consoleRoutes(deps: { reader: ConsoleReader; chrome: ConsoleChrome }): Router {
  const { reader, chrome } = deps;
  const router = express.Router();
  // The buttons' bodies are `{}`: parsed (on these routes only) so that a malformed one is a 400, never read.
  const json = express.json({ limit: '16kb' });

  router.get('/', async (req, res) => {
    answer(req, res, await reader.overview(), (view) => renderOverview(chrome, view));
  });

  router.get('/people', async (req, res) => {
    const { q, limit } = searchQuery(req);
    const view: PeopleSearchView =
      q === '' ? { q, results: [], truncated: false } : await reader.search(q, limit);
    answer(req, res, view, (v) => renderPeopleSearch(chrome, v));
  });

  router.get('/people/:externalId', async (req, res) => {
    const view = await reader.person(externalIdOf(req));
    if (!view) throw personNotFound();
    answer(req, res, view, (v) => renderPerson(chrome, v));
  });

  router.post('/people/:externalId/read-live', json, async (req, res) => {
    const view = await readLive(reader, externalIdOf(req));
    if (!view) throw personNotFound();
    answer(req, res, view, (v) => renderPerson(chrome, v));
  });

  router.post('/people/:externalId/resync', json, async (req, res) => {
    const started = await reader.resync(externalIdOf(req));
    if (!started) throw personNotFound();
    res.status(202).json({ jobId: started.jobId });
  });

  router.post('/people/:externalId/retry', json, async (req, res) => {
    const { retried } = await reader.retryFailed(externalIdOf(req));
    res.status(202).json({ retried });
  });

  return router;
}
