import { JOBS, QUEUES } from '@dirsync/contracts';
import { describeWithChromium, openWatchedPage, redisTest } from '@dirsync/testing';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { expect } from 'vitest';
import { ADMIN, securedEnv, startTestApi } from './harness.js';

const CREDENTIALS = { httpCredentials: { username: ADMIN.user, password: ADMIN.password } };
const NO_PROBLEMS = { cspViolations: [], pageErrors: [], consoleErrors: [] };

/** One sync job failed the way the worker fails a person the policy blocks (the message quotes HR values). */
async function failOnePerson(redisUrl: string, prefix: string, queue: Queue): Promise<void> {
  const message = 'role "admin" is not allowed for department "Sales"';
  await queue.add(JOBS.syncUser, {
    externalId: 'HR-P1',
    origin: 'webhook',
    failure: { code: 'policy_violation', message, rev: 1 },
  });
  const worker = new Worker(
    queue.name,
    async () => {
      throw new UnrecoverableError(`policy_violation: ${message}`);
    },
    { connection: { url: redisUrl }, prefix },
  );
  try {
    await new Promise<void>((resolve) => worker.on('failed', () => resolve()));
  } finally {
    await worker.close();
  }
}

// The asset test in admin-security.test.ts reads the board's HTML; this one runs it in Chromium under the admin
// CSP, where a refused script or stylesheet shows as a violation.
describeWithChromium('Bull Board in a real browser', (chromium) => {
  redisTest(
    'renders its three queues under the admin CSP: no CSP violation, no page error',
    async ({ redisUrl, prefix }) => {
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      const { page, problems, close } = await openWatchedPage(chromium.browser(), CREDENTIALS);
      try {
        const answer = await page.goto(`${api.url}/admin/queues`);
        expect(answer?.status()).toBe(200);
        expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
        // The cards carry the display names, the sidebar the queue names.
        const main = page.locator('main');
        for (const name of ['sync', 'reconcile', 'directory index']) {
          await main.getByText(name, { exact: true }).waitFor();
        }
        const sidebar = page.locator('#bull-board-sidebar');
        for (const name of [QUEUES.sync, QUEUES.reconcile, QUEUES.directoryIndex]) {
          await sidebar.getByText(name, { exact: true }).waitFor();
        }
        await page.waitForLoadState('networkidle');
        expect(problems).toEqual(NO_PROBLEMS);
      } finally {
        await close();
        await api.close();
      }
    },
  );

  redisTest(
    "a failed job's page shows the failure code and no HR value, with no CSP violation",
    async ({ redisUrl, redis, prefix }) => {
      const queue = new Queue(QUEUES.sync, { connection: redis.duplicate(), prefix });
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      const { page, problems, close } = await openWatchedPage(chromium.browser(), CREDENTIALS);
      try {
        await failOnePerson(redisUrl, prefix, queue);
        // The deep link the console's pages use to point at a queue's failed jobs.
        await page.goto(`${api.url}/admin/queues/queue/${QUEUES.sync}?status=failed`);
        await page
          .locator('main')
          .getByText(/policy_violation/)
          .first()
          .waitFor();
        await page.waitForLoadState('networkidle');
        expect(await page.locator('body').textContent()).not.toContain('Sales');
        expect(problems).toEqual(NO_PROBLEMS);
      } finally {
        await close();
        await api.close();
        await queue.close();
      }
    },
  );
});
