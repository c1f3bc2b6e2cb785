// A small client for the ingest API, signing webhooks as a Standard Webhooks sender does.
import { createHmac, randomUUID } from 'node:crypto';

import type { Preview, Report, ReportSummary, SyncStatus, WebhookAnswer } from './api-types.js';
import type { HrEvent } from './workload.js';

/** Something about the stack that stops the demo, with what to do about it. */
export class DemoError extends Error {}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; its shape is checked by the caller that knows the route. */
  json: unknown;
}

export interface ApiOptions {
  baseUrl: string;
  secret?: string | undefined;
  adminUser?: string | undefined;
  adminPassword?: string | undefined;
  /** Where the credentials came from, for messages. */
  source?: string;
}

/**
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the base64-decoded secret after `whsec_`;
 * `timestamp` in seconds since the epoch, `body` the exact bytes sent.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface Delivery {
  status: number;
  json: WebhookAnswer;
  webhookId: string;
  body: string;
}

export class DirsyncApi {
  readonly baseUrl: string;
  readonly source: string;
  private readonly secret: string | undefined;
  private readonly authorization: string | undefined;

  constructor(options: ApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.source = options.source ?? 'the environment';
    // During a rotation several secrets are configured, separated by spaces: any one verifies.
    this.secret = options.secret?.split(/\s+/).find(Boolean);
    this.authorization =
      options.adminUser && options.adminPassword
        ? `Basic ${Buffer.from(`${options.adminUser}:${options.adminPassword}`).toString('base64')}`
        : undefined;
  }

  /** An admin call that must succeed: a 401 here means the credentials changed under us. */
  async admin(method: string, path: string, body?: string): Promise<ApiResponse> {
    const res = await this.request(method, path, { admin: true, body });
    if (res.status === 401) {
      throw new DemoError(
        `the API refused the admin credentials of ${this.source} (${method} ${path} → 401)`,
      );
    }
    return res;
  }

  async request(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string>; admin?: boolean; timeoutMs?: number } = {},
  ): Promise<ApiResponse> {
    const { body, headers = {}, admin = false, timeoutMs = 15_000 } = options;
    const allHeaders: Record<string, string> = { ...headers };
    if (admin && this.authorization) allHeaders.authorization = this.authorization;
    if (body !== undefined && !allHeaders['content-type']) allHeaders['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: allHeaders,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const { cause, message } = error as Error & { cause?: { code?: string } };
      throw new DemoError(
        `nothing answers at ${this.baseUrl} (${cause?.code ?? message}): start the stack first: pnpm start`,
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** GET /readyz: the API answers and its Redis does. */
  ready(): Promise<ApiResponse> {
    return this.request('GET', '/readyz', { timeoutMs: 3000 });
  }

  /**
   * Delivers one webhook (one event, or `{events}`): signed, retried on 429/503 as a sender would. The same
   * `webhookId` and `body` make a re-delivery.
   */
  async deliver(
    payload: HrEvent | { events: HrEvent[] } | undefined,
    {
      webhookId = `msg_${randomUUID()}`,
      body = JSON.stringify(payload),
    }: { webhookId?: string; body?: string } = {},
  ): Promise<Delivery> {
    for (let attempt = 1; ; attempt++) {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'webhook-id': webhookId,
        'webhook-timestamp': String(timestamp),
      };
      if (this.secret) headers['webhook-signature'] = signWebhook(this.secret, webhookId, timestamp, body);
      const res = await this.request('POST', '/webhooks/directory-sync', { body, headers });
      if ((res.status === 429 || res.status === 503) && attempt < 5) {
        const wait = Math.min(Number(res.headers.get('retry-after')) || 2, 30);
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      if (res.status === 401) {
        throw new DemoError(
          `the API refused the webhook signature (${errorMessage(res) ?? res.text}): it runs with another ` +
            `WEBHOOK_SECRET than ${this.source} holds. Restart the stack (pnpm start), or set WEBHOOK_SECRET.`,
        );
      }
      if (res.status !== 202) {
        throw new DemoError(`the API answered ${res.status} to a webhook: ${res.text.slice(0, 500)}`);
      }
      return { status: res.status, json: res.json as WebhookAnswer, webhookId, body };
    }
  }

  /** GET /admin/status; undefined when the API refuses these admin credentials (401). */
  async status(): Promise<SyncStatus | undefined> {
    const res = await this.request('GET', '/admin/status', { admin: true });
    if (res.status === 401) return undefined;
    if (res.status === 403) {
      throw new DemoError(
        'the admin routes answer only loopback clients when ADMIN_USER/ADMIN_PASSWORD are unset: run the demo on ' +
          'the stack’s machine, or set them on both sides.',
      );
    }
    if (res.status !== 200) throw new DemoError(`GET /admin/status answered ${res.status}: ${res.text}`);
    return res.json as SyncStatus;
  }

  /** GET /admin/status, which must succeed. */
  async requireStatus(): Promise<SyncStatus> {
    const status = await this.status();
    if (!status)
      throw new DemoError(
        `the API refused the admin credentials of ${this.source} (GET /admin/status → 401)`,
      );
    return status;
  }

  /** Report summaries, latest first, generated at or after `sinceMs`. */
  async reportsSince(sinceMs: number): Promise<ReportSummary[]> {
    const out: ReportSummary[] = [];
    let before: number | undefined;
    for (;;) {
      const query = new URLSearchParams({ limit: '500', kind: 'sync' });
      if (before !== undefined) query.set('before', new Date(before).toISOString());
      const res = await this.admin('GET', `/admin/reports?${query}`);
      if (res.status !== 200) throw new DemoError(`GET /admin/reports answered ${res.status}: ${res.text}`);
      const page = (res.json as { reports?: ReportSummary[] }).reports ?? [];
      for (const summary of page) if (Date.parse(summary.generatedAt) >= sinceMs) out.push(summary);
      const oldest = page.at(-1);
      if (page.length < 500 || !oldest || Date.parse(oldest.generatedAt) < sinceMs) return out;
      before = Date.parse(oldest.generatedAt);
    }
  }

  async report(id: string): Promise<Report> {
    const res = await this.admin('GET', `/admin/reports/${encodeURIComponent(id)}`);
    if (res.status !== 200)
      throw new DemoError(`GET /admin/reports/${id} answered ${res.status}: ${res.text}`);
    return res.json as Report;
  }

  /** POST /admin/preview: the SCIM requests an event would cause; undefined when preview is unavailable. */
  async preview(event: HrEvent): Promise<Preview | undefined> {
    const res = await this.admin('POST', '/admin/preview', JSON.stringify(event));
    if (res.status === 503) return undefined;
    if (res.status !== 200) throw new DemoError(`POST /admin/preview answered ${res.status}: ${res.text}`);
    return res.json as Preview;
  }
}

/** The `{ error: { message } }` of an error answer, if it has one. */
function errorMessage(res: ApiResponse): string | undefined {
  const body = res.json as { error?: { message?: string } } | undefined;
  return body?.error?.message;
}
