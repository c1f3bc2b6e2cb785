import { MAX_USERS_PER_JOB } from '@dirsync/contracts';

/**
 * Adds sync triggers for people in one acknowledged unit (one `addBulk`), at most 25 people per job; resolves to
 * the job ids in order, job `i` carrying people `25 i … 25 i + 24` of the list.
 */
export type AddTriggers = (externalIds: readonly string[]) => Promise<string[]>;

interface Group {
  /** Every person the group carries, in the order they were added; their index picks their job. */
  people: string[];
  index: Map<string, number>;
  settle: { resolve: (jobIds: string[]) => void; reject: (error: unknown) => void };
  done: Promise<string[]>;
}

function openGroup(): Group {
  let settle!: Group['settle'];
  const done = new Promise<string[]>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A group nobody waits for any more must not surface as an unhandled rejection; waiters still get the error.
  done.catch(() => {});
  return { people: [], index: new Map(), settle, done };
}

/**
 * Group commit of sync triggers: while one `addBulk` is in flight, the triggers of concurrent deliveries
 * accumulate and go out together in the next one as soon as it returns. There is no timer: with nothing in flight
 * a delivery's triggers are added at once, so a lone webhook waits no longer than before. Each caller learns the
 * outcome of the very `addBulk` that carried its people, so a failure reaches exactly those callers.
 */
export class TriggerGroupCommit {
  private readonly addTriggers: AddTriggers;
  private waiting: Group | undefined;
  private inFlight = false;

  constructor(addTriggers: AddTriggers) {
    this.addTriggers = addTriggers;
  }

  /** Resolves with the ids of the jobs that carry `externalIds` once Redis has acknowledged them. */
  async commit(externalIds: readonly string[]): Promise<string[]> {
    if (externalIds.length === 0) return [];
    this.waiting ??= openGroup();
    const group = this.waiting;
    for (const id of externalIds) {
      if (group.index.has(id)) continue;
      group.index.set(id, group.people.length);
      group.people.push(id);
    }
    if (!this.inFlight) this.flush();
    const jobIds = await group.done;
    const mine = new Set<string>();
    for (const id of externalIds) {
      const jobId = jobIds[Math.floor((group.index.get(id) ?? 0) / MAX_USERS_PER_JOB)];
      if (jobId !== undefined) mine.add(jobId);
    }
    return [...mine];
  }

  /** Sends what has accumulated; a microtask later, so deliveries answered by the same Redis reply join too. */
  private flush(): void {
    this.inFlight = true;
    queueMicrotask(() => {
      const group = this.waiting;
      this.waiting = undefined;
      if (!group) {
        this.inFlight = false;
        return;
      }
      let added: Promise<string[]>;
      try {
        added = this.addTriggers(group.people);
      } catch (error) {
        added = Promise.reject(error);
      }
      added.then(group.settle.resolve, group.settle.reject).finally(() => {
        if (this.waiting) this.flush();
        else this.inFlight = false;
      });
    });
  }
}
