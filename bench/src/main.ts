import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeCheckout } from '@dirsync/harness';
import { replaceReadmeSection } from '../../scripts/report/readme-section.js';
import { groupRows, runGroupMembership } from './group-membership.js';
import { closeAgent, newSecret } from './hr-events.js';
import { runIngest } from './ingest.js';
import { type LatencyResult, latencyRows, runLatency } from './latency.js';
import { runMemory } from './memory.js';
import { createBenchGroup, type RedisHandle, ROOT, startBenchRedis } from './processes.js';
import { renderBenchmarksSection } from './readme-summary.js';
import { runRefusalBench } from './refusals.js';
import { type BenchResults, buildRows, type Machine, type Row, renderMarkdown } from './report.js';
import { runRollout } from './rollout.js';
import { runScaleOut } from './scale-out.js';
import { runSchedule } from './schedule.js';
import { runDirsyncWorkloads, runNaiveWorkloads, type SyncSettings } from './sync-efficiency.js';

/** A number from the environment (for trying the bench at other sizes), else the default. */
function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

const SETTINGS = {
  ingest: {
    durationSeconds: setting('BENCH_INGEST_SECONDS', 6),
    warmupSeconds: 2,
    rounds: setting('BENCH_INGEST_ROUNDS', 3),
    connections: setting('BENCH_INGEST_CONNECTIONS', 32),
    batchSize: 100,
  },
  // The budget is far above what a sequential client can spend (the naive baseline is latency-bound) and every
  // workload fits in one 60-second window of it: these rows measure requests per change, not the limiter.
  sync: {
    users: setting('BENCH_USERS', 500),
    budgetPerMinute: setting('BENCH_SYNC_BUDGET', 6000),
    latencyMs: 40,
    workers: 1,
    concurrency: 8,
    deliveryConcurrency: 16,
  } satisfies SyncSettings,
  naiveBurstSampleUsers: setting('BENCH_NAIVE_BURST_USERS', 50),
  // Cold creates then the burst, back to back: well over a budget's worth of requests, so the limiter binds, shared
  // by 3 worker processes. 600/min (twice Genesys's default) keeps the run near two minutes.
  budgetBound: {
    users: setting('BENCH_USERS', 500),
    budgetPerMinute: setting('BENCH_BOUND_BUDGET', 600),
    latencyMs: 40,
    workers: 3,
    concurrency: 8,
    deliveryConcurrency: 16,
  } satisfies SyncSettings,
  memory: { events: setting('BENCH_MEMORY_EVENTS', 10_000), budgetPerMinute: 100_000 },
  schedule: {
    pending: setting('BENCH_SCHEDULE_PENDING', 10_000),
    due: setting('BENCH_SCHEDULE_DUE', 1000),
    windowSeconds: 60,
    budgetPerMinute: 6000,
  },
  scaleOut: { users: setting('BENCH_USERS', 500), budgetPerMinute: 100_000, latencyMs: 200, concurrency: 8 },
  // Initial load at a binding budget (people without managers), with the directory index vs lookup-first; then a
  // burst spread over 30 s on the indexed directory.
  rollout: {
    users: setting('BENCH_ROLLOUT_USERS', 2000),
    budgetPerMinute: setting('BENCH_ROLLOUT_BUDGET', 600),
    latencyMs: 40,
    workers: 3,
    concurrency: 8,
    deliveryConcurrency: 16,
    burstRounds: 10,
    burstSpreadSeconds: setting('BENCH_ROLLOUT_SPREAD_SECONDS', 30),
  },
  groups: { users: setting('BENCH_USERS', 500), groups: 10 },
  latency: {
    people: 60,
    gapMs: 250,
    latencyMs: 40,
    settleMs: 1000,
    budgetPerMinute: 100_000,
    crashPeople: 120,
  },
};

const PHASES = [
  'ingest',
  'memory',
  'sync',
  'naive',
  'budget',
  'scale',
  'schedule',
  'rollout',
  'refusals',
  'groups',
  'latency',
] as const;
type Phase = (typeof PHASES)[number];

function selectedPhases(): Set<Phase> {
  const raw = process.env.BENCH_PHASES;
  if (!raw) return new Set(PHASES);
  const wanted = raw.split(',').map((p) => p.trim());
  const unknown = wanted.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`BENCH_PHASES: unknown ${unknown.join(', ')} (known: ${PHASES.join(', ')})`);
  return new Set(wanted as Phase[]);
}

function machine(): Machine {
  let redis = 'unknown';
  try {
    redis = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? redis;
  } catch {
    // Reported as unknown; startRedis fails with the real reason.
  }
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: os.totalmem() / 1024 ** 3,
    redis,
    commit: describeCheckout(),
    loadAverageAtStart: os.loadavg(),
  };
}

const log = (message: string) => process.stdout.write(`${message}\n`);

/** The results file is checked in: format it as `biome check` wants it (best effort; it is valid JSON anyway). */
function formatLikeTheRepo(file: string): void {
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', file], {
      stdio: 'ignore',
    });
  } catch {
    // Left as JSON.stringify wrote it.
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const phases = selectedPhases();
  const group = createBenchGroup();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: stopping everything the bench started…`);
    group.stopAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const results: BenchResults & { latency?: LatencyResult } = {
    generatedAt: new Date().toISOString(),
    command: 'pnpm bench',
    machine: machine(),
    settings: SETTINGS,
    rows: [],
    failures: [],
  };
  const m = results.machine;
  log(
    `dirsync bench · Node ${m.node} · ${m.cpus} × ${m.cpuModel} · redis-server ${m.redis} · commit ${m.commit}`,
  );
  log(`process logs: ${group.logDir}`);

  const secret = newSecret();
  let refusalRows: Row[] = [];
  let redis: RedisHandle | undefined;
  const phase = async (name: Phase, title: string, body: (redis: RedisHandle) => Promise<void>) => {
    if (!phases.has(name) || interrupted) return;
    log(`\n▶ ${title}`);
    const t0 = Date.now();
    try {
      redis ??= await startBenchRedis(group);
      await body(redis);
      log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    } catch (error) {
      // Ctrl-C stops the processes under a running phase: its errors are expected, not findings.
      if (interrupted) return;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.failures.push(`${title}: ${message.split('\n')[0]}`);
      log(`  FAILED: ${message}`);
    }
  };

  try {
    await phase('ingest', 'Ingest: autocannon against the API and a bare Express baseline', async (r) => {
      results.ingest = await runIngest(group, r, SETTINGS.ingest, { prefix: 'bench-ingest', secret, log });
    });
    await phase('memory', `Memory: a ${SETTINGS.memory.events}-event backlog`, async (r) => {
      results.memory = await runMemory(group, r, SETTINGS.memory, { prefix: 'bench-memory', secret, log });
    });
    await phase('sync', 'Sync efficiency: dirsync', async (r) => {
      await r.client.flushall();
      const dirsync = await runDirsyncWorkloads(group, r, SETTINGS.sync, {
        prefix: 'bench-sync',
        secret,
        workloads: ['cold', 'warm', 'burst', 'noop', 'burstGrouped'],
        log,
      });
      results.sync = { settings: SETTINGS.sync, dirsync };
    });
    await phase('naive', 'Sync efficiency: the naive baseline', async () => {
      const naive = await runNaiveWorkloads(group, SETTINGS.sync, {
        tag: 'bench-naive',
        burstSampleUsers: SETTINGS.naiveBurstSampleUsers,
        log,
      });
      if (results.sync) results.sync.naive = naive;
    });
    await phase('budget', 'Budget-bound: 3 workers against a budget the workloads exceed', async (r) => {
      await r.client.flushall();
      results.budgetBound = await runDirsyncWorkloads(group, r, SETTINGS.budgetBound, {
        prefix: 'bench-bound',
        secret,
        workloads: ['cold', 'burst'],
        log,
      });
    });
    await phase('scale', 'Scale-out: 1 vs 3 worker processes, latency-bound', async (r) => {
      const runs = [];
      for (const workers of [1, 3]) {
        await r.client.flushall();
        const run = await runScaleOut(group, r, SETTINGS.scaleOut, workers, {
          prefix: `bench-scale-${workers}`,
          secret,
        });
        log(
          `  ${workers} worker(s): ${run.usersPerSecond.toFixed(1)} users/s, ${(run.wallMs / 1000).toFixed(1)} s`,
        );
        runs.push(run);
      }
      results.scaleOut = { settings: SETTINGS.scaleOut, runs };
    });
    await phase(
      'schedule',
      'Effective dating: pending changes in Redis, terminations due at once',
      async (r) => {
        await r.client.flushall();
        results.schedule = await runSchedule(group, r, SETTINGS.schedule, {
          prefix: 'bench-schedule',
          secret,
          log,
        });
      },
    );
    await phase('rollout', 'Rollout: initial load with the directory index vs lookup-first', async (r) => {
      await r.client.flushall();
      results.rollout = await runRollout(group, r, SETTINGS.rollout, {
        prefix: 'bench-rollout',
        secret,
        log,
      });
    });
    await phase('refusals', 'Genesys in practice: refused attributes and a no-op replay', async (r) => {
      refusalRows = await runRefusalBench(r.url, log);
    });
    await phase('groups', 'Groups: requests per membership change (hires, transfers, replay)', async (r) => {
      results.groups = await runGroupMembership(r, SETTINGS.groups);
    });
    await phase('latency', 'Latency under light load, and crash recovery', async (r) => {
      await r.client.flushall();
      results.latency = await runLatency(group, r, SETTINGS.latency, {
        prefix: 'bench-latency',
        secret,
        log,
      });
    });
  } finally {
    await group.stopAll();
    closeAgent();
  }
  results.processes = { exits: group.exits, strayOutput: group.strayOutput() };

  // An interrupted run measured only part of what it set out to: it must not pass for the latest results.
  if (interrupted) return 130;
  results.machine.loadAverageAtEnd = os.loadavg();
  results.durationSeconds = Math.round((Date.now() - started) / 1000);
  results.rows = [
    ...buildRows(results),
    ...refusalRows,
    ...(results.groups ? groupRows(results.groups) : []),
    ...latencyRows(results.latency),
  ];
  const markdown = renderMarkdown(results);
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  // A partial run (BENCH_PHASES) must not replace the last complete results.
  const name = process.env.BENCH_PHASES ? 'partial' : 'latest';
  const jsonFile = path.join(dir, `${name}.json`);
  fs.writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  formatLikeTheRepo(jsonFile);
  fs.writeFileSync(path.join(dir, `${name}.md`), markdown);
  log(`\n${markdown}`);
  log(`written: bench/results/${name}.md, bench/results/${name}.json (${results.durationSeconds} s)`);
  // A complete run also refreshes the README's section, so the figures there always come from a real run.
  if (results.failures.length === 0 && !process.env.BENCH_PHASES) {
    replaceReadmeSection('bench', renderBenchmarksSection(results));
    log('README.md: Benchmarks section updated');
  }
  if (results.failures.length > 0 || process.env.BENCH_KEEP_LOGS) log(`process logs kept in ${group.logDir}`);
  else group.removeLogs();
  return results.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
