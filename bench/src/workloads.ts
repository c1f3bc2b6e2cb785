import { type HrEvent, hrRecord } from './hr-events.js';

export type WorkloadKey = 'cold' | 'warm' | 'burst' | 'noop' | 'burstGrouped';

/** One sync workload: the events HR sends and what the target must hold afterwards. */
export interface Workload {
  key: WorkloadKey;
  title: string;
  users: number;
  events: HrEvent[];
  /** The fewest SCIM requests that can bring the target to the wanted state. */
  minRequests: number;
  /** Requests are counted per event, or per user (the burst: ten events, one wanted state). */
  per: 'event' | 'user';
  /** Each user's title once the workload is synced. */
  expectedTitles: Map<string, string>;
}

export const WORKLOAD_ORDER: readonly WorkloadKey[] = ['cold', 'warm', 'burst', 'noop'];

export const BURST_SIZE = 10;

export function userIds(tag: string, users: number): string[] {
  return Array.from({ length: users }, (_, i) => `${tag}-${String(i + 1).padStart(5, '0')}`);
}

/**
 * Builds the workloads in order against a directory that evolves: cold creates, one warm update each, a burst of
 * ten updates each (sent round by round: ten quick HR edits across everyone, so each person's edits are spread
 * over the whole burst), then a replay of everyone's current record under new event ids (nothing changed: nothing
 * should be written). An extra variant sends each person's ten edits back to back.
 */
export class WorkloadBuilder {
  /** Each person's current title: what the last workload left them at. */
  readonly titles = new Map<string, string>();
  private eventCounter = 0;

  constructor(
    private readonly tag: string,
    readonly ids: readonly string[],
  ) {}

  build(key: WorkloadKey, options: { burstUsers?: readonly string[] } = {}): Workload {
    const now = Date.now();
    const event = (type: HrEvent['event'], id: string, title: string, at: number): HrEvent => ({
      id: `${this.tag}-e${++this.eventCounter}`,
      event: type,
      occurredAt: new Date(at).toISOString(),
      data: hrRecord(id, title),
    });
    const users = this.ids;
    const expected = new Map(this.titles);
    let events: HrEvent[];
    let minRequests: number;
    switch (key) {
      case 'cold':
        events = users.map((id) => event('user.created', id, 'Agent', now));
        for (const id of users) expected.set(id, 'Agent');
        // A lookup by externalId (the contract forbids creating blind), then the POST.
        minRequests = 2 * users.length;
        break;
      case 'warm':
        events = users.map((id) => event('user.updated', id, 'Senior Agent', now));
        for (const id of users) expected.set(id, 'Senior Agent');
        minRequests = users.length;
        break;
      case 'burst': {
        const burstUsers = options.burstUsers ?? users;
        events = [];
        for (let round = 1; round <= BURST_SIZE; round++) {
          for (const id of burstUsers) events.push(event('user.updated', id, `Agent r${round}`, now + round));
        }
        for (const id of burstUsers) expected.set(id, `Agent r${BURST_SIZE}`);
        minRequests = burstUsers.length;
        break;
      }
      case 'burstGrouped': {
        // The same burst, but each person's ten edits back to back (one record saved ten times in a row).
        events = [];
        for (const id of users) {
          for (let round = 1; round <= BURST_SIZE; round++) {
            events.push(event('user.updated', id, `Agent g${round}`, now + round));
          }
        }
        for (const id of users) expected.set(id, `Agent g${BURST_SIZE}`);
        minRequests = users.length;
        break;
      }
      case 'noop':
        events = users.map((id) => event('user.updated', id, this.titles.get(id) ?? 'Agent', now));
        minRequests = 0;
        break;
    }
    const perUser = key === 'burst' || key === 'burstGrouped';
    const counted = key === 'burst' ? (options.burstUsers ?? users).length : users.length;
    return {
      key,
      title: TITLES[key],
      users: counted,
      events,
      minRequests,
      per: perUser ? 'user' : 'event',
      expectedTitles: expected,
    };
  }

  /** The workload was applied: the directory moves on. */
  applied(workload: Workload): void {
    for (const [id, title] of workload.expectedTitles) this.titles.set(id, title);
  }
}

export const TITLES: Record<WorkloadKey, string> = {
  cold: 'cold creates',
  warm: 'warm single updates',
  burst: `burst of ${BURST_SIZE} updates per user`,
  noop: 'no-op replay',
  burstGrouped: `burst of ${BURST_SIZE}, each user's updates back to back`,
};
