import {
  type DiscrepancyType,
  DRIFT_DISCREPANCY_TYPES,
  type ReportFilter,
  SYNC_DISCREPANCY_TYPES,
} from '@dirsync/reports';
import type { Request } from 'express';
import { ApiError } from '../api-error.js';

export const DISCREPANCY_TYPES: readonly DiscrepancyType[] = [
  ...SYNC_DISCREPANCY_TYPES,
  ...DRIFT_DISCREPANCY_TYPES,
];

/** A narrow filter (by content, not time) reads at most this many reports, newest first. */
export const FILTER_SCAN_LIMIT = 10_000;

/** The query parameters of `GET /admin/reports`, as the form echoes them back. */
export interface ReportQueryText {
  kind: string;
  since: string;
  before: string;
  hasDiscrepancies: string;
  type: string;
  externalId: string;
  limit: string;
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid_query', message);
}

/** One query parameter as text: absent and empty are the same (a GET form sends its empty fields). */
function single(query: Request['query'], name: keyof ReportQueryText): string {
  const value = query[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw invalid(`${name} must be given once, as text`);
  return value.trim();
}

/** An ISO-8601 date or date-time; one without an offset is read as UTC (not the server's zone). */
function parseTime(name: string, text: string): number {
  const zoned = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(text) ? `${text}Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(zoned) ? Date.parse(zoned) : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(`${name} must be an ISO-8601 date-time (e.g. 2026-11-28T09:00:00Z)`);
  return ms;
}

function parseNarrowing(text: ReportQueryText, filter: ReportFilter): void {
  if (text.hasDiscrepancies !== '') {
    if (text.hasDiscrepancies !== 'true' && text.hasDiscrepancies !== 'false') {
      throw invalid('hasDiscrepancies must be true or false');
    }
    filter.hasDiscrepancies = text.hasDiscrepancies === 'true';
  }
  if (text.type !== '') {
    if (!(DISCREPANCY_TYPES as readonly string[]).includes(text.type)) {
      throw invalid(`type must be one of ${DISCREPANCY_TYPES.join(', ')}`);
    }
    filter.discrepancyType = text.type as DiscrepancyType;
  }
  if (text.externalId !== '') {
    if (text.externalId.length > 256) throw invalid('externalId must be at most 256 characters');
    filter.externalId = text.externalId;
  }
  if (filter.hasDiscrepancies !== undefined || filter.discrepancyType || filter.externalId) {
    filter.scanLimit = FILTER_SCAN_LIMIT;
  }
}

/**
 * `kind`, `since`, `before` (ISO-8601), `hasDiscrepancies` (true|false), `type` (a discrepancy type),
 * `externalId` (a person) and `limit` (1–500): each checked, each a 400 `invalid_query` naming what is wrong.
 */
export function parseReportQuery(query: Request['query']): { filter: ReportFilter; text: ReportQueryText } {
  const text: ReportQueryText = {
    kind: single(query, 'kind'),
    since: single(query, 'since'),
    before: single(query, 'before'),
    hasDiscrepancies: single(query, 'hasDiscrepancies'),
    type: single(query, 'type'),
    externalId: single(query, 'externalId'),
    limit: single(query, 'limit'),
  };
  const filter: ReportFilter = {};
  if (text.limit !== '') {
    const limit = Number(text.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw invalid('limit must be a whole number from 1 to 500');
    }
    filter.limit = limit;
  }
  if (text.before !== '') filter.before = parseTime('before', text.before);
  if (text.since !== '') filter.since = parseTime('since', text.since);
  if (filter.since !== undefined && filter.before !== undefined && filter.since >= filter.before) {
    throw invalid('since must be earlier than before');
  }
  if (text.kind !== '') {
    if (text.kind !== 'sync' && text.kind !== 'reconcile') throw invalid('kind must be sync or reconcile');
    filter.kind = text.kind;
  }
  parseNarrowing(text, filter);
  return { filter, text };
}
