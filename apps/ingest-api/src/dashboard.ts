import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { redact } from '@dirsync/core';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

/** A queue adapter whose description can change at run time (used to shout about a quarantine). */
class DescribedQueueAdapter extends BullMQAdapter {
  private describe: () => string;

  constructor(queue: Queue, describe: () => string, displayName: string) {
    super(queue, { displayName, allowRetries: true });
    this.describe = describe;
    // Job data carries ids only, but failed reasons and return values come from the sync: redact to be sure.
    this.setFormatter('data', (data: unknown) => redact(data));
    this.setFormatter('returnValue', (value: unknown) => redact(value));
  }

  override getDescription(): string {
    return this.describe();
  }
}

/** Bull Board at `basePath`, showing every queue of the product. Authentication is the caller's middleware. */
export function createDashboard(options: {
  basePath: string;
  queues: Array<{ queue: Queue; displayName: string; describe: () => string }>;
}): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(options.basePath);
  createBullBoard({
    queues: options.queues.map((q) => new DescribedQueueAdapter(q.queue, q.describe, q.displayName)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'dirsync' } },
  });
  return serverAdapter.getRouter() as Router;
}
