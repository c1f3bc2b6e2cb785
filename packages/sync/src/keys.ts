/**
 * Redis keys of the sync engine, all under the queue prefix so one `{dirsync}` prefix keeps every key in one
 * Redis Cluster hash slot (the Lua scripts touch several keys at once).
 */
export interface SyncKeys {
  /** Hash: one person's newest HR state and how far it has been applied. */
  person(externalId: string): string;
  /** Per-person sync lock (string token with a TTL). */
  lock(externalId: string): string;
  /** Remembered idempotency key of an accepted event. */
  idempotency(key: string): string;
  /** Arrival sequence: breaks `occurredAt` ties. */
  sequence: string;
  /** ZSET externalId → first time a change became pending; the sweeper's safety net. */
  pending: string;
  /** ZSET externalId → when to check again a person another sync held (the holder may have died). */
  contended: string;
  /** ZSET externalId → when a deactivated person's state is cut to a tombstone (epoch ms). */
  retiring: string;
  /** JSON: what the target held for this person after our last read or write. */
  target(externalId: string): string;
  /** SET of people waiting for this manager to exist in the target. */
  waitingForManager(managerExternalId: string): string;
  /** Marker: a once-only note on this person (e.g. `self-manager`, `out-of-scope`) was reported. */
  note(externalId: string, topic: string): string;
  /** ZSET externalId → since when they wait for their manager (`+inf` once reported missing). */
  managerWaitSince: string;
  /** Hash externalId → the manager's externalId they wait for. */
  managerWaitFor: string;
  /** Hash of outcomes settled so far by one batch job (survives its retries). */
  draft(jobId: string): string;
  /** ZSET of request timestamps in the sliding window. */
  budgetWindow: string;
  /** Epoch ms until which nobody may call the target (set on 429). */
  blockedUntil: string;
  /** JSON: why the sync is quarantined, when it started. */
  quarantine: string;
  /** Epoch ms of the first target failure in an unbroken run of failures. */
  failingSince: string;
  /** Hash: one person's future-dated change sets, by effective time (epoch ms), with their bookkeeping. */
  scheduled(externalId: string): string;
  /** ZSET `<effectiveAtMs>|<externalId>` → when its next stage falls due (or its claim's lease ends). */
  scheduleDue: string;
  /** String (with a TTL): the person's user is created ahead of a future start, inactive, until then. */
  prehire(externalId: string): string;
  /** Hash: SCIM path → a value the target refused for this person (and why), not sent again until HR changes it. */
  refused(externalId: string): string;
  /** ZSET externalId → first 403 on a write, since the last successful write (any process). */
  deniedWrites: string;
  /** Hash: Genesys group name (lower case) → JSON `{ id, displayName }`. */
  groupIds: string;
  /** JSON: the skills and languages dirsync added to this person itself, and the ones the target refused. */
  routing(externalId: string): string;
  /** LIST (newest first) of one person's console timeline entries, JSON each; capped and expiring. */
  timeline(externalId: string): string;
  /** SET of people whose newest revision failed for good (kept by the completion script). */
  failedPeople: string;
  /** Hash outcome → count of one minute / one hour (`bucket` = epoch ms ÷ the bucket's length). */
  statsMinute(bucket: number): string;
  statsHour(bucket: number): string;
  /** ZSET of `<term>\0<externalId>` (all scores 0): the console's people search, by word prefix. */
  searchTerms: string;
  /** Hash externalId → JSON of what the search shows and the terms indexed for them. */
  searchDocs: string;
}

export function createKeys(prefix: string): SyncKeys {
  return {
    person: (id) => `${prefix}:person:${id}`,
    lock: (id) => `${prefix}:lock:${id}`,
    idempotency: (key) => `${prefix}:idem:${key}`,
    sequence: `${prefix}:seq`,
    pending: `${prefix}:pending`,
    contended: `${prefix}:contended`,
    retiring: `${prefix}:retiring`,
    target: (id) => `${prefix}:target:${id}`,
    waitingForManager: (id) => `${prefix}:waitmgr:${id}`,
    note: (id, topic) => `${prefix}:note:${topic}:${id}`,
    managerWaitSince: `${prefix}:mgrwait:since`,
    managerWaitFor: `${prefix}:mgrwait:for`,
    draft: (jobId) => `${prefix}:draft:${jobId}`,
    budgetWindow: `${prefix}:budget:window`,
    blockedUntil: `${prefix}:budget:blocked-until`,
    quarantine: `${prefix}:quarantine`,
    failingSince: `${prefix}:health:failing-since`,
    scheduled: (id) => `${prefix}:sched:${id}`,
    scheduleDue: `${prefix}:sched-due`,
    prehire: (id) => `${prefix}:prehire:${id}`,
    refused: (id) => `${prefix}:refused:${id}`,
    deniedWrites: `${prefix}:health:denied-writes`,
    groupIds: `${prefix}:groups:by-name`,
    routing: (id) => `${prefix}:routing:${id}`,
    timeline: (id) => `${prefix}:timeline:${id}`,
    failedPeople: `${prefix}:failed-people`,
    statsMinute: (bucket) => `${prefix}:stats:m:${bucket}`,
    statsHour: (bucket) => `${prefix}:stats:h:${bucket}`,
    searchTerms: `${prefix}:search:terms`,
    searchDocs: `${prefix}:search:docs`,
  };
}
