import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@dirsync/core';
import { ReportStore } from '@dirsync/reports';
import type { ConsoleReader, OverviewView, PeopleSearchView, PersonView } from '@dirsync/sync';
import type { Redis } from 'ioredis';
import { createApp } from '../src/app.js';
import { listen } from '../src/listen.js';
import { createApiMetrics } from '../src/metrics.js';
import type { ReconcileStart } from '../src/routes/admin.js';
import { SignatureVerifier } from '../src/webhook-signature.js';
import { ADMIN, SECRET } from './harness.js';

/** An HR value that runs script if any page writes it unescaped. */
export const XSS = '<img src=x onerror=alert(1)>';
export const XSS_ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';
/** An externalId that breaks out of any attribute written without escaping quotes. */
export const QUOTED_ID = `HR-"q'`;

export const AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
/** What a browser sends when it navigates to a page. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const AT = Date.parse('2026-11-28T10:00:00Z');

const OVERVIEW: OverviewView = {
  generatedAt: new Date(AT).toISOString(),
  backlog: { waiting: 12, active: 2, delayed: 3, failed: 1, prioritized: 0 },
  throughput: {
    hour: Array.from({ length: 60 }, (_, i) => ({
      at: new Date(AT - (60 - i) * 60_000).toISOString(),
      counts: i % 7 === 0 ? { created: 2, updated: 1, failed: i === 56 ? 1 : 0 } : {},
    })),
    day: Array.from({ length: 24 }, (_, i) => ({
      at: new Date(AT - (24 - i) * 3_600_000).toISOString(),
      counts: { updated: i, unchanged: 3 },
    })),
  },
  budget: { usedLastMinute: 47, limitPerMinute: 100, rateLimited429LastHour: 2 },
  quarantine: {
    active: true,
    cause: `target 401 after token refresh ${XSS}`,
    since: new Date(AT - 600_000).toISOString(),
  },
  failedPeople: 1,
  lastReconcile: {
    reportId: 'reconcile-1',
    generatedAt: new Date(AT - 3_600_000).toISOString(),
    dryRun: true,
    drift: { orphan_in_target: 3, attribute_drift: 1 },
    brake: { held: true, wouldDeactivate: 3 },
  },
};

function personView(externalId: string, displayName: string): PersonView {
  return {
    externalId,
    hr: {
      event: 'user.updated',
      occurredAt: new Date(AT - 120_000).toISOString(),
      receivedAt: new Date(AT - 119_000).toISOString(),
      active: true,
      rev: 3,
      appliedRev: 2,
      failedRev: 3,
      data: {
        externalId,
        displayName,
        firstName: displayName,
        title: XSS,
        role: 'supervisor',
        departmentCode: 'Sales',
      },
    },
    target: {
      source: 'cache',
      scimId: 'scim-1',
      version: 'W/"3"',
      syncedAt: new Date(AT - 300_000).toISOString(),
      user: {
        id: 'scim-1',
        externalId,
        userName: 'maria@example.com',
        displayName,
        active: true,
        emails: [{ value: 'maria@example.com', type: 'work', primary: true }],
      },
    },
    pending: {
      outcome: 'updated',
      requests: [
        { method: 'GET', path: '/Users/scim-1', sent: true },
        {
          method: 'PATCH',
          path: '/Users/scim-1',
          ifMatch: 'W/"3"',
          body: { Operations: [{ op: 'replace', path: 'title', value: XSS }] },
          sent: false,
        },
      ],
    },
    failedJobs: [
      { jobId: 'person-abc', code: 'policy_violation', message: `role not allowed: ${XSS}`, attempts: 1 },
    ],
    scheduled: [
      {
        dueAt: new Date(AT + 86_400_000).toISOString(),
        effectiveAt: '2026-11-29',
        kind: 'update',
        fields: ['title'],
      },
    ],
    timeline: [
      {
        kind: 'failed',
        at: AT - 60_000,
        jobId: 'person-abc',
        code: 'policy_violation',
        message: XSS,
        attempts: 1,
        final: true,
      },
      {
        kind: 'sync',
        at: AT - 90_000,
        outcome: 'updated',
        correlationId: 'evt-2',
        reportId: 'sync-1',
        requests: [
          {
            method: 'PATCH',
            path: '/Users/scim-1',
            status: 200,
            durationMs: 41,
            correlationId: 'evt-2',
            targetCorrelationId: 'inin-9',
          },
        ],
        discrepancies: [{ type: 'attribute_refused', field: 'title', detail: `refused ${XSS}` }],
      },
      {
        kind: 'event',
        at: AT - 100_000,
        eventId: 'evt-2',
        type: 'user.updated',
        occurredAt: new Date(AT - 101_000).toISOString(),
        status: 'accepted',
      },
      {
        kind: 'reconcile',
        at: AT - 200_000,
        reportId: 'reconcile-1',
        type: 'attribute_drift',
        field: 'title',
        applied: false,
      },
      { kind: 'resync', at: AT - 300_000, by: 'operator', jobId: 'resync-1' },
    ],
  };
}

/** A ConsoleReader over fixed views (a rendering fixture, not the product's reader), recording what it was asked. */
export class FixedConsoleReader implements ConsoleReader {
  readonly people = new Map<string, PersonView>();
  readonly calls: string[] = [];
  failLive: Error | undefined;

  constructor() {
    for (const [id, name] of [
      ['HR-1', 'Maria Garcia'],
      ['HR-X', XSS],
      [QUOTED_ID, `Quote "double" 'single'`],
    ] as const) {
      this.people.set(id, personView(id, name));
    }
  }

  async overview(): Promise<OverviewView> {
    return OVERVIEW;
  }

  async search(q: string, limit = 50): Promise<PeopleSearchView> {
    this.calls.push(`search:${q}`);
    const needle = q.toLowerCase();
    const results = [...this.people.values()]
      .filter(
        (p) =>
          p.externalId.toLowerCase().startsWith(needle) ||
          String(p.hr?.data.displayName).toLowerCase().includes(needle),
      )
      .map((p) => ({
        externalId: p.externalId,
        displayName: String(p.hr?.data.displayName),
        userName: p.target?.user?.userName,
        active: true,
        state: 'failed' as const,
      }));
    return { q, results: results.slice(0, limit), truncated: results.length > limit };
  }

  async person(externalId: string, options: { live?: boolean } = {}): Promise<PersonView | undefined> {
    this.calls.push(`person:${externalId}${options.live ? ':live' : ''}`);
    const view = this.people.get(externalId);
    if (!view || !options.live) return view;
    if (this.failLive) throw this.failLive;
    return { ...view, target: view.target && { ...view.target, source: 'live' } };
  }

  async resync(externalId: string): Promise<{ jobId: string } | undefined> {
    this.calls.push(`resync:${externalId}`);
    return this.people.has(externalId) ? { jobId: `resync-${externalId}` } : undefined;
  }

  async retryFailed(externalId: string): Promise<{ retried: string[] }> {
    this.calls.push(`retry:${externalId}`);
    return { retried: this.people.get(externalId)?.failedJobs.map((j) => j.jobId) ?? [] };
  }
}

export interface ConsoleApp {
  url: string;
  port: number;
  reports: ReportStore;
  reconcileRequests: unknown[];
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The real Express app (createApp) on a real socket, with the test's Redis for reports and a fixed reader; the
 * deps the console does not touch (intake, preview, index builds) are inert.
 */
export async function startConsoleApp(
  redis: Redis,
  prefix: string,
  reader: ConsoleReader | undefined,
): Promise<ConsoleApp> {
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const reports = new ReportStore({ redis, prefix, retentionDays: 30 });
  const reconcileRequests: unknown[] = [];
  const app = createApp({
    logger: createLogger({ level: 'debug', stream }),
    redis,
    queues: [],
    ingest: {
      accept: async () => {
        throw new Error('the console tests send no webhooks');
      },
    },
    reports,
    verifier: new SignatureVerifier([SECRET]),
    metrics: createApiMetrics([]),
    admin: { user: ADMIN.user, password: ADMIN.password },
    preview: undefined,
    startReconcile: async (request): Promise<ReconcileStart> => {
      reconcileRequests.push(request);
      return { status: 'started', jobId: `reconcile-${reconcileRequests.length}` };
    },
    startIndexBuild: async () => ({ status: 'started', jobId: 'index-1' }),
    status: async () => ({}),
    ...(reader ? { consoleReader: reader } : {}),
  });
  const server = await listen(app, 0, '127.0.0.1', 10_000);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    reports,
    reconcileRequests,
    logLines,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Holds a page to the escaping rules: every tag well-formed with double-quoted attributes (so no value broke out
 * of one), no event-handler or style attribute, no `<` or `>` outside tags, and scripts only as empty elements
 * loading /admin/console/. Returns the problems found (none: the page passes).
 */
export function markupProblems(page: string): string[] {
  const problems: string[] = [];
  const tag = /<[^>]*>/g;
  for (const [text] of page.matchAll(tag)) {
    if (/^<!doctype html>$/i.test(text) || /^<\/[a-z][a-z0-9-]*>$/i.test(text)) continue;
    const match = /^<([a-z][a-z0-9-]*)((?:\s+[a-z][a-z0-9:-]*(?:="[^"<>`']*")?)*)\s*\/?>$/i.exec(text);
    if (!match) {
      problems.push(`malformed tag: ${text}`);
      continue;
    }
    const [, name = '', attributes = ''] = match;
    for (const [, attribute = ''] of attributes.matchAll(/\s+([a-z][a-z0-9:-]*)(?:="[^"]*")?/gi)) {
      if (/^on/i.test(attribute) || attribute.toLowerCase() === 'style') {
        problems.push(`attribute ${attribute} in ${text}`);
      }
    }
    if (name.toLowerCase() === 'script' && !/\ssrc="\/admin\/console\/[^"]+"/.test(attributes)) {
      problems.push(`script not from /admin/console/: ${text}`);
    }
  }
  for (const [, body = ''] of page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    if (body.trim() !== '') problems.push('inline script');
  }
  const text = page.replace(tag, '');
  if (/[<>]/.test(text))
    problems.push(
      `a bare < or > in text: …${text.slice(Math.max(0, text.search(/[<>]/) - 40), text.search(/[<>]/) + 40)}…`,
    );
  return problems;
}
