import { type Logger, ReplicationTimeoutError } from '@dirsync/core';
import { IdempotencyConflictError } from '@dirsync/sync';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { ApiError, replicasUnavailable, serviceUnavailable } from '../api-error.js';
import { validateWebhookBody, validateWebhookId } from '../event-validation.js';
import type { IngestService } from '../ingest-service.js';
import type { ApiMetrics } from '../metrics.js';
import { isRedisUnavailable } from '../redis-unavailable.js';
import type { SignatureVerifier } from '../webhook-signature.js';

export const WEBHOOK_PATH = '/webhooks/directory-sync';
const MAX_BODY = '1mb';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isJson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** 415 before the body is even read. */
const requireJson: RequestHandler = (req, _res, next) => {
  if (!isJson(req)) {
    next(
      new ApiError(415, 'unsupported_media_type', 'the body must be JSON (Content-Type: application/json)'),
    );
    return;
  }
  next();
};

/** A delivery's fields on its request's log line (one line per delivery, written when the answer is sent). */
export interface DeliveryLog {
  events: number;
  accepted: number;
  duplicates: number;
  stale: number;
  jobs: number;
}

function countEvents(metrics: ApiMetrics, delivery: DeliveryLog): void {
  const fresh = delivery.accepted - delivery.stale;
  if (fresh > 0) metrics.webhookEvents.inc({ result: 'accepted' }, fresh);
  if (delivery.stale > 0) metrics.webhookEvents.inc({ result: 'stale' }, delivery.stale);
  if (delivery.duplicates > 0) metrics.webhookEvents.inc({ result: 'duplicate' }, delivery.duplicates);
}

/** The same idempotency key with other content: 409 naming the key (and where it is); nothing was stored. */
function idempotencyConflict(error: IdempotencyConflictError, batch: boolean): ApiError {
  return new ApiError(
    409,
    'idempotency_conflict',
    `idempotency key "${error.idempotencyKey}" was already used for this person with different content; nothing was accepted`,
    {
      details: [
        {
          field: batch ? `events[${error.index}]` : '(body)',
          key: error.idempotencyKey,
          externalId: error.externalId,
        },
      ],
    },
  );
}

export function webhookRouter(deps: {
  verifier: SignatureVerifier;
  /** The intake: an IngestService, or a ReplicaAck in front of them when replicas must confirm. */
  ingest: Pick<IngestService, 'accept'>;
  metrics: ApiMetrics;
  logger: Logger;
  timeZone?: string | undefined;
}): Router {
  const router = express.Router();
  router.post(
    WEBHOOK_PATH,
    requireJson,
    express.raw({ type: () => true, limit: MAX_BODY }),
    async (req, res) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const started = process.hrtime.bigint();
      try {
        deps.verifier.verify(raw, req.headers);
        let text: string;
        try {
          text = utf8.decode(raw);
        } catch {
          throw new ApiError(400, 'invalid_encoding', 'the body is not valid UTF-8');
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new ApiError(400, 'invalid_json', 'the body is not valid JSON');
        }
        const receivedAt = Date.now();
        const { events, batch } = validateWebhookBody(body, receivedAt, deps.timeZone);
        const webhookId = validateWebhookId(req.headers['webhook-id']);
        let result: Awaited<ReturnType<IngestService['accept']>>;
        try {
          result = await deps.ingest.accept(events, { webhookId, batch, receivedAt });
        } catch (error) {
          if (isRedisUnavailable(error)) throw serviceUnavailable(error);
          if (error instanceof IdempotencyConflictError) throw idempotencyConflict(error, batch);
          if (error instanceof ReplicationTimeoutError) throw replicasUnavailable(error);
          throw error;
        }
        deps.metrics.enqueueSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
        const delivery: DeliveryLog = {
          events: events.length,
          accepted: result.accepted,
          duplicates: result.duplicates,
          stale: result.stale,
          jobs: result.jobIds.length,
        };
        res.locals.delivery = delivery;
        countEvents(deps.metrics, delivery);
        res.status(202).json({
          status: result.status,
          accepted: result.accepted,
          duplicates: result.duplicates,
          ids: result.ids,
        });
      } catch (error) {
        if (error instanceof ApiError && [400, 401, 409].includes(error.status)) {
          deps.metrics.webhookEvents.inc({ result: 'rejected' });
        }
        throw error;
      }
    },
  );
  return router;
}
