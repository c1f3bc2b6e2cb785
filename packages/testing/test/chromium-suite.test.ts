import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openWatchedPage } from '@dirsync/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithChromium, planChromiumSuite } from '../src/chromium-suite.js';

describe('planning a suite that needs Chromium', () => {
  const missing = { CHROMIUM_PATH: '/nonexistent/chromium' };
  it('without Chromium outside CI: listed as not run, by name, with the command that gets it', () => {
    expect(planChromiumSuite('Console pages', { env: missing })).toEqual({
      kind: 'not-run',
      title: "Console pages — NOT RUN: needs Debian's chromium (apt-get install chromium)",
    });
    expect(planChromiumSuite('Console pages', { env: { ...missing, CI: 'false' } }).kind).toBe('not-run');
    expect(planChromiumSuite('Console pages', { env: {}, searchPath: false }).kind).toBe('not-run');
  });

  it('without Chromium under CI=true: run, so that its launch fails naming chromium', () => {
    expect(planChromiumSuite('Console pages', { env: { ...missing, CI: 'true' } })).toEqual({ kind: 'fail' });
    expect(planChromiumSuite('Console pages', { env: { ...missing, CI: '1' } })).toEqual({ kind: 'fail' });
  });
});

/** Pages under a strict CSP: one keeps to it, one runs an inline script and throws. */
function startPages(): Promise<http.Server> {
  const pages: Record<string, string> = {
    '/good':
      '<!doctype html><title>good</title><link rel="icon" href="data:,"><h1 id="said">hello</h1>' +
      '<script src="/said.js"></script>',
    '/bad':
      '<!doctype html><title>bad</title><link rel="icon" href="data:,">' +
      '<script>document.title = "ran"</script><script src="/throws.js"></script>',
    '/private': '<!doctype html><title>private</title><link rel="icon" href="data:,"><p>in</p>',
    '/said.js': 'document.getElementById("said").textContent = "from a script file";',
    '/throws.js': 'throw new Error("the page broke");',
  };
  const server = http.createServer((req, res) => {
    const body = pages[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const authorized = req.headers.authorization === `Basic ${Buffer.from('ops:pw').toString('base64')}`;
    if (req.url === '/private' && !authorized) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const type = req.url?.endsWith('.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'content-type': type, 'content-security-policy': "script-src 'self'" }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describeWithChromium('the system Chromium, headless', (chromium) => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = await startPages();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('loads a page that keeps to its CSP without a problem', async () => {
    const { page, problems, close } = await openWatchedPage(chromium.browser());
    try {
      expect((await page.goto(`${base}/good`))?.status()).toBe(200);
      await expect.poll(() => page.textContent('#said')).toBe('from a script file');
      expect(problems).toEqual({ cspViolations: [], pageErrors: [], consoleErrors: [] });
    } finally {
      await close();
    }
  });

  it('reports an inline script the CSP refused and an uncaught exception', async () => {
    const { page, problems, close } = await openWatchedPage(chromium.browser());
    try {
      await page.goto(`${base}/bad`);
      await expect.poll(() => problems.pageErrors).toEqual(['the page broke']);
      await expect
        .poll(() => problems.cspViolations)
        .toEqual([
          expect.stringMatching(/^script-src-elem blocked inline at http:\/\/127\.0\.0\.1:\d+\/bad:1$/),
        ]);
      expect(problems.consoleErrors.join('\n')).toContain('Content Security Policy');
      expect(await page.title()).toBe('bad');
    } finally {
      await close();
    }
  });

  it('answers Basic auth with the context credentials', async () => {
    const without = await openWatchedPage(chromium.browser());
    const withCredentials = await openWatchedPage(chromium.browser(), {
      httpCredentials: { username: 'ops', password: 'pw' },
    });
    try {
      // Headless Chromium cancels an auth challenge it has no credentials for: the navigation fails.
      await expect(without.page.goto(`${base}/private`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
      expect((await withCredentials.page.goto(`${base}/private`))?.status()).toBe(200);
      expect(await withCredentials.page.textContent('p')).toBe('in');
    } finally {
      await Promise.all([without.close(), withCredentials.close()]);
    }
  });
});
