// A small client for the ingest API, signing webhooks as a Standard Webhooks sender does.
import { createHmac, randomUUID } from 'node:crypto';

/** Something about the stack that stops the demo, with what to do about it. */
export class DemoError extends Error {}

/**
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the base64-decoded secret after `whsec_`.
 * @param {string} secret
 * @param {string} id
 * @param {number} timestamp seconds since the epoch
 * @param {string} body the exact bytes sent
 */
export function signWebhook(secret, id, timestamp, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export class DirsyncApi {
  /**
   * @param {{ baseUrl: string, secret?: string, adminUser?: string, adminPassword?: string, source?: string }} options
   *   `source` names where the credentials came from, for messages.
   */
  constructor(options) {
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
  async admin(method, path, body) {
    const res = await this.request(method, path, { admin: true, body });
    if (res.status === 401) {
      throw new DemoError(
        `the API refused the admin credentials of ${this.source} (${method} ${path} → 401)`,
      );
    }
    return res;
  }

  async request(method, path, { body, headers = {}, admin = false, timeoutMs = 15_000 } = {}) {
    const allHeaders = { ...headers };
    if (admin && this.authorization) allHeaders.authorization = this.authorization;
    if (body !== undefined && !allHeaders['content-type']) allHeaders['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: allHeaders,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DemoError(
        `nothing answers at ${this.baseUrl} (${error.cause?.code ?? error.message}): start the stack first: pnpm start`,
      );
    }
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** GET /readyz: the API answers and its Redis does. */
  ready() {
    return this.request('GET', '/readyz', { timeoutMs: 3000 });
  }

  /**
   * Delivers one webhook (one event, or `{events}`): signed, retried on 429/503 as a sender would. The same
   * `webhookId` and `body` make a re-delivery.
   * @returns {Promise<{ status: number, json: any, webhookId: string, body: string }>}
   */
  async deliver(payload, { webhookId = `msg_${randomUUID()}`, body = JSON.stringify(payload) } = {}) {
    for (let attempt = 1; ; attempt++) {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = { 'webhook-id': webhookId, 'webhook-timestamp': String(timestamp) };
      if (this.secret) headers['webhook-signature'] = signWebhook(this.secret, webhookId, timestamp, body);
      const res = await this.request('POST', '/webhooks/directory-sync', { body, headers });
      if ((res.status === 429 || res.status === 503) && attempt < 5) {
        const wait = Math.min(Number(res.headers.get('retry-after')) || 2, 30);
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      if (res.status === 401) {
        throw new DemoError(
          `the API refused the webhook signature (${res.json?.error?.message ?? res.text}): it runs with another ` +
            `WEBHOOK_SECRET than ${this.source} holds. Restart the stack (pnpm start), or set WEBHOOK_SECRET.`,
        );
      }
      if (res.status !== 202) {
        throw new DemoError(`the API answered ${res.status} to a webhook: ${res.text.slice(0, 500)}`);
      }
      return { status: res.status, json: res.json, webhookId, body };
    }
  }

  /** GET /admin/status; undefined when the API refuses these admin credentials (401). */
  async status() {
    const res = await this.request('GET', '/admin/status', { admin: true });
    if (res.status === 401) return undefined;
    if (res.status === 403) {
      throw new DemoError(
        'the admin routes answer only loopback clients when ADMIN_USER/ADMIN_PASSWORD are unset: run the demo on ' +
          'the stack’s machine, or set them on both sides.',
      );
    }
    if (res.status !== 200) throw new DemoError(`GET /admin/status answered ${res.status}: ${res.text}`);
    return res.json;
  }

  /** GET /admin/status, which must succeed. */
  async requireStatus() {
    const status = await this.status();
    if (!status)
      throw new DemoError(
        `the API refused the admin credentials of ${this.source} (GET /admin/status → 401)`,
      );
    return status;
  }

  /** Report summaries, latest first, generated at or after `sinceMs`. */
  async reportsSince(sinceMs) {
    const out = [];
    let before;
    for (;;) {
      const query = new URLSearchParams({ limit: '500', kind: 'sync' });
      if (before !== undefined) query.set('before', new Date(before).toISOString());
      const res = await this.admin('GET', `/admin/reports?${query}`);
      if (res.status !== 200) throw new DemoError(`GET /admin/reports answered ${res.status}: ${res.text}`);
      const page = res.json.reports ?? [];
      for (const summary of page) if (Date.parse(summary.generatedAt) >= sinceMs) out.push(summary);
      const oldest = page.at(-1);
      if (page.length < 500 || !oldest || Date.parse(oldest.generatedAt) < sinceMs) return out;
      before = Date.parse(oldest.generatedAt);
    }
  }

  async report(id) {
    const res = await this.admin('GET', `/admin/reports/${encodeURIComponent(id)}`);
    if (res.status !== 200)
      throw new DemoError(`GET /admin/reports/${id} answered ${res.status}: ${res.text}`);
    return res.json;
  }

  /** POST /admin/preview: the SCIM requests an event would cause; undefined when preview is unavailable. */
  async preview(event) {
    const res = await this.admin('POST', '/admin/preview', JSON.stringify(event));
    if (res.status === 503) return undefined;
    if (res.status !== 200) throw new DemoError(`POST /admin/preview answered ${res.status}: ${res.text}`);
    return res.json;
  }
}
