import { packTriggers } from '@dirsync/sync';

/**
 * Adds one sync job per list of people, all in one acknowledged unit (one `addBulk`); resolves to the job ids in
 * that order.
 */
export type AddTriggers = (jobs: ReadonlyArray<readonly string[]>) => Promise<string[]>;

interface Group {
  /** The new people of each delivery the group carries, in arrival order (none twice in the group). */
  deliveries: string[][];
  members: Set<string>;
  settle: { resolve: (jobOf: Map<string, string>) => void; reject: (error: unknown) => void };
  /** Which job carries each person, once Redis has acknowledged them. */
  done: Promise<Map<string, string>>;
}

function openGroup(): Group {
  let settle!: Group['settle'];
  const done = new Promise<Map<string, string>>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A group nobody waits for any more must not surface as an unhandled rejection; waiters still get the error.
  done.catch(() => {});
  return { deliveries: [], members: new Set(), settle, done };
}

/** Which job carries each person, given the jobs' people and ids in the same order. */
function jobOfPerson(jobs: ReadonlyArray<readonly string[]>, jobIds: readonly string[]): Map<string, string> {
  const jobOf = new Map<string, string>();
  for (const [i, ids] of jobs.entries()) {
    const jobId = jobIds[i];
    if (jobId !== undefined) for (const id of ids) jobOf.set(id, jobId);
  }
  return jobOf;
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
    const fresh: string[] = [];
    for (const id of externalIds) {
      if (group.members.has(id)) continue;
      group.members.add(id);
      fresh.push(id);
    }
    group.deliveries.push(fresh);
    if (!this.inFlight) this.flush();
    const jobOf = await group.done;
    const mine = new Set<string>();
    for (const id of externalIds) {
      const jobId = jobOf.get(id);
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
      const jobs = packTriggers(group.deliveries);
      let added: Promise<string[]>;
      try {
        added = this.addTriggers(jobs);
      } catch (error) {
        added = Promise.reject(error);
      }
      added
        .then((jobIds) => group.settle.resolve(jobOfPerson(jobs, jobIds)), group.settle.reject)
        .finally(() => {
          if (this.waiting) this.flush();
          else this.inFlight = false;
        });
    });
  }
}
