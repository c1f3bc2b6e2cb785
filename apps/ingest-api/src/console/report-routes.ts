import type { ReportStore } from '@dirsync/reports';
import express, { type Router } from 'express';
import { ApiError } from '../api-error.js';
import type { ConsoleChrome } from './layout.js';
import { answer } from './negotiate.js';
import { parseReportQuery } from './report-filters.js';
import { renderReport } from './report-page.js';
import { renderReportList } from './reports-page.js';

/** The page size when none is asked for (ReportStore.list's own default). */
const DEFAULT_LIMIT = 50;

/**
 * `GET /admin/reports` (filterable, latest first; JSON `{reports: [...]}`) and `GET /admin/reports/:id` (the
 * report as stored), each also as an HTML page. These answer whether or not the people pages are wired.
 */
export function reportRoutes(deps: { reports: ReportStore; chrome: ConsoleChrome }): Router {
  const router = express.Router();

  router.get('/reports', async (req, res) => {
    const { filter, text } = parseReportQuery(req.query);
    const limit = filter.limit ?? DEFAULT_LIMIT;
    const view = { reports: await deps.reports.list({ ...filter, limit }) };
    answer(req, res, view, (v) => renderReportList(deps.chrome, v, text, limit));
  });

  router.get('/reports/:id', async (req, res) => {
    const report = await deps.reports.get(req.params.id);
    if (!report) {
      throw new ApiError(404, 'not_found', 'no report with that id (reports expire after the retention)');
    }
    answer(req, res, report, (r) => renderReport(deps.chrome, r));
  });

  return router;
}
