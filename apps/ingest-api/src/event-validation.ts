import {
  effectiveAtOutOfRange,
  eventIdSchema,
  type HrEvent,
  hrEventSchema,
  MAX_EVENTS_PER_REQUEST,
  MAX_FUTURE_SKEW_MS,
  parseEffectiveAt,
} from '@dirsync/contracts';
import { describeIssues, type FieldProblem } from '@dirsync/core';
import { ApiError } from './api-error.js';

/**
 * Validates a webhook body: one event, or `{ events: [...] }` with up to 1,000. All-or-nothing: every bad field of
 * every event is reported and nothing is accepted.
 */
export function validateWebhookBody(
  body: unknown,
  now: number,
  timeZone = 'UTC',
): { events: HrEvent[]; batch: boolean } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_body', 'the body must be one event object or { "events": [ ... ] }');
  }
  const batch = 'events' in body;
  const problems: FieldProblem[] = [];
  const events: HrEvent[] = [];
  const positions: number[] = [];
  if (batch) {
    const list = (body as { events: unknown }).events;
    if (!Array.isArray(list)) {
      problems.push({ field: 'events', message: 'must be an array of events' });
    } else if (list.length === 0) {
      problems.push({ field: 'events', message: 'must hold at least one event' });
    } else if (list.length > MAX_EVENTS_PER_REQUEST) {
      problems.push({ field: 'events', message: `must hold at most ${MAX_EVENTS_PER_REQUEST} events` });
    } else {
      list.forEach((item, i) => {
        const parsed = hrEventSchema.safeParse(item);
        if (parsed.success) {
          events.push(parsed.data);
          positions.push(i);
        } else {
          problems.push(...describeIssues(parsed.error.issues, { prefix: ['events', i], whole: '(body)' }));
        }
      });
    }
  } else {
    const parsed = hrEventSchema.safeParse(body);
    if (parsed.success) {
      events.push(parsed.data);
      positions.push(0);
    } else {
      problems.push(...describeIssues(parsed.error.issues, { whole: '(body)' }));
    }
  }
  events.forEach((event, i) => {
    if (event.occurredAtMs !== undefined && event.occurredAtMs > now + MAX_FUTURE_SKEW_MS) {
      problems.push({
        field: batch ? `events[${positions[i]}].occurredAt` : 'occurredAt',
        message: 'is more than 5 minutes in the future',
      });
    }
    if (event.effectiveAt !== undefined) {
      const field = batch ? `events[${positions[i]}].effectiveAt` : 'effectiveAt';
      const read = parseEffectiveAt(event.effectiveAt, timeZone);
      const outside = read.ok ? effectiveAtOutOfRange(read.epochMs, now) : read.reason;
      if (outside || !read.ok) problems.push({ field, message: outside ?? 'is invalid' });
      else event.effectiveAtMs = read.epochMs;
    }
  });
  if (problems.length > 0) {
    throw new ApiError(400, 'invalid_event', `${problems.length} invalid field(s); nothing was accepted`, {
      details: problems,
    });
  }
  return { events, batch };
}

/**
 * The delivery's `webhook-id`, the fallback idempotency key: held to the event id's rule (printable ASCII), since
 * keys derived from it travel on as trace ids. Absent stays absent.
 */
export function validateWebhookId(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = eventIdSchema.safeParse(header);
  if (parsed.success) return parsed.data;
  throw new ApiError(400, 'invalid_event', '1 invalid field(s); nothing was accepted', {
    details: [{ field: 'webhook-id', message: parsed.error.issues[0]?.message ?? 'is invalid' }],
  });
}
