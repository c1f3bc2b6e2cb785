import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { redact } from '@dirsync/core';
import type { Queue } from 'bullmq';
import express, { type Router } from 'express';
import { formatJobData, maskJobJson } from './board-failure-text.js';
import { removeBoardOutsideLinks } from './board-page-links.js';
import { allowBoardWrites } from './board-write-allowlist.js';

/** A job as the board reads it: its JSON is what the board shows. */
interface BoardJob {
  toJSON(): object;
}

/** Makes the board see the job's failed reason and stack trace with HR values masked. */
function maskForBoard<J extends BoardJob>(job: J): J {
  const original = job.toJSON.bind(job);
  job.toJSON = () => maskJobJson(original());
  return job;
}

/** A queue adapter whose description can change at run time (used to shout about a quarantine). */
class DescribedQueueAdapter extends BullMQAdapter {
  private describe: () => string;

  constructor(queue: Queue, describe: () => string, displayName: string) {
    super(queue, { displayName, allowRetries: true });
    this.describe = describe;
    // Job data carries ids and failure codes; failure messages quote HR values (the policy's role and
    // department): the board shows codes and ids only.
    this.setFormatter('data', (data: unknown) => formatJobData(data));
    this.setFormatter('returnValue', (value: unknown) => redact(value));
  }

  override getDescription(): string {
    return this.describe();
  }

  override async getJob(id: string): ReturnType<BullMQAdapter['getJob']> {
    const job = await super.getJob(id);
    return job ? maskForBoard(job) : job;
  }

  override async getJobs(
    ...args: Parameters<BullMQAdapter['getJobs']>
  ): ReturnType<BullMQAdapter['getJobs']> {
    return (await super.getJobs(...args)).map(maskForBoard);
  }
}

/**
 * Bull Board at `basePath`, showing every queue of the product, with its write API cut down to what operators
 * need (see board-write-allowlist.ts). Authentication is the caller's middleware.
 */
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
  const router = express.Router();
  router.use(allowBoardWrites, removeBoardOutsideLinks, serverAdapter.getRouter() as Router);
  return router;
}
