import { Writable } from 'node:stream';
import { createLogger } from '@dirsync/core';
import { Webhook } from 'standardwebhooks';
import { loadIngestConfig } from '../src/env.js';
import { type RunningIngestApi, type StartOptions, startIngestApi } from '../src/server.js';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const ADMIN = { user: 'ops', password: 'correct horse battery staple' };

/** The environment of a test API with a webhook secret and admin credentials, on the test's Redis prefix. */
export function securedEnv(
  redisUrl: string,
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    WEBHOOK_SECRET: SECRET,
    ADMIN_USER: ADMIN.user,
    ADMIN_PASSWORD: ADMIN.password,
    ...extra,
  };
}

export interface TestApi extends RunningIngestApi {
  /** Every log line the API wrote, raw. */
  logLines: string[];
}

/** Starts the real ingest API on a free port against the test's Redis prefix, capturing its log lines. */
export async function startTestApi(
  env: Record<string, string>,
  options: Omit<StartOptions, 'logger' | 'port'> = {},
): Promise<TestApi> {
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const config = loadIngestConfig({ LOG_LEVEL: 'debug', ...env });
  const api = await startIngestApi(config, {
    host: '127.0.0.1',
    ...options,
    port: 0,
    logger: createLogger({ level: 'debug', stream }),
  });
  return Object.assign(api, { logLines });
}

/** Signs a body the way a Standard Webhooks sender does. */
export function signedHeaders(body: string, options: { id?: string; secret?: string; at?: Date } = {}) {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? SECRET).sign(id, at, body);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

export async function postWebhook(
  api: { url: string },
  body: unknown,
  options: {
    id?: string;
    secret?: string;
    at?: Date;
    headers?: Record<string, string>;
    raw?: string | Buffer;
  } = {},
): Promise<{ status: number; body: Record<string, unknown> | undefined; headers: globalThis.Headers }> {
  const text = options.raw ?? JSON.stringify(body);
  const headers = { ...signedHeaders(String(text), options), ...options.headers };
  const res = await fetch(`${api.url}/webhooks/directory-sync`, { method: 'POST', headers, body: text });
  const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  return { status: res.status, body: json, headers: res.headers };
}

export function person(externalId: string, extra: Record<string, unknown> = {}) {
  return {
    externalId,
    firstName: 'Ada',
    lastName: 'Lovelace',
    workEmail: `${externalId.toLowerCase()}@example.com`,
    title: 'Analyst',
    departmentCode: 'Engineering',
    role: 'agent',
    phone: '+14155550100',
    ...extra,
  };
}

/** The `error.code` of a JSON error answer. */
export function errorCode(res: { body: Record<string, unknown> | undefined }): string | undefined {
  return (res.body?.error as { code?: string } | undefined)?.code;
}
