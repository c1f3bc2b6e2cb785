// `pnpm screenshots`: starts a private stack the way `pnpm start` does (its own Redis or prefix, ports and
// credentials), runs `pnpm demo` against it, then saves a PNG of each console page under docs/screenshots/ with
// the system Chromium. Not part of `pnpm test` (it writes tracked files). Pages not built yet (404) are skipped
// with a note; the list is scripts/screenshots/pages.ts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, requireChromium, withChromium } from '@dirsync/harness';
import { capturePages } from './screenshots/capture.js';
import type { ScreenFacts } from './screenshots/pages.js';
import { type ScreenStack, startScreenStack } from './screenshots/stack.js';
import { say } from './start/say.js';

const NEEDER = 'pnpm screenshots';
const note = (line: string) => say('shots', line);

/** Runs `pnpm demo` against the stack, its output passed through; resolves with its exit code. */
function runDemo(stack: ScreenStack): Promise<number> {
  // An empty data folder: the demo takes the credentials from the environment, not from .data/local.env.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-screens-'));
  const child = spawn(
    process.execPath,
    ['--conditions=@dirsync/source', path.join(REPO_ROOT, 'scripts', 'run.mjs'), 'demo'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...stack.credentials, DEMO_API_URL: stack.apiUrl, DIRSYNC_DATA_DIR: dataDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve(code ?? 1);
    });
  });
}

/** What the pages' placeholders need, read from the API's JSON answers (Bull Board's and the reports'). */
async function readFacts(stack: ScreenStack): Promise<ScreenFacts> {
  const { ADMIN_USER, ADMIN_PASSWORD } = stack.credentials;
  const headers = {
    authorization: `Basic ${Buffer.from(`${ADMIN_USER}:${ADMIN_PASSWORD}`).toString('base64')}`,
    accept: 'application/json',
  };
  const get = async (route: string): Promise<unknown> => {
    const res = await fetch(`${stack.apiUrl}${route}`, { headers });
    return res.ok ? res.json() : undefined;
  };
  const board = (await get('/admin/queues/api/queues?activeQueue=sync&status=failed')) as
    | { queues?: Array<{ name: string; jobs?: Array<{ data?: { externalId?: string } }> }> }
    | undefined;
  const failedPerson = board?.queues
    ?.find((q) => q.name === 'sync')
    ?.jobs?.map((job) => job.data?.externalId)
    .find(Boolean);
  type Listing = { reports?: Array<{ id: string }> } | undefined;
  // The newest report that lists discrepancies (the demo's policy refusal), else the newest one.
  const listed = (query: string) => get(`/admin/reports?${query}`) as Promise<Listing>;
  const report =
    (await listed('hasDiscrepancies=true&kind=sync&limit=1'))?.reports?.[0] ??
    (await listed('limit=1'))?.reports?.[0];
  return {
    failedPerson,
    // Demo ids are `<tag>-<code>` and e-mails end in `<tag>@example.com`: the tag finds the run's people.
    searchTerm: failedPerson?.split('-')[0],
    reportWithDiscrepancies: report?.id,
  };
}

async function main(): Promise<void> {
  requireChromium(NEEDER);
  note('starting a private stack (simulator, ingest API, worker)…');
  const stack = await startScreenStack(say);
  try {
    note(`running the demo against ${stack.apiUrl}…`);
    const demoCode = await runDemo(stack);
    if (demoCode === 2) throw new Error('the demo stopped (see above); no screenshots taken');
    if (demoCode !== 0)
      note(`the demo's checks did not all pass (exit ${demoCode}); taking the screenshots anyway`);
    const facts = await readFacts(stack);
    note(`facts: ${JSON.stringify(facts)}`);
    const written = await withChromium(
      (browser) =>
        capturePages(browser, {
          apiUrl: stack.apiUrl,
          admin: { username: stack.credentials.ADMIN_USER, password: stack.credentials.ADMIN_PASSWORD },
          facts,
          say: note,
        }),
      { needer: NEEDER },
    );
    note(`${written.length} screenshot(s) in docs/screenshots/`);
  } finally {
    note('stopping the stack…');
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  note(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
