import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, readEnvFile } from '@dirsync/harness';
import { DemoError } from './api-client.js';

/** One place the credentials may come from. */
export interface CredentialCandidate {
  source: string;
  secret: string | undefined;
  adminUser: string | undefined;
  adminPassword: string | undefined;
}

export interface DemoSettings {
  apiUrl: string;
  timeoutMs: number;
  /** In the order they are tried; the first set the API accepts is used. */
  candidates: CredentialCandidate[];
}

const relative = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

/**
 * Where the credentials may be: .data/local.env (pnpm start), then .env (docker compose), each overridden by the
 * environment.
 */
export function loadSettings(): DemoSettings {
  const dataDir = path.resolve(REPO_ROOT, process.env.DIRSYNC_DATA_DIR || '.data');
  const localEnvFile = path.join(dataDir, 'local.env');
  const files = [localEnvFile, path.join(REPO_ROOT, '.env')].filter((f) => fs.existsSync(f));
  const candidates = files.map((file): CredentialCandidate => {
    const saved = readEnvFile(file);
    const pick = (name: string) => process.env[name] || saved[name] || undefined;
    const overridden = ['WEBHOOK_SECRET', 'ADMIN_USER', 'ADMIN_PASSWORD'].some((n) => process.env[n]);
    return {
      source: overridden ? `${relative(file)} and the environment` : relative(file),
      secret: pick('WEBHOOK_SECRET'),
      adminUser: pick('ADMIN_USER'),
      adminPassword: pick('ADMIN_PASSWORD'),
    };
  });
  if (candidates.length === 0) {
    if (!process.env.WEBHOOK_SECRET && !process.env.ADMIN_PASSWORD) {
      throw new DemoError(
        `${relative(localEnvFile)} is missing, so the demo has no credentials: start the stack first: pnpm start ` +
          '(it writes them there). With docker compose, the demo reads them from .env.',
      );
    }
    candidates.push({
      source: 'the environment',
      secret: process.env.WEBHOOK_SECRET,
      adminUser: process.env.ADMIN_USER,
      adminPassword: process.env.ADMIN_PASSWORD,
    });
  }
  return {
    apiUrl: (process.env.DEMO_API_URL || 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    timeoutMs: (Number(process.env.DEMO_TIMEOUT_SECONDS) || 300) * 1000,
    candidates,
  };
}
