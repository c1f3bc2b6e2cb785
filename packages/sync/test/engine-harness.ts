import type { EventType, HrRecord } from '@dirsync/contracts';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '@dirsync/genesys-sim';
import { Redis } from 'ioredis';
import type { BatchResult } from '../src/batch-runner.js';
import { createSyncEngine, type SyncEngine, type SyncEngineSettings } from '../src/sync-engine.js';

export interface TestEvent {
  id?: string;
  event: EventType;
  occurredAt?: string;
  data: HrRecord;
}

/** A full HR record with test defaults. */
export function hr(externalId: string, extra: Partial<HrRecord> & Record<string, unknown> = {}): HrRecord {
  return {
    externalId,
    firstName: 'Test',
    lastName: externalId,
    workEmail: `${externalId.toLowerCase()}@example.com`,
    title: 'Agent',
    departmentCode: 'Support',
    role: 'agent',
    ...extra,
  } as HrRecord;
}

export interface EngineHarness {
  sim: RunningSimulator;
  engine: SyncEngine;
  /** Sync triggers the engine asked its host for (a manager now exists, a reconcile fix). */
  requested: Array<{ externalIds: string[]; origin: string }>;
  /** Records events as the API does; returns the people whose state changed. */
  send(events: TestEvent | TestEvent[]): Promise<string[]>;
  /** One run of a batch job, as the worker would make it. */
  run(externalIds: string[], options?: { jobId?: string; finalAttempt?: boolean }): Promise<BatchResult>;
  /** Runs a batch like a job with its retries (the last one final) and returns the completed result. */
  sync(externalIds: string[]): Promise<Extract<BatchResult, { kind: 'completed' }>>;
  close(): Promise<void>;
}

let jobs = 0;

/**
 * The engine on its own: a real Redis under the test's prefix and the Genesys simulator over HTTP, no apps.
 */
export async function startEngineHarness(options: {
  redisUrl: string;
  prefix: string;
  sim?: SimulatorOptions;
  settings?: Partial<SyncEngineSettings>;
}): Promise<EngineHarness> {
  const sim = await startSimulator({ admin: true, rateLimitPerMinute: 100_000, ...options.sim });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const requested: EngineHarness['requested'] = [];
  const engine = await createSyncEngine({
    redis,
    prefix: options.prefix,
    target: {
      baseUrl: sim.url,
      loginUrl: sim.url,
      scimBasePath: '/api/v2/scim/v2',
      clientId: 'dirsync-local',
      clientSecret: 'dirsync-local-secret',
    },
    requestsPerMinute: 100_000,
    reportRetentionDays: 1,
    userAgent: 'dirsync-engine-test',
    ...options.settings,
    hooks: {
      requestSync: async (externalIds, origin) => {
        requested.push({ externalIds, origin });
      },
      ...options.settings?.hooks,
    },
  });
  let delivery = 0;
  const harness: EngineHarness = {
    sim,
    engine,
    requested,
    async send(events) {
      const list = Array.isArray(events) ? events : [events];
      const now = Date.now();
      const statuses = await engine.people.ingest(
        list.map((e) => ({
          idempotencyKey: e.id ?? `evt-${++delivery}`,
          type: e.event,
          occurredAtMs: e.occurredAt ? Date.parse(e.occurredAt) : now,
          data: e.data,
        })),
        now,
      );
      return [...new Set(statuses.filter((s) => s.status === 'applied').map((s) => s.externalId))];
    },
    run(externalIds, runOptions = {}) {
      return engine.batches.run({
        jobId: runOptions.jobId ?? `job-${++jobs}`,
        externalIds,
        origin: 'webhook',
        finalAttempt: runOptions.finalAttempt ?? true,
      });
    },
    async sync(externalIds) {
      const jobId = `job-${++jobs}`;
      for (let attempt = 1; ; attempt++) {
        const result = await harness.run(externalIds, { jobId, finalAttempt: attempt >= 3 });
        if (result.kind === 'completed') return result;
        if (result.kind !== 'retry') throw new Error(`batch ${result.kind}: ${JSON.stringify(result)}`);
      }
    },
    async close() {
      engine.close();
      redis.disconnect();
      await sim.close();
    },
  };
  return harness;
}
