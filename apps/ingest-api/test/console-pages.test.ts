import { request } from 'node:http';
import { ReportBuilder } from '@dirsync/reports';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import {
  AUTH,
  BROWSER_ACCEPT,
  type ConsoleApp,
  FixedConsoleReader,
  markupProblems,
  QUOTED_ID,
  startConsoleApp,
  XSS,
  XSS_ESCAPED,
} from './console-harness.js';

interface Answer {
  status: number;
  type: string;
  headers: Headers;
  text: string;
}

async function get(app: ConsoleApp, path: string, accept: string): Promise<Answer> {
  const res = await fetch(`${app.url}${path}`, { headers: { authorization: AUTH, accept } });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    headers: res.headers,
    text: await res.text(),
  };
}

/** A GET without any Accept header (fetch always sends one). */
function getWithoutAccept(
  app: ConsoleApp,
  path: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: app.port, path, headers: { authorization: AUTH } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function saveReports(app: ConsoleApp): Promise<void> {
  await app.reports.save(
    new ReportBuilder({ id: 'sync-1', kind: 'sync', now: () => new Date('2026-11-28T09:00:00Z') })
      .record({ externalId: 'HR-X', outcome: 'failed' }, [
        {
          externalId: 'HR-X',
          correlationId: 'evt-1',
          type: 'policy_violation',
          field: 'roles',
          expected: XSS,
          detail: XSS,
        },
      ])
      .record({ externalId: 'HR-1', outcome: 'updated' })
      .build(),
  );
  await app.reports.save(
    new ReportBuilder({ id: 'reconcile-1', kind: 'reconcile', now: () => new Date('2026-11-28T09:30:00Z') })
      .addDiscrepancy({
        externalId: 'HR-X',
        correlationId: 'r',
        type: 'orphan_in_target',
        detail: `gone ${XSS}`,
      })
      .addDiscrepancy({ externalId: QUOTED_ID, correlationId: 'r', type: 'orphan_in_target', detail: 'gone' })
      .addDiscrepancy({
        externalId: 'HR-1',
        correlationId: 'r',
        type: 'attribute_drift',
        field: 'title',
        expected: 'A',
        actual: 'B',
        detail: 'differs',
      })
      .with({
        dryRun: true,
        brake: {
          held: true,
          wouldDeactivate: 2,
          activeInTarget: 3,
          maxPercent: 10,
          overridden: false,
          detail: 'more than 10%',
        },
      })
      .build(),
  );
}

/** Every page of the console, each with what its JSON twin must hold. */
const PAGES: Array<[string, (json: Record<string, unknown>) => void]> = [
  ['/admin', (json) => expect(json.backlog).toMatchObject({ waiting: 12 })],
  ['/admin/people', (json) => expect(json).toEqual({ q: '', results: [], truncated: false })],
  ['/admin/people?q=HR', (json) => expect((json.results as unknown[]).length).toBe(3)],
  ['/admin/people/HR-1', (json) => expect(json.externalId).toBe('HR-1')],
  ['/admin/reports', (json) => expect(Object.keys(json)).toEqual(['reports'])],
  ['/admin/reports/sync-1', (json) => expect(json.id).toBe('sync-1')],
  ['/admin/reports/reconcile-1', (json) => expect(json.kind).toBe('reconcile')],
];

describe('console pages', () => {
  redisTest(
    'every page answers HTML to a browser and JSON to any-type, JSON or no Accept, at the same URL',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
      try {
        await saveReports(app);
        for (const [path, checkJson] of PAGES) {
          const page = await get(app, path, BROWSER_ACCEPT);
          expect(page.status, path).toBe(200);
          expect(page.type, path).toMatch(/^text\/html/);
          expect(page.headers.get('vary'), path).toMatch(/Accept/i);
          expect(page.text, path).toMatch(/^<!doctype html>/);
          expect((await get(app, path, 'text/html')).type, path).toMatch(/^text\/html/);
          for (const accept of ['*/*', 'application/json', 'application/json, text/html', 'text/plain']) {
            const json = await get(app, path, accept);
            expect(json.status, `${path} ${accept}`).toBe(200);
            expect(json.type, `${path} ${accept}`).toMatch(/^application\/json/);
            checkJson(JSON.parse(json.text));
          }
          const bare = await getWithoutAccept(app, path);
          expect(bare.type, path).toMatch(/^application\/json/);
          checkJson(JSON.parse(bare.body));
        }
      } finally {
        await app.close();
      }
    },
  );

  redisTest(
    'every page: CSP and the other admin headers, well-formed markup, no inline script, one script from /admin/console/',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
      try {
        await saveReports(app);
        for (const [path] of [
          ...PAGES,
          ['/admin/people/HR-X'],
          [`/admin/people/${encodeURIComponent(QUOTED_ID)}`],
        ]) {
          const page = await get(app, path as string, BROWSER_ACCEPT);
          expect(page.status, path).toBe(200);
          const csp = page.headers.get('content-security-policy') ?? '';
          expect(csp, path).toContain("script-src 'self'");
          expect(csp, path).not.toContain("script-src 'self' 'unsafe-inline'");
          expect(page.headers.get('x-content-type-options')).toBe('nosniff');
          expect(page.headers.get('cache-control')).toBe('no-store');
          expect(markupProblems(page.text), path).toEqual([]);
          const scripts = [...page.text.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]);
          expect(scripts, path).toEqual([
            expect.stringMatching(/^\/admin\/console\/console\.js\?v=[0-9a-f]{12}$/),
          ]);
          expect(page.text).toMatch(
            /<link rel="stylesheet" href="\/admin\/console\/console\.css\?v=[0-9a-f]{12}">/,
          );
        }
      } finally {
        await app.close();
      }
    },
  );

  redisTest(
    'an HR value <img src=x onerror=…> renders as text on every page it reaches',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
      try {
        await saveReports(app);
        const pages = {
          // displayName, hr.data, target user, pending body, failed job, timeline entries.
          person: await get(app, '/admin/people/HR-X', BROWSER_ACCEPT),
          // The query echoed in the form and the heading, and a result's name.
          search: await get(app, `/admin/people?q=${encodeURIComponent(XSS)}`, BROWSER_ACCEPT),
          searchById: await get(app, '/admin/people?q=HR-X', BROWSER_ACCEPT),
          // The quarantine cause.
          overview: await get(app, '/admin', BROWSER_ACCEPT),
          // A discrepancy's detail and expected value; a drift detail.
          report: await get(app, '/admin/reports/sync-1', BROWSER_ACCEPT),
          drift: await get(app, '/admin/reports/reconcile-1', BROWSER_ACCEPT),
          // A filter value echoed into the form.
          list: await get(app, `/admin/reports?externalId=${encodeURIComponent(XSS)}`, BROWSER_ACCEPT),
        };
        for (const [name, page] of Object.entries(pages)) {
          expect(page.status, name).toBe(200);
          expect(page.text, name).not.toMatch(/<img/i);
          expect(page.text, name).toContain(XSS_ESCAPED);
          expect(markupProblems(page.text), name).toEqual([]);
        }
        const person = pages.person.text;
        expect(person).toContain(`<span class="name">${XSS_ESCAPED}</span>`);
        expect(person).toContain(`<title>${XSS_ESCAPED} (HR-X) · dirsync</title>`);
        // hr.data.title, the timeline's failure message and discrepancy detail, the failed job's message.
        expect(person.split(XSS_ESCAPED).length - 1).toBeGreaterThanOrEqual(7);
        expect(pages.search.text).toContain(`value="${XSS_ESCAPED}"`);
        expect(pages.list.text).toContain(`value="${XSS_ESCAPED}"`);
      } finally {
        await app.close();
      }
    },
  );

  redisTest('quotes stay inside attribute values (externalId, query echo)', async ({ redis, prefix }) => {
    const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
    try {
      const breakout = `" autofocus onfocus="alert(1)' x='`;
      const search = await get(app, `/admin/people?q=${encodeURIComponent(breakout)}`, BROWSER_ACCEPT);
      expect(search.text).toContain('value="&quot; autofocus onfocus=&quot;alert(1)&#39; x=&#39;"');
      expect(markupProblems(search.text)).toEqual([]);

      const person = await get(app, `/admin/people/${encodeURIComponent(QUOTED_ID)}`, BROWSER_ACCEPT);
      expect(person.status).toBe(200);
      expect(markupProblems(person.text)).toEqual([]);
      // In a URL the quote is percent-encoded, the apostrophe (legal in a path) escaped as an entity.
      expect(person.text).toContain('data-url="/admin/people/HR-%22q&#39;/resync"');
      expect(person.text).toContain('<code>HR-&quot;q&#39;</code>');
      expect(person.text).toContain('Quote &quot;double&quot; &#39;single&#39;');
      const list = await get(app, '/admin/people?q=HR-', BROWSER_ACCEPT);
      expect(list.text).toContain('href="/admin/people/HR-%22q&#39;"');
      expect(list.text).toContain('data-external-id="HR-&quot;q&#39;"');
    } finally {
      await app.close();
    }
  });

  redisTest('the person page shows every part with its buttons and test hooks', async ({ redis, prefix }) => {
    const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
    try {
      const { text } = await get(app, '/admin/people/HR-1', BROWSER_ACCEPT);
      for (const part of ['hr', 'target', 'pending', 'failed-jobs', 'scheduled', 'timeline']) {
        expect(text).toContain(`data-section="${part}"`);
      }
      expect(text).toContain('<td>Maria Garcia</td>');
      expect(text).toMatch(/data-testid="target-source"><span class="badge tone-quiet">cache<\/span>/);
      // Planned requests: method, path, If-Match, a body summary.
      expect(text).toMatch(/<td><code>PATCH<\/code><\/td>\s*<td class="path"><code>\/Users\/scim-1<\/code>/);
      expect(text).toContain('<li>replace title ');
      // The timeline: each kind, newest first, with request rows and both correlation ids.
      const kinds = [...text.matchAll(/data-testid="timeline-entry" data-kind="([a-z]+)"/g)].map((m) => m[1]);
      expect(kinds).toEqual(['failed', 'sync', 'event', 'reconcile', 'resync']);
      expect(text).toMatch(
        /<td class="num">41 ms<\/td>\s*<td><code>evt-2<\/code><\/td>\s*<td><code>inin-9<\/code><\/td>/,
      );
      expect(text).toContain('data-latest="1795859940000"');
      // Buttons: disabled until console.js runs, each with its URL, body and what follows.
      expect(text).toMatch(
        /<button type="button" class="btn btn-primary" disabled data-action="post" data-url="\/admin\/people\/HR-1\/resync" data-body="\{\}" data-after="follow"/,
      );
      expect(text).toContain('data-url="/admin/people/HR-1/retry"');
      expect(text).toMatch(
        /data-url="\/admin\/people\/HR-1\/read-live" data-body="\{\}" data-after="render" data-sections="target"/,
      );
      expect(text).toContain('data-testid="console-status"');
      expect(text).toContain('href="/admin/reports?externalId=HR-1"');
    } finally {
      await app.close();
    }
  });

  redisTest(
    'the overview: quarantine with cause and since, budget against limit with 429s, backlog, chart, last reconcile',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
      try {
        const { text } = await get(app, '/admin', BROWSER_ACCEPT);
        expect(text).toMatch(
          /data-testid="quarantine" data-state="active"><strong>Sync quarantined<\/strong> since <time datetime="2026-11-28T09:50:00.000Z">/,
        );
        expect(text).toMatch(/<strong>47<\/strong> of 100 SCIM requests in the last 60 s/);
        expect(text).toMatch(/<meter min="0" max="100" [^>]*value="47">/);
        expect(text).toMatch(/data-testid="budget-429"><span class="stat-value">2<\/span>/);
        expect(text).toMatch(/data-testid="backlog-waiting"><span class="stat-value">12<\/span>/);
        expect(text).toContain('href="/admin/queues/queue/sync?status=failed">1 person failed for good</a>');
        // Hour chart: 60 slots; nine buckets have outcomes, one with a failure on top.
        const hour = /data-testid="chart-hour">([\s\S]*?)<\/figure>/.exec(text)?.[1] ?? '';
        expect(hour.match(/<g>/g)).toHaveLength(60);
        expect(hour.match(/class="o-failed" x=/g)).toHaveLength(1);
        expect(hour).toContain('created <strong>18</strong>');
        expect(text).toMatch(/data-testid="chart-day"/);
        expect(text).toContain('href="/admin/reports/reconcile-1">reconcile-1</a>');
        expect(text).toContain(
          'href="/admin/reports?kind=reconcile&amp;type=orphan_in_target">orphan_in_target</a>',
        );
      } finally {
        await app.close();
      }
    },
  );

  redisTest(
    'the reconcile report: drift grouped by type with person links, the brake, and the three reconcile buttons',
    async ({ redis, prefix }) => {
      const app = await startConsoleApp(redis, prefix, new FixedConsoleReader());
      try {
        await saveReports(app);
        const { text } = await get(app, '/admin/reports/reconcile-1', BROWSER_ACCEPT);
        const groups = [...text.matchAll(/data-testid="drift-group" data-type="([a-z_]+)"/g)].map(
          (m) => m[1],
        );
        expect(groups).toEqual(['attribute_drift', 'orphan_in_target']);
        expect(text).toMatch(
          /data-type="orphan_in_target" data-external-id="HR-X">\s*<td><a href="\/admin\/people\/HR-X">HR-X<\/a>/,
        );
        expect(text).toMatch(/data-testid="brake" data-held="true"/);
        expect(text).toContain('<strong data-testid="brake-would-deactivate">2</strong>');
        expect(text).toContain('data-url="/admin/reconcile" data-body="{}"');
        expect(text).toContain('data-body="{&quot;apply&quot;:true}"');
        expect(text).toMatch(
          /data-body="\{&quot;apply&quot;:true,&quot;overrideBrake&quot;:true\}" data-confirm="[^"]+" data-after="refresh" data-sections="" data-number-input="override-count" data-number-key="expectedDeactivations" data-testid="reconcile-override"/,
        );
        expect(text).toContain('<input id="override-count" type="number"');
        const sync = await get(app, '/admin/reports/sync-1', BROWSER_ACCEPT);
        expect(sync.text).toMatch(
          /data-testid="discrepancy" data-type="policy_violation" data-external-id="HR-X"/,
        );
        expect(sync.text).toMatch(/<td class="num" data-outcome="updated">1<\/td>/);
        expect(sync.text).not.toContain('data-testid="reconcile-apply"');
      } finally {
        await app.close();
      }
    },
  );

  redisTest('static assets: behind auth, typed, cacheable by version', async ({ redis, prefix }) => {
    const app = await startConsoleApp(redis, prefix, undefined);
    try {
      const page = await get(app, '/admin/reports', BROWSER_ACCEPT);
      const script = /src="(\/admin\/console\/console\.js\?v=[0-9a-f]+)"/.exec(page.text)?.[1] ?? '';
      const style = /href="(\/admin\/console\/console\.css\?v=[0-9a-f]+)"/.exec(page.text)?.[1] ?? '';
      expect((await fetch(`${app.url}${script}`)).status).toBe(401);
      const js = await fetch(`${app.url}${script}`, { headers: { authorization: AUTH } });
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      expect(js.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await js.text()).toContain("document.addEventListener('click'");
      const css = await fetch(`${app.url}${style}`, { headers: { authorization: AUTH } });
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      const stale = await fetch(`${app.url}/admin/console/console.css?v=old`, {
        headers: { authorization: AUTH },
      });
      expect(stale.headers.get('cache-control')).toBe('private, no-cache');
      expect(
        (await fetch(`${app.url}/admin/console/other.js`, { headers: { authorization: AUTH } })).status,
      ).toBe(404);
    } finally {
      await app.close();
    }
  });
});
