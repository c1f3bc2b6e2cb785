import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { ExternalJobUrl } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import { redact } from '@dirsync/core';
import type { Queue } from 'bullmq';
import express, { type Router } from 'express';
import { boardJobName, formatJobData, maskJobJson, peopleOfJob } from './board-failure-text.js';
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

/** The console page of a person (`/admin/people/:externalId`). */
function personPageUrl(consolePath: string, externalId: string): string {
  return `${consolePath}/people/${encodeURIComponent(externalId)}`;
}

/**
 * The board's link from a job to the console page of the person it is about (a batch: its first person; the job
 * data lists the others). Bull Board shows it next to the job's name; jobs about nobody have none.
 */
function consoleLinkOf(consolePath: string) {
  return (job: { data?: unknown }): ExternalJobUrl => {
    const [first] = peopleOfJob(job.data);
    // Bull Board renders the link only when one is returned; its type does not say so.
    if (first === undefined) return undefined as unknown as ExternalJobUrl;
    return { href: personPageUrl(consolePath, first), displayText: `${first} in the console` };
  };
}

/** A queue adapter whose description can change at run time (used to shout about a quarantine). */
class DescribedQueueAdapter extends BullMQAdapter {
  private describe: () => string;

  constructor(queue: Queue, describe: () => string, displayName: string, consolePath: string) {
    super(queue, { displayName, allowRetries: true, externalJobUrl: consoleLinkOf(consolePath) });
    this.describe = describe;
    // Job data carries ids and failure codes; failure messages quote HR values (the policy's role and
    // department): the board shows codes and ids only.
    this.setFormatter('data', (data: unknown) => formatJobData(data));
    this.setFormatter('returnValue', (value: unknown) => redact(value));
    // Job ids stay hashed (BullMQ ids may not hold every externalId); the name says who the job is about.
    this.setFormatter('name', (job: { name?: unknown; data?: unknown }) => boardJobName(job));
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
 * need (see board-write-allowlist.ts). Jobs are named by the person they are about and link to that person's
 * console page under `consolePath` (default `/admin`); the header links to the console too. Authentication is
 * the caller's middleware.
 */
export function createDashboard(options: {
  basePath: string;
  queues: Array<{ queue: Queue; displayName: string; describe: () => string }>;
  consolePath?: string;
}): Router {
  const consolePath = options.consolePath ?? '/admin';
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(options.basePath);
  createBullBoard({
    queues: options.queues.map(
      (q) => new DescribedQueueAdapter(q.queue, q.describe, q.displayName, consolePath),
    ),
    serverAdapter,
    options: {
      uiConfig: { boardTitle: 'dirsync', miscLinks: [{ text: 'Console', url: consolePath }] },
    },
  });
  const router = express.Router();
  router.use(allowBoardWrites, removeBoardOutsideLinks, serverAdapter.getRouter() as Router);
  return router;
}
