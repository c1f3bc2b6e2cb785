import type { HrRecord } from '@dirsync/contracts';
import { startSimulator } from '@dirsync/genesys-sim';
import { createSyncEngine, type SyncEngine } from '@dirsync/sync';
import { Redis } from 'ioredis';
import type { Row } from './report.js';

/** A full HR record as the bench's people have them. */
function person(externalId: string, extra: Partial<HrRecord> = {}): HrRecord {
  return {
    externalId,
    firstName: 'Bench',
    lastName: externalId,
    workEmail: `${externalId.toLowerCase()}@example.com`,
    title: 'Agent',
    departmentCode: 'Support',
    role: 'agent',
    ...extra,
  } as HrRecord;
}

/** One engine against one simulator playing a real Genesys org (the simulator's defaults). */
async function startRig(redisUrl: string, prefix: string, namesAttribute: boolean) {
  const sim = await startSimulator({
    admin: true,
    rateLimitPerMinute: 100_000,
    behavior: { errorDetailNamesAttribute: namesAttribute },
  });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const engine: SyncEngine = await createSyncEngine({
    redis,
    prefix,
    target: {
      baseUrl: sim.url,
      loginUrl: sim.url,
      scimBasePath: '/api/v2/scim/v2',
      clientId: 'dirsync-local',
      clientSecret: 'dirsync-local-secret',
    },
    requestsPerMinute: 100_000,
    reportRetentionDays: 1,
    userAgent: 'dirsync-bench',
  });
  let n = 0;
  /** Ingests the records and runs one batch job over them; answers the report's people. */
  const sync = async (records: HrRecord[], event: 'user.created' | 'user.updated') => {
    const now = Date.now();
    await engine.people.ingest(
      records.map((data) => ({ idempotencyKey: `${prefix}-${++n}`, type: event, occurredAtMs: now, data })),
      now,
    );
    const result = await engine.batches.run({
      jobId: `${prefix}-job-${n}`,
      externalIds: records.map((r) => r.externalId),
      origin: 'webhook',
      finalAttempt: true,
    });
    if (result.kind !== 'completed') throw new Error(`bench batch ended ${result.kind}`);
    return result.report.people;
  };
  const requestsSince = async (seq: number) => (await sim.admin.requests({ since: seq })).length;
  const lastSeq = async () => (await sim.admin.requests()).at(-1)?.seq ?? 0;
  const close = async () => {
    engine.close();
    redis.disconnect();
    await sim.close();
  };
  return { sync, requestsSince, lastSeq, close };
}

/** Extra requests to write a PATCH of 6 operations whose division the target refuses. */
async function extraRequestsPerRefusal(redisUrl: string, namesAttribute: boolean): Promise<number> {
  const rig = await startRig(
    redisUrl,
    `bench-refused-${namesAttribute ? 'named' : 'unnamed'}`,
    namesAttribute,
  );
  try {
    await rig.sync([person('BR-1')], 'user.created');
    const six = person('BR-1', {
      title: 'Lead',
      departmentCode: 'Sales',
      phone: '+1 415 555 0100',
      hireDate: '2024-01-02',
      role: 'supervisor',
      division: 'Atlantis',
    });
    const [result] = await rig.sync([six], 'user.updated');
    return (result?.requests ?? 0) - 1;
  } finally {
    await rig.close();
  }
}

/** Requests a replay of every unchanged record causes after a realistic first sync. */
async function noOpReplayRequests(redisUrl: string, users: number): Promise<number> {
  const rig = await startRig(redisUrl, 'bench-replay', true);
  try {
    const records = Array.from({ length: users }, (_, i) =>
      person(`BP-${i}`, {
        phone: i % 3 === 0 ? '+44 20 7946 0958' : '(415) 555-0132',
        ...(i % 4 === 0 ? {} : { division: i % 2 === 0 ? 'Sales' : 'Narnia' }),
        hireDate: '2023-04-01T09:00:00Z',
        role: i % 5 === 0 ? 'Supervisor' : 'agent',
      }),
    );
    for (let i = 0; i < records.length; i += 25) await rig.sync(records.slice(i, i + 25), 'user.created');
    const before = await rig.lastSeq();
    for (let i = 0; i < records.length; i += 25) await rig.sync(records.slice(i, i + 25), 'user.updated');
    return await rig.requestsSince(before);
  } finally {
    await rig.close();
  }
}

/** The "Genesys in practice" rows: what a refused attribute costs, and that a replay costs nothing. */
export async function runRefusalBench(redisUrl: string, log: (line: string) => void): Promise<Row[]> {
  const named = await extraRequestsPerRefusal(redisUrl, true);
  const unnamed = await extraRequestsPerRefusal(redisUrl, false);
  const users = 100;
  const replay = await noOpReplayRequests(redisUrl, users);
  log(
    `  refused attribute: ${named} extra (named), ${unnamed} extra (unnamed); replay of ${users}: ${replay}`,
  );
  const row = (measurement: string, value: number, target: number): Row => ({
    area: 'Genesys in practice',
    measurement,
    dirsync: String(value),
    baseline: '—',
    ratio: '—',
    target: target === 0 ? '0' : `≤ ${target}`,
    met: value <= target,
  });
  return [
    row('extra requests per refused attribute on a PATCH of 6 ops, error names the attribute', named, 1),
    row('extra requests per refused attribute on a PATCH of 6 ops, error names nothing', unnamed, 4),
    row(`no-op replay of ${users} people against the realistic simulator (requests)`, replay, 0),
  ];
}
