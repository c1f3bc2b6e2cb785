import fs from 'node:fs';
import path from 'node:path';
import { type Browser, REPO_ROOT, watchPageProblems } from '@dirsync/harness';
import { fillPath, PAGES, type ScreenFacts } from './pages.js';

export const OUT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');

export interface CaptureOptions {
  apiUrl: string;
  admin: { username: string; password: string };
  facts: ScreenFacts;
  say: (line: string) => void;
}

/** Saves each page of PAGES that is there as `docs/screenshots/<name>.png`; returns the files written. */
export async function capturePages(browser: Browser, options: CaptureOptions): Promise<string[]> {
  const { apiUrl, admin, facts, say } = options;
  const context = await browser.newContext({
    httpCredentials: admin,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
  });
  const written: string[] = [];
  try {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    for (const { name, path: template } of PAGES) {
      const filled = fillPath(template, facts);
      if ('missing' in filled) {
        say(`skipped ${name}: the demo left no ${filled.missing} to show`);
        continue;
      }
      const page = await context.newPage();
      try {
        const problems = await watchPageProblems(page);
        const answer = await page.goto(`${apiUrl}${filled.path}`, { waitUntil: 'networkidle' });
        const status = answer?.status() ?? 0;
        const type = answer?.headers()['content-type'] ?? '';
        if (status === 404) {
          say(`skipped ${name}: ${filled.path} answers 404 (not built yet?)`);
          continue;
        }
        if (status !== 200 || !type.startsWith('text/html')) {
          say(`skipped ${name}: ${filled.path} answers ${status} ${type.split(';')[0]}, not an HTML page`);
          continue;
        }
        const file = path.join(OUT_DIR, `${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        written.push(file);
        say(`saved ${path.relative(REPO_ROOT, file)}  (${filled.path})`);
        for (const line of [...problems.cspViolations, ...problems.pageErrors, ...problems.consoleErrors]) {
          say(`  ! ${name}: ${line}`);
        }
      } finally {
        await page.close();
      }
    }
  } finally {
    await context.close();
  }
  return written;
}
