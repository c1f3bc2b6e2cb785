import path from 'node:path';
import { REPO_ROOT } from '@dirsync/harness';
import type { LocalCredentials } from './local-credentials.js';
import { say } from './say.js';

export interface BannerFacts {
  apiUrl: string;
  credentials: LocalCredentials;
  credentialsFile: string;
  /** The simulator's URL when it is the target. */
  simUrl: string | undefined;
}

/** Tells the user where everything is and how to log in. */
export function printBanner({ apiUrl, credentials, credentialsFile, simUrl }: BannerFacts): void {
  const workerMetrics = `http://127.0.0.1:${process.env.WORKER_METRICS_PORT || '9464'}/metrics`;
  const lines = [
    '',
    'dirsync is running.',
    `  webhook     POST ${apiUrl}/webhooks/directory-sync   (Standard Webhooks, secret below)`,
    `  dashboard   ${apiUrl}/admin/queues                   user ${credentials.ADMIN_USER} / password ${credentials.ADMIN_PASSWORD}`,
    `  reports     ${apiUrl}/admin/reports`,
    `  metrics     ${apiUrl}/metrics  and  ${workerMetrics} (worker)`,
    simUrl
      ? `  target      Genesys simulator at ${simUrl} (operator routes under /__sim)`
      : `  target      ${process.env.GENESYS_BASE_URL || 'https://api.mypurecloud.com'}`,
    `  secret      WEBHOOK_SECRET=${credentials.WEBHOOK_SECRET}`,
    `  saved in    ${path.relative(REPO_ROOT, credentialsFile) || credentialsFile} (pnpm demo reads it)`,
    '',
    'Try it: pnpm demo   (in another terminal)      Stop: Ctrl-C',
    '',
  ];
  for (const line of lines) say('start', line);
}
