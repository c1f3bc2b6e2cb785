import { DirsyncError } from '@dirsync/core';
import { ReportBuilder } from '@dirsync/reports';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import {
  AUTH,
  BROWSER_ACCEPT,
  type ConsoleApp,
  FixedConsoleReader,
  markupProblems,
  startConsoleApp,
} from './console-harness.js';

async function post(
  app: ConsoleApp,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; type: string; json: Record<string, unknown> | undefined; text: string }> {
  const res = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json', ...options.headers },
    body: options.body ?? '{}',
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', json, text };
}

const code = (answer: { json: Record<string, unknown> | undefined }) =>
  (answer.json?.error as { code?: string } | undefined)?.code;

async function getJson(app: ConsoleApp, path: string, accept = 'application/json') {
  const res = await fetch(`${app.url}${path}`, { headers: { authorization: AUTH, accept } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('console actions', () => {
  redisTest(
    're-sync, retry and read live: 202/200 for a known person, 404 for an unknown one',
    async ({ redis, prefix }) => {
      const reader = new FixedConsoleReader();
      const app = await startConsoleApp(redis, prefix, reader);
      try {
        // As console.js sends them: same-origin Origin and Sec-Fetch-Site, JSON, the console's header.
        const browser = {
          origin: app.url,
          'sec-fetch-site': 'same-origin',
          'x-requested-with': 'dirsync-console',
        };
        const resync = await post(app, '/admin/people/HR-1/resync', { headers: browser });
        expect(resync).toMatchObject({ status: 202, json: { jobId: 'resync-HR-1' } });
        const retry = await post(app, '/admin/people/HR-1/retry', { headers: browser });
        expect(retry).toMatchObject({ status: 202, json: { retried: ['person-abc'] } });
        const live = await post(app, '/admin/people/HR-1/read-live', { headers: browser });
        expect(live.status).toBe(200);
        expect(live.json).toMatchObject({ externalId: 'HR-1', target: { source: 'live' } });
        const livePage = await post(app, '/admin/people/HR-1/read-live', {
          headers: { ...browser, accept: 'text/html' },
        });
        expect(livePage.type).toMatch(/^text\/html/);
        expect(livePage.text).toMatch(
          /data-testid="target-source"><span class="badge tone-info">live<\/span>/,
        );
        expect(markupProblems(livePage.text)).toEqual([]);
        // A script with Basic auth alone (no Origin, no Sec-Fetch-Site) needs nothing more.
        expect((await post(app, '/admin/people/HR-1/resync')).status).toBe(202);
        expect(reader.calls).toEqual([
          'resync:HR-1',
          'retry:HR-1',
          'person:HR-1:live',
          'person:HR-1:live',
          'resync:HR-1',
        ]);

        expect(code(await post(app, '/admin/people/NOPE/resync'))).toBe('person_not_found');
        expect((await post(app, '/admin/people/NOPE/resync')).status).toBe(404);
        expect((await post(app, '/admin/people/NOPE/read-live')).status).toBe(404);
        expect(await post(app, '/admin/people/NOPE/retry')).toMatchObject({
          status: 202,
          json: { retried: [] },
        });
        const unknown = await getJson(app, '/admin/people/NOPE');
        expect(unknown.status).toBe(404);
        expect(JSON.parse(unknown.text)).toEqual({
          error: { code: 'person_not_found', message: expect.stringContaining('no such person') },
        });
        const unknownPage = await getJson(app, '/admin/people/NOPE', BROWSER_ACCEPT);
        expect(unknownPage.status).toBe(404);
        expect(unknownPage.type).toMatch(/^text\/html/);
        expect(unknownPage.text).toContain('404 · person_not_found');
        expect(markupProblems(unknownPage.text)).toEqual([]);
        expect((await getJson(app, `/admin/people/${'x'.repeat(300)}`)).status).toBe(400);
      } finally {
        await app.close();
      }
    },
  );

  redisTest(
    'a failed live read is a 502 naming the target error, in either form',
    async ({ redis, prefix }) => {
      const reader = new FixedConsoleReader();
      reader.failLive = new DirsyncError('target_unavailable', 'the target answered 503');
      const app = await startConsoleApp(redis, prefix, reader);
      try {
        const json = await post(app, '/admin/people/HR-1/read-live');
        expect(json.status).toBe(502);
        expect(json.json).toEqual({
          error: {
            code: 'live_read_failed',
            message: 'reading the target failed: target_unavailable: the target answered 503',
          },
        });
        const page = await post(app, '/admin/people/HR-1/read-live', { headers: { accept: 'text/html' } });
        expect(page.status).toBe(502);
        expect(page.text).toContain('502 · live_read_failed');
      } finally {
        await app.close();
      }
    },
  );

  redisTest(
    'the write guard covers the console buttons: cross-site 403, non-JSON 415, bad JSON 400',
    async ({ redis, prefix }) => {
      const reader = new FixedConsoleReader();
      const app = await startConsoleApp(redis, prefix, reader);
      try {
        for (const action of ['resync', 'retry', 'read-live']) {
          const path = `/admin/people/HR-1/${action}`;
          const foreign = await post(app, path, { headers: { origin: 'https://attacker.example' } });
          expect(foreign.status, path).toBe(403);
          expect(code(foreign)).toBe('cross_site_request');
          const fetchSite = await post(app, path, { headers: { 'sec-fetch-site': 'cross-site' } });
          expect(fetchSite.status, path).toBe(403);
          // What a cross-site form can send: refused for its type even from this origin.
          const form = await post(app, path, {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'a=1',
          });
          expect(form.status, path).toBe(415);
          expect(code(form)).toBe('unsupported_media_type');
          const bare = await fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: AUTH } });
          expect(bare.status, path).toBe(415);
          const broken = await post(app, path, { body: '{' });
          expect(broken.status, path).toBe(400);
          expect((await fetch(`${app.url}${path}`, { method: 'POST', body: '{}' })).status).toBe(401);
        }
        // None of the refused requests reached the reader.
        expect(reader.calls).toEqual([]);
        // The reconcile buttons' bodies reach the existing route as sent.
        const override = await post(app, '/admin/reconcile', {
          headers: { origin: app.url },
          body: JSON.stringify({ apply: true, overrideBrake: true, expectedDeactivations: 3 }),
        });
        expect(override).toMatchObject({ status: 202, json: { jobId: 'reconcile-1' } });
        expect(app.reconcileRequests).toEqual([
          { apply: true, overrideBrake: true, expectedDeactivations: 3 },
        ]);
      } finally {
        await app.close();
      }
    },
  );

  redisTest(
    'without a reader the people pages are 404 in both forms; reports still answer',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, undefined);
      try {
        for (const path of ['/admin', '/admin/people', '/admin/people/HR-1']) {
          const json = await getJson(app, path);
          expect(json.status, path).toBe(404);
          expect(JSON.parse(json.text)).toEqual({ error: { code: 'not_found', message: 'no such route' } });
          const page = await getJson(app, path, BROWSER_ACCEPT);
          expect(page.status, path).toBe(404);
          expect(page.type, path).toMatch(/^text\/html/);
        }
        expect((await post(app, '/admin/people/HR-1/resync')).status).toBe(404);
        const reports = await getJson(app, '/admin/reports', BROWSER_ACCEPT);
        expect(reports.status).toBe(200);
        expect(reports.text).not.toContain('data-nav="people"');
        expect(reports.text).toContain('data-nav="queues"');
      } finally {
        await app.close();
      }
    },
  );

  redisTest(
    'route labels stay few (no externalId or report id) and name admin routes behind their mount',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
      try {
        await getJson(app, '/admin/people/HR-1');
        await getJson(app, '/admin/people/HR-X', BROWSER_ACCEPT);
        await post(app, '/admin/people/HR-1/resync');
        await getJson(app, '/admin/');
        await getJson(app, '/admin/people?q=maria');
        await getJson(app, '/admin/console/console.css');
        await getJson(app, '/admin/reports?kind=sync');
        await getJson(app, '/admin/reports/some-id');
        const metrics = await (await fetch(`${app.url}/metrics`)).text();
        const routes = new Set(
          [...metrics.matchAll(/dirsync_http_requests_total\{route="([^"]+)"/g)].map((m) => m[1]),
        );
        expect([...routes].sort()).toEqual([
          '/admin',
          '/admin/console',
          '/admin/people',
          '/admin/people/:id',
          '/admin/people/:id/resync',
          '/admin/reports',
          '/admin/reports/:id',
        ]);
      } finally {
        await app.close();
      }
    },
  );
});

describe('report list filters', () => {
  redisTest(
    'each filter narrows; bad values are 400 naming the parameter; the JSON shape is unchanged',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, undefined);
      try {
        const at = (m: number) => new Date(Date.parse('2026-11-28T09:00:00Z') + m * 60_000);
        await app.reports.save(
          new ReportBuilder({ id: 'a', kind: 'sync', now: () => at(0) })
            .record({ externalId: 'HR-1', outcome: 'created' })
            .build(),
        );
        await app.reports.save(
          new ReportBuilder({ id: 'b', kind: 'sync', now: () => at(10) })
            .record({ externalId: 'HR-2', outcome: 'failed' }, [
              { externalId: 'HR-2', correlationId: 'e', type: 'policy_violation', detail: 'role' },
            ])
            .build(),
        );
        await app.reports.save(
          new ReportBuilder({ id: 'c', kind: 'reconcile', now: () => at(20) })
            .addDiscrepancy({
              externalId: 'HR-1',
              correlationId: 'r',
              type: 'attribute_drift',
              detail: 'title',
            })
            .build(),
        );
        const ids = async (query: string) => {
          const res = await getJson(app, `/admin/reports${query}`);
          expect(res.status, query).toBe(200);
          const body = JSON.parse(res.text) as { reports: Array<Record<string, unknown>> };
          expect(Object.keys(body)).toEqual(['reports']);
          return body.reports.map((r) => r.id);
        };
        const all = JSON.parse((await getJson(app, '/admin/reports')).text) as {
          reports: Array<Record<string, unknown>>;
        };
        expect(all.reports[1]).toEqual({
          id: 'b',
          generatedAt: at(10).toISOString(),
          kind: 'sync',
          counts: {
            created: 0,
            updated: 0,
            unchanged: 0,
            deactivated: 0,
            reactivated: 0,
            skipped: 0,
            failed: 1,
          },
          discrepancies: 1,
        });
        expect(await ids('')).toEqual(['c', 'b', 'a']);
        expect(await ids('?kind=sync')).toEqual(['b', 'a']);
        expect(await ids('?since=2026-11-28T09:10:00Z')).toEqual(['c', 'b']);
        // No offset: UTC, whatever the server's zone.
        expect(await ids('?since=2026-11-28T09:10&before=2026-11-28T09:20')).toEqual(['b']);
        expect(await ids(`?before=${encodeURIComponent(at(10).toISOString())}`)).toEqual(['a']);
        expect(await ids('?hasDiscrepancies=true')).toEqual(['c', 'b']);
        expect(await ids('?hasDiscrepancies=false')).toEqual(['a']);
        expect(await ids('?type=attribute_drift')).toEqual(['c']);
        expect(await ids('?externalId=HR-1')).toEqual(['c', 'a']);
        expect(await ids('?externalId=HR-1&kind=sync&limit=1')).toEqual(['a']);
        // A GET form sends its empty fields: empty is absent.
        expect(await ids('?kind=&since=&before=&hasDiscrepancies=&type=&externalId=&limit=')).toEqual([
          'c',
          'b',
          'a',
        ]);

        const bad: Array<[string, RegExp]> = [
          ['?kind=other', /kind must be sync or reconcile/],
          ['?kind=sync&kind=reconcile', /kind must be given once/],
          ['?since=yesterday', /since must be an ISO-8601 date-time/],
          ['?before=2026-13-45', /before must be an ISO-8601 date-time/],
          ['?since=2026-11-28T10:00Z&before=2026-11-28T09:00Z', /since must be earlier than before/],
          ['?hasDiscrepancies=yes', /hasDiscrepancies must be true or false/],
          ['?type=bogus', /type must be one of sync_failure, .*orphan_in_target/],
          [`?externalId=${'x'.repeat(257)}`, /externalId must be at most 256 characters/],
          ['?limit=0', /limit must be a whole number from 1 to 500/],
          ['?limit=501', /limit must be a whole number from 1 to 500/],
        ];
        for (const [query, message] of bad) {
          const res = await getJson(app, `/admin/reports${query}`);
          expect(res.status, query).toBe(400);
          const { error } = JSON.parse(res.text) as { error: { code: string; message: string } };
          expect(error.code, query).toBe('invalid_query');
          expect(error.message, query).toMatch(message);
          const page = await getJson(app, `/admin/reports${query}`, BROWSER_ACCEPT);
          expect(page.status, query).toBe(400);
          expect(page.type, query).toMatch(/^text\/html/);
        }

        const page = await getJson(app, '/admin/reports?kind=sync&limit=1', BROWSER_ACCEPT);
        expect(page.text).toMatch(/<option value="sync" selected>sync<\/option>/);
        // The older link keeps the filters and pages by the last row's time.
        expect(page.text).toContain(
          `href="/admin/reports?kind=sync&amp;before=${encodeURIComponent(at(10).toISOString())}&amp;limit=1"`,
        );
        expect(markupProblems(page.text)).toEqual([]);
      } finally {
        await app.close();
      }
    },
  );
});
