// The ingest baseline: a bare Express endpoint doing the API's work up to the point where it would touch Redis —
// raw body (1 MiB cap), Standard Webhooks signature check, UTF-8 decode, JSON.parse, the same zod event schema per
// event — then 202 with the same answer shape. Run as its own process, like the API, configured by PORT and
// WEBHOOK_SECRET.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hrEventSchema, MAX_EVENTS_PER_REQUEST } from '@dirsync/contracts';
import type expressType from 'express';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

// Express is a dependency of the ingest API, not of the workspace root: load that very copy, so both sides of the
// ratio run the same Express.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'apps/ingest-api/package.json'));
const express = require('express') as typeof expressType;

const secret = process.env.WEBHOOK_SECRET;
const hook = secret ? new Webhook(secret) : undefined;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req: expressType.Request, res: expressType.Response) => {
  res.json({ status: 'ok' });
});
app.post(
  '/webhooks/directory-sync',
  express.raw({ type: () => true, limit: '1mb' }),
  (req: expressType.Request, res: expressType.Response) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (hook) {
      try {
        hook.verify(raw, {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        });
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        res.status(401).json({ error: { code: 'invalid_signature', message: error.message } });
        return;
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(utf8.decode(raw));
    } catch {
      res.status(400).json({ error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
      return;
    }
    const list =
      body !== null && typeof body === 'object' && 'events' in body
        ? (body as { events: unknown }).events
        : [body];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_EVENTS_PER_REQUEST) {
      res.status(400).json({ error: { code: 'invalid_event', message: 'bad events' } });
      return;
    }
    const ids: string[] = [];
    for (const item of list) {
      const parsed = hrEventSchema.safeParse(item);
      if (!parsed.success) {
        res.status(400).json({ error: { code: 'invalid_event', message: parsed.error.message } });
        return;
      }
      ids.push(parsed.data.id ?? String(req.headers['webhook-id']));
    }
    res.status(202).json({ status: 'queued', accepted: ids.length, duplicates: 0, ids });
  },
);

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
server.keepAliveTimeout = 65_000;
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
