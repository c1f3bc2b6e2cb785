import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '@dirsync/genesys-sim';
import { createSyncEngine, type SyncEngine } from '@dirsync/sync';
import { Redis } from 'ioredis';
import type { RedisHandle } from './processes.js';
import type { Row } from './report.js';

export interface GroupBenchSettings {
  users: number;
  groups: number;
}

/** One workload: membership changes asked for, and what the target saw. */
export interface GroupWorkload {
  name: 'hires' | 'transfers' | 'noop';
  people: number;
  membershipChanges: number;
  groupPatches: number;
  groupLookups: number;
  requests: number;
}

export interface GroupBenchResult {
  settings: GroupBenchSettings;
  workloads: GroupWorkload[];
}

const BATCH = 25;
const groupName = (i: number) => `Queue ${i + 1}`;

/** A policy that manages the bench's groups (written to a temporary file, removed afterwards). */
function writePolicy(dir: string, groups: number): string {
  const file = path.join(dir, 'policy.json');
  const names = Array.from({ length: groups }, (_, i) => groupName(i));
  fs.writeFileSync(file, JSON.stringify({ departments: { Support: ['agent'] }, managedGroups: names }));
  return file;
}

function record(i: number, groups: string[]) {
  return {
    externalId: `BG-${i}`,
    firstName: 'Bench',
    lastName: `Agent ${i}`,
    workEmail: `bg-${i}@example.com`,
    departmentCode: 'Support',
    role: 'agent',
    groups,
  };
}

/** Ingests one event per person and syncs them in batches of 25, as the worker would. */
async function syncAll(engine: SyncEngine, records: ReturnType<typeof record>[], tag: string): Promise<void> {
  const now = Date.now();
  await engine.people.ingest(
    records.map((data, i) => ({
      idempotencyKey: `${tag}-${i}`,
      type: 'user.updated' as const,
      occurredAtMs: now,
      data,
    })),
    now,
  );
  for (let start = 0; start < records.length; start += BATCH) {
    const externalIds = records.slice(start, start + BATCH).map((r) => r.externalId);
    await engine.batches.run({
      jobId: `${tag}-${start}`,
      externalIds,
      origin: 'webhook',
      finalAttempt: true,
    });
  }
}

/**
 * Requests per group membership change, in process (the engine and the simulator without latency: this counts
 * requests, it does not time them). Hires join two groups each, transfers move half of them from one managed
 * group to another, a replay changes nothing.
 */
export async function runGroupMembership(
  redis: RedisHandle,
  settings: GroupBenchSettings,
): Promise<GroupBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-bench-groups-'));
  const names = Array.from({ length: settings.groups }, (_, i) => groupName(i));
  const sim = await startSimulator({ admin: true, rateLimitPerMinute: 1_000_000, groups: names });
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const engine = await createSyncEngine({
    redis: client,
    prefix: 'bench-groups',
    target: {
      baseUrl: sim.url,
      loginUrl: sim.url,
      scimBasePath: '/api/v2/scim/v2',
      clientId: 'dirsync-local',
      clientSecret: 'dirsync-local-secret',
    },
    requestsPerMinute: 1_000_000,
    reportRetentionDays: 1,
    userAgent: 'dirsync-bench',
    policyFile: writePolicy(dir, settings.groups),
  });
  const workloads: GroupWorkload[] = [];
  const measure = async (
    name: GroupWorkload['name'],
    changes: number,
    records: ReturnType<typeof record>[],
  ) => {
    const before = await sim.admin.counters();
    await syncAll(engine, records, name);
    const after = await sim.admin.counters();
    const patches = after.groupPatches - before.groupPatches;
    const lookups = after.groupReads - before.groupReads;
    workloads.push({
      name,
      people: records.length,
      membershipChanges: changes,
      groupPatches: patches,
      groupLookups: lookups,
      requests: after.requests - before.requests,
    });
  };
  try {
    const g = settings.groups;
    const hired = Array.from(
      { length: settings.users },
      (_, i) => [names[i % g], names[(i + 3) % g]] as string[],
    );
    await measure(
      'hires',
      settings.users * 2,
      hired.map((groups, i) => record(i, groups)),
    );
    const movers = Math.floor(settings.users / 2);
    const moved = hired.map((groups, i) =>
      i < movers ? [names[(i + 1) % g] as string, groups[1] as string] : groups,
    );
    await measure(
      'transfers',
      movers * 2,
      moved.slice(0, movers).map((groups, i) => record(i, groups)),
    );
    await measure(
      'noop',
      0,
      moved.map((groups, i) => record(i, groups)),
    );
    return { settings, workloads };
  } finally {
    engine.close();
    client.disconnect();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows of the results table: PATCHes per membership change, lookups per group. */
export function groupRows(result: GroupBenchResult): Row[] {
  const area = `Groups (${result.settings.users} people, ${result.settings.groups} groups)`;
  return result.workloads.map((w) => {
    const perChange = w.membershipChanges === 0 ? w.groupPatches : w.groupPatches / w.membershipChanges;
    const lookupsOk = w.groupLookups <= result.settings.groups;
    const met = (w.membershipChanges === 0 ? w.requests === 0 : perChange === 1) && lookupsOk;
    return {
      area,
      measurement: `${w.name}: group PATCHes per membership change (${w.membershipChanges} changes)`,
      dirsync: `${perChange.toFixed(2)} (${w.groupPatches} PATCHes, ${w.groupLookups} lookups, ${w.requests} requests)`,
      baseline: '—',
      ratio: '—',
      target: w.membershipChanges === 0 ? '0 requests' : '1 PATCH per change, ≤ 1 lookup per group',
      met,
    };
  });
}
