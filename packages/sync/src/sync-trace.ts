import type { ScimResponseInfo, ScimUser } from '@dirsync/scim';
import type { TimelineRequest } from './console-view.js';
import type { RequestContext } from './sync-ports.js';

const MAX_REQUESTS = 50;

/**
 * What one sync of one person did, gathered through its request context: each SCIM request (method, path,
 * status, duration, both correlation ids) and what the mapping made of the record (for the people search).
 */
export class SyncTrace {
  /** The first 50 requests (a sync spends a handful; a long conflict chain is cut). */
  readonly requests: TimelineRequest[] = [];
  /** 429 answers, listed or not. */
  rateLimited = 0;
  mapped: ScimUser | undefined;

  /** The listeners to put on the sync's request context. */
  readonly listeners: Required<Pick<RequestContext, 'onResponse' | 'onMapped'>> = {
    onResponse: (info) => this.response(info),
    onMapped: (user) => {
      this.mapped = user;
    },
  };

  private response(info: ScimResponseInfo): void {
    if (info.status === 429) this.rateLimited += 1;
    if (this.requests.length >= MAX_REQUESTS) return;
    const request: TimelineRequest = {
      method: info.method,
      path: info.path,
      status: info.status,
      durationMs: info.durationMs,
    };
    if (info.correlationId) request.correlationId = info.correlationId;
    if (info.targetCorrelationId) request.targetCorrelationId = info.targetCorrelationId;
    this.requests.push(request);
  }
}
