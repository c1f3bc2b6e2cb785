import type { ExitRecord } from '@dirsync/harness';
import type { GroupBenchResult } from './group-membership.js';
import type { IngestResult } from './ingest.js';
import type { MemoryResult } from './memory.js';
import type { RolloutResult } from './rollout.js';
import type { ScaleOutRun, ScaleOutSettings } from './scale-out.js';
import type { ScheduleResult } from './schedule.js';
import type { DirsyncSyncResult, NaiveSyncResult, SyncSettings, WorkloadRun } from './sync-efficiency.js';

export interface Machine {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  redis: string;
  commit: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

/** One line of the summary table. `met` is null when the measurement has no target. */
export interface Row {
  area: string;
  measurement: string;
  dirsync: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
  note?: string;
}

export interface BenchResults {
  generatedAt: string;
  durationSeconds?: number;
  command: string;
  machine: Machine;
  settings: Record<string, unknown>;
  rows: Row[];
  ingest?: IngestResult;
  sync?: { settings: SyncSettings; dirsync: DirsyncSyncResult; naive?: NaiveSyncResult };
  budgetBound?: DirsyncSyncResult;
  memory?: MemoryResult;
  schedule?: ScheduleResult;
  scaleOut?: { settings: ScaleOutSettings; runs: ScaleOutRun[] };
  rollout?: RolloutResult;
  groups?: GroupBenchResult;
  /** How every process the bench started ended, and anything the apps printed that is not a JSON log line. */
  processes?: { exits: ExitRecord[]; strayOutput: Array<{ line: string; processes: string[] }> };
  failures: string[];
}

const num = (v: number, digits = 0) =>
  v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (ms: number) => `${num(ms / 1000, ms < 10_000 ? 1 : 0)} s`;
const mark = (met: boolean | null) => (met === null ? '' : met ? '✅' : '❌');
/** "n× fewer" style ratios: how many times smaller `value` is than `baseline`. */
const times = (baseline: number, value: number, word: string) =>
  value === 0 ? (baseline === 0 ? '—' : `∞ ${word}`) : `${num(baseline / value, 1)}× ${word}`;

function run(runs: readonly WorkloadRun[] | undefined, key: WorkloadRun['key']): WorkloadRun | undefined {
  return runs?.find((r) => r.key === key);
}

/** Requests per minute while the workload's requests were being sent (first to last request). */
export function requestRate(r: WorkloadRun): number | undefined {
  const { firstAt, lastAt } = r.target;
  if (firstAt === undefined || lastAt === undefined || lastAt === firstAt) return undefined;
  return (r.target.requests / (lastAt - firstAt)) * 60_000;
}

/**
 * Achieved request rate ÷ budget while a backlog exists: the mean of the requests in each complete minute of the
 * session (counted from its first request) ÷ the budget. Undefined when the backlog lasted less than a minute: the
 * sliding window admits up to a budget's worth at once, so nothing shorter is budget-bound.
 */
export function achievedPerBudget(r: DirsyncSyncResult): number | undefined {
  const minutes = r.session.fullMinutes;
  if (minutes.length === 0) return undefined;
  return minutes.reduce((a, b) => a + b, 0) / minutes.length / r.settings.budgetPerMinute;
}

/** The summary table: each measurement, its baseline, the ratio and the target. */
export function buildRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const ingest = results.ingest;
  if (ingest) {
    const { apiSingle: a, baselineSingle: b, apiBatch, baselineBatch } = ingest;
    const ratio = a.eventsPerSecond / b.eventsPerSecond;
    rows.push({
      area: 'Ingest',
      measurement: 'signed single events/s',
      dirsync: num(a.eventsPerSecond),
      baseline: `${num(b.eventsPerSecond)} (bare Express)`,
      ratio: `${num(ratio, 2)}×`,
      target: '≥ 0.5× baseline',
      met: ratio >= 0.5,
    });
    rows.push({
      area: 'Ingest',
      measurement: 'single-event latency p50 / p99',
      dirsync: `${num(a.latencyP50Ms, 1)} / ${num(a.latencyP99Ms, 1)} ms`,
      baseline: `${num(b.latencyP50Ms, 1)} / ${num(b.latencyP99Ms, 1)} ms`,
      ratio: `${num(a.latencyP50Ms / Math.max(1, b.latencyP50Ms), 1)}× / ${num(a.latencyP99Ms / Math.max(1, b.latencyP99Ms), 1)}×`,
      target: '—',
      met: null,
    });
    rows.push({
      area: 'Ingest',
      measurement: `events/s in batches of ${ingest.settings.batchSize}`,
      dirsync: num(apiBatch.eventsPerSecond),
      baseline: `${num(baselineBatch.eventsPerSecond)} (bare Express)`,
      ratio: `${num(apiBatch.eventsPerSecond / baselineBatch.eventsPerSecond, 2)}×`,
      target: '≥ 20,000/s',
      met: apiBatch.eventsPerSecond >= 20_000,
    });
  }

  const sync = results.sync;
  if (sync) {
    const d = sync.dirsync.runs;
    const n = sync.naive?.runs;
    const area = `Sync (${num(sync.settings.budgetPerMinute)}/min, ${sync.settings.latencyMs} ms)`;
    const perRow = (key: WorkloadRun['key'], target: string, limit: number | undefined) => {
      const r = run(d, key);
      if (!r) return;
      const b = run(n, key) ?? (key === 'burstGrouped' ? run(n, 'burst') : undefined);
      rows.push({
        area,
        measurement: `${r.title}: requests per ${r.per}`,
        dirsync: num(r.requestsPerUnit, 2),
        baseline: b ? `${num(b.requestsPerUnit, 2)} (naive)` : '—',
        ratio: b ? times(b.requestsPerUnit, r.requestsPerUnit, 'fewer') : '—',
        target,
        met: limit === undefined ? null : r.requestsPerUnit <= limit,
      });
    };
    perRow('cold', '≤ 2.1', 2.1);
    perRow('warm', '≤ 1.05', 1.05);
    perRow('burst', '≤ 1.2', 1.2);
    perRow('noop', '—', undefined);
    perRow('burstGrouped', '—', undefined);
    const burst = run(d, 'burst');
    const naiveBurst = run(n, 'burst');
    if (burst && naiveBurst) {
      const fewer = naiveBurst.target.requests / Math.max(1, burst.target.requests);
      const faster = naiveBurst.wallMs / burst.wallMs;
      const sample = naiveBurst.scaledFrom
        ? ` (×${num(naiveBurst.scaledFrom.factor)} from ${naiveBurst.scaledFrom.users} users)`
        : '';
      rows.push({
        area,
        measurement: 'burst: requests, dirsync vs naive',
        dirsync: num(burst.target.requests),
        baseline: `${num(naiveBurst.target.requests)}${sample}`,
        ratio: `${num(fewer, 1)}× fewer`,
        target: '≥ 3× fewer',
        met: fewer >= 3,
      });
      rows.push({
        area,
        measurement: 'burst: wall time, dirsync vs naive',
        dirsync: secs(burst.wallMs),
        baseline: `${secs(naiveBurst.wallMs)}${sample}`,
        ratio: `${num(faster, 1)}× less`,
        target: '≥ 3× less',
        met: faster >= 3,
      });
    }
    const total = d.reduce((s, r) => s + r.target.requests, 0);
    const throttled = d.reduce((s, r) => s + r.target.throttled429, 0);
    const naiveThrottled = (n ?? []).reduce((s, r) => s + r.target.throttled429, 0);
    rows.push({
      area,
      measurement: '429 answers, all workloads',
      dirsync: `${num(throttled)} of ${num(total)} (${num((100 * throttled) / Math.max(1, total), 2)}%)`,
      baseline: n ? `${num(naiveThrottled)} (naive)` : '—',
      ratio: '—',
      target: '≤ 0.5% of requests',
      met: throttled <= 0.005 * total,
    });
  }

  const bb = results.budgetBound;
  if (bb) {
    const s = bb.settings;
    const { fullMinutes, simMaxInAnyWindow } = bb.session;
    const achieved = achievedPerBudget(bb);
    const area = `Budget-bound (${num(s.budgetPerMinute)}/min, ${s.workers} workers)`;
    rows.push({
      area,
      measurement: 'achieved request rate ÷ budget while a backlog exists',
      dirsync: achieved === undefined ? 'n/a' : num(achieved, 2),
      baseline: '—',
      ratio: '—',
      target: '≥ 0.9',
      met: achieved === undefined ? null : achieved >= 0.9,
      note: `requests in each full minute of backlog, from the first request: ${fullMinutes.map((m) => num(m)).join(', ')}`,
    });
    rows.push({
      area,
      measurement: 'most requests in any 60 s, all workers together',
      dirsync: `${num(simMaxInAnyWindow)}`,
      baseline: '—',
      ratio: `${num(simMaxInAnyWindow / s.budgetPerMinute, 2)}× budget`,
      target: `≤ ${num(s.budgetPerMinute)}`,
      met: simMaxInAnyWindow <= s.budgetPerMinute,
    });
    const total = bb.runs.reduce((a, r) => a + r.target.requests, 0);
    const throttled = bb.runs.reduce((a, r) => a + r.target.throttled429, 0);
    rows.push({
      area,
      measurement: '429 answers',
      dirsync: `${num(throttled)} of ${num(total)}`,
      baseline: '—',
      ratio: '—',
      target: '≤ 0.5% of requests',
      met: throttled <= 0.005 * total,
    });
    for (const r of bb.runs) {
      const limit = r.key === 'cold' ? 2.1 : r.key === 'burst' ? 1.2 : r.key === 'warm' ? 1.05 : undefined;
      rows.push({
        area,
        measurement: `${r.title}: requests per ${r.per}`,
        dirsync: num(r.requestsPerUnit, 2),
        baseline: '—',
        ratio: '—',
        target: limit === undefined ? '—' : `≤ ${limit}`,
        met: limit === undefined ? null : r.requestsPerUnit <= limit,
      });
      rows.push({
        area,
        measurement: `${r.title}: wall time vs floor (fewest requests ÷ budget)`,
        dirsync: secs(r.wallMs),
        baseline: `${secs(r.floorMs)} (floor)`,
        ratio: `${num(r.wallMs / r.floorMs, 2)}× floor`,
        target: '—',
        met: null,
      });
    }
  }

  const memory = results.memory;
  if (memory) {
    rows.push({
      area: `Memory (${num(memory.events)}-event backlog)`,
      measurement: 'worker peak RSS (draining it)',
      dirsync: `${num(memory.workerPeakRssMb)} MB`,
      baseline: '—',
      ratio: '—',
      target: '< 250 MB',
      met: memory.workerPeakRssMb < 250,
    });
    rows.push({
      area: `Memory (${num(memory.events)}-event backlog)`,
      measurement: 'API peak RSS (taking it in)',
      dirsync: `${num(memory.apiPeakRssMb)} MB`,
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
    const c = memory.console;
    rows.push({
      area: `Console (${num(c.people)} people)`,
      measurement: 'p95 of the person page / the people search (HTML, one request at a time)',
      dirsync: `${num(c.personP95Ms, 1)} ms / ${num(c.searchP95Ms, 1)} ms`,
      baseline: '—',
      ratio: `p50 ${num(c.personP50Ms, 1)} / ${num(c.searchP50Ms, 1)} ms`,
      target: '< 200 ms each',
      met: c.personP95Ms < 200 && c.searchP95Ms < 200,
    });
    rows.push({
      area: `Memory (${num(memory.events)}-event backlog)`,
      measurement: 'Redis bytes per queued event',
      dirsync: `${num(memory.redisBytesPerQueuedEvent)} B`,
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
  }

  const schedule = results.schedule;
  if (schedule) {
    const area = 'Effective dating';
    rows.push({
      area,
      measurement: `Redis for ${num(schedule.pending)} pending changes (MEMORY USAGE)`,
      dirsync: `${num(schedule.scheduleBytes / 1024 / 1024, 2)} MB`,
      baseline: '—',
      ratio: '—',
      target: '< 10 MB',
      met: schedule.scheduleBytes < 10 * 1024 * 1024,
    });
    rows.push({
      area,
      measurement: `${num(schedule.due)} terminations due within a minute: latest applied after its time`,
      dirsync: secs(schedule.maxLagMs),
      baseline: '—',
      ratio: `p95 ${secs(schedule.p95LagMs)}`,
      target: '≤ 60 s each',
      met: schedule.applied === schedule.due && schedule.maxLagMs <= 60_000,
    });
  }

  const scale = results.scaleOut;
  const one = scale?.runs.find((r) => r.workers === 1);
  const three = scale?.runs.find((r) => r.workers === 3);
  if (scale && one && three) {
    const area = `Scale-out (${scale.settings.latencyMs} ms latency)`;
    const ratio = three.usersPerSecond / one.usersPerSecond;
    rows.push({
      area,
      measurement: 'throughput, 3 worker processes vs 1',
      dirsync: `${num(three.usersPerSecond, 1)} users/s`,
      baseline: `${num(one.usersPerSecond, 1)} users/s (1 worker)`,
      ratio: `${num(ratio, 2)}×`,
      target: '≥ 2.5×',
      met: ratio >= 2.5,
    });
    rows.push({
      area,
      measurement: 'most requests in any 60 s, 3 workers together',
      dirsync: num(three.simMaxInAnyWindow),
      baseline: '—',
      ratio: '—',
      target: `≤ ${num(scale.settings.budgetPerMinute)}`,
      met: three.simMaxInAnyWindow <= scale.settings.budgetPerMinute,
      note: 'the budget does not bind here (latency does); see the budget-bound rows for a binding check',
    });
  }
  return rows;
}

const RATE_NOTE =
  '"req/min while sending" is the workload\'s requests over the time from its first to its last request. The budget ' +
  'is a sliding 60-second window that starts with a whole budget free, so a workload of fewer requests than the ' +
  'budget (or the first minute of a larger one) may go faster than budget/60 per second without any 60 s holding ' +
  'more than the budget ("most in any 60 s"), and may finish under the floor (fewest requests ÷ budget).';

function table(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

function syncTable(
  runs: readonly WorkloadRun[],
  naive: readonly WorkloadRun[] | undefined,
  budget: number,
): string {
  return table(
    [
      'workload',
      'events',
      'requests (GET/POST/PATCH)',
      'per event or user',
      '429',
      'req/min while sending',
      '÷ budget',
      'most in any 60 s',
      'wall',
      'floor',
      'wall ÷ floor',
      'naive requests',
      'naive wall',
    ],
    runs.map((r) => {
      const rate = requestRate(r);
      const b = naive?.find((x) => x.key === r.key);
      return [
        r.title,
        num(r.events),
        `${num(r.target.requests)} (${num(r.target.reads)}/${num(r.target.creates)}/${num(r.target.patches)})`,
        `${num(r.requestsPerUnit, 2)}/${r.per}`,
        num(r.target.throttled429),
        rate === undefined ? '—' : num(rate),
        rate === undefined ? '—' : num(rate / budget, 2),
        num(r.target.maxInAnyMinute),
        secs(r.wallMs),
        r.floorMs > 0 ? secs(r.floorMs) : '0 s',
        r.floorMs > 0 ? num(r.wallMs / r.floorMs, 2) : '—',
        b ? `${num(b.target.requests)}${b.scaledFrom ? '*' : ''}` : '—',
        b ? `${secs(b.wallMs)}${b.scaledFrom ? '*' : ''}` : '—',
      ];
    }),
  );
}

/** The whole report as Markdown: summary table, then the details behind each section. */
/** The headline: machine facts, the ratios table and its notes (what the README shows). */
export function renderSummary(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [];
  out.push(`### Benchmark results — ${results.generatedAt.slice(0, 10)}`);
  out.push('');
  out.push(
    `\`${results.command}\` · ${results.durationSeconds === undefined ? '' : `${num(results.durationSeconds)} s · `}` +
      `Node ${m.node} · ${m.cpus} × ${m.cpuModel} · ${num(m.memoryGb, 1)} GB · redis-server ${m.redis} (private, AOF everysec) · ` +
      `commit ${m.commit} · load average ${m.loadAverageAtStart.map((v) => num(v, 2)).join(' ')} at start` +
      (m.loadAverageAtEnd ? `, ${m.loadAverageAtEnd.map((v) => num(v, 2)).join(' ')} at end` : ''),
  );
  out.push('');
  out.push(
    table(
      ['area', 'measurement', 'dirsync', 'baseline', 'ratio', 'target', ''],
      results.rows.map((r) => [r.area, r.measurement, r.dirsync, r.baseline, r.ratio, r.target, mark(r.met)]),
    ),
  );
  const notes = results.rows.filter((r) => r.note);
  if (notes.length > 0) {
    out.push('');
    for (const r of notes) out.push(`- ${r.area}, ${r.measurement}: ${r.note}.`);
  }
  if (results.failures.length > 0) {
    out.push('');
    out.push('**Failed phases:**');
    for (const f of results.failures) out.push(`- ${f}`);
  }
  return out.join('\n');
}

export function renderMarkdown(results: BenchResults): string {
  const out: string[] = [renderSummary(results)];
  const ingest = results.ingest;
  if (ingest) {
    out.push('');
    out.push(
      `#### Ingest — autocannon, ${ingest.settings.connections} connections; ${ingest.settings.rounds} rounds of ${ingest.settings.durationSeconds} s per target, ` +
        `baseline and API interleaved, after a ${ingest.settings.warmupSeconds} s warm-up; every request a new signed body; mean of the rounds`,
    );
    out.push('');
    out.push(
      table(
        [
          'target',
          'events/s',
          'requests/s',
          'p50',
          'p99',
          'answers',
          'CPU µs/event: server / redis / load generator',
        ],
        [ingest.baselineSingle, ingest.apiSingle, ingest.baselineBatch, ingest.apiBatch].map((r) => [
          r.label,
          num(r.eventsPerSecond),
          num(r.requestsPerSecond),
          `${num(r.latencyP50Ms, 1)} ms`,
          `${num(r.latencyP99Ms, 1)} ms`,
          Object.entries(r.statuses)
            .map(([k, v]) => `${num(v)} × ${k}`)
            .join(', ') + (r.errors > 0 ? `, ${num(r.errors)} errors` : ''),
          `${num(r.cpuUsPerEvent.server)} / ${num(r.cpuUsPerEvent.redis)} / ${num(r.cpuUsPerEvent.loadGenerator)}`,
        ]),
      ),
    );
  }

  const sync = results.sync;
  if (sync) {
    const s = sync.settings;
    out.push('');
    out.push(
      `#### Sync efficiency — ${num(s.users)} users; budget = simulator limit = ${num(s.budgetPerMinute)}/min; ` +
        `${s.latencyMs} ms per request; ${s.workers} worker, SYNC_CONCURRENCY ${s.concurrency}; each event its own signed webhook, ${s.deliveryConcurrency} in flight`,
    );
    out.push('');
    out.push(syncTable(sync.dirsync.runs, sync.naive?.runs, s.budgetPerMinute));
    out.push('');
    out.push(RATE_NOTE);
    const scaled = sync.naive?.runs.find((r) => r.scaledFrom);
    if (scaled?.scaledFrom) {
      const naiveRate = scaled.wallMs > 0 ? (scaled.target.requests / scaled.wallMs) * 60_000 : 0;
      out.push('');
      out.push(
        `\\* The naive burst ran on ${scaled.scaledFrom.users} users (${num(scaled.scaledFrom.users * 10)} events); its requests and time are ×${num(scaled.scaledFrom.factor)}: ` +
          `it handles events one by one, alike, so both grow linearly while it is latency-bound (it sent ${num(naiveRate)} requests/min, below the ${num(s.budgetPerMinute)}/min budget).`,
      );
    }
  }

  const bb = results.budgetBound;
  if (bb) {
    const s = bb.settings;
    out.push('');
    out.push(
      `#### Budget-bound — ${num(s.users)} users; budget = simulator limit = ${num(s.budgetPerMinute)}/min; ${s.latencyMs} ms; ` +
        `${s.workers} worker processes, SYNC_CONCURRENCY ${s.concurrency}; workloads back to back, so the backlog never empties`,
    );
    out.push('');
    out.push(syncTable(bb.runs, undefined, s.budgetPerMinute));
    out.push('');
    out.push(
      `Requests in each full minute of backlog (from the first request): ${bb.session.fullMinutes.map((v) => num(v)).join(', ')}` +
        ` → ${num(achievedPerBudget(bb) ?? 0, 2)} of the budget; the simulator's own peak over any 60 s: ` +
        `${num(bb.session.simMaxInAnyWindow)} (limit ${num(s.budgetPerMinute)}).`,
    );
    out.push('');
    out.push(RATE_NOTE);
    const burst = bb.runs.find((r) => r.key === 'burst');
    const naiveBurst = results.sync?.naive?.runs.find((r) => r.key === 'burst');
    if (burst && naiveBurst) {
      // Not run (it would take this long): the naive baseline's requests at this budget, at best.
      const floorMs = (naiveBurst.target.requests / s.budgetPerMinute) * 60_000;
      out.push('');
      out.push(
        `Computed, not run: at ${num(s.budgetPerMinute)}/min the naive baseline's ${num(naiveBurst.target.requests)} burst requests need at least ` +
          `${num(floorMs / 60_000, 1)} min; dirsync took ${secs(burst.wallMs)} (${num(floorMs / burst.wallMs, 0)}× less).`,
      );
    }
  }

  const memory = results.memory;
  if (memory) {
    out.push('');
    out.push(`#### Memory — ${num(memory.events)} single signed events, one new person each`);
    out.push('');
    out.push(
      table(
        ['measurement', 'value'],
        [
          [
            'API peak RSS (VmHWM) after taking the backlog in',
            `${num(memory.apiPeakRssMb)} MB (${num(memory.apiStartRssMb)} MB when ready)`,
          ],
          [
            'worker peak RSS (VmHWM) after draining it',
            `${num(memory.workerPeakRssMb)} MB (${num(memory.workerStartRssMb)} MB when started)`,
          ],
          [
            'Redis used_memory for the queued backlog',
            `${num(memory.redisBytesQueued / 1048576, 1)} MB = ${num(memory.redisBytesPerQueuedEvent)} B/event`,
          ],
          ['Redis used_memory kept per synced person afterwards', `${num(memory.redisBytesPerSyncedUser)} B`],
          ['intake time (16 deliveries in flight)', secs(memory.ingestMs)],
          ['drain time (no latency, budget not binding: CPU-bound)', secs(memory.drainMs)],
          ['people in the target afterwards', `${num(memory.converged)} of ${num(memory.events)}`],
        ],
      ),
    );
  }

  const scale = results.scaleOut;
  if (scale) {
    const s = scale.settings;
    out.push('');
    out.push(
      `#### Scale-out — cold creates of ${num(s.users)} users, queued first, then released; ${s.latencyMs} ms per request; ` +
        `budget = simulator limit = ${num(s.budgetPerMinute)}/min (never binding); SYNC_CONCURRENCY ${s.concurrency} per process`,
    );
    out.push('');
    out.push(
      table(
        ['workers', 'wall', 'users/s', 'requests', 'most in any 60 s', '429', 'converged'],
        scale.runs.map((r) => [
          String(r.workers),
          secs(r.wallMs),
          num(r.usersPerSecond, 1),
          num(r.target.requests),
          num(r.simMaxInAnyWindow),
          num(r.target.throttled429),
          `${num(r.converged)} of ${num(r.users)}`,
        ]),
      ),
    );
  }
  const processes = results.processes;
  if (processes) {
    const unclean = processes.exits.filter((e) => e.stoppedByUs && (e.code !== 0 || e.killed));
    const died = processes.exits.filter((e) => !e.stoppedByUs);
    out.push('');
    out.push('#### Processes');
    out.push('');
    out.push(
      `${num(processes.exits.length)} processes started and stopped with SIGTERM; ` +
        `${num(processes.exits.length - unclean.length - died.length)} exited 0.` +
        unclean
          .map(
            (e) =>
              ` ${e.name}: ${e.killed ? 'killed after the grace period' : `exit ${e.code ?? e.signal}`}.`,
          )
          .join('') +
        died.map((e) => ` ${e.name} had exited by itself (${e.code ?? e.signal}).`).join(''),
    );
    if (processes.strayOutput.length > 0) {
      out.push('');
      out.push('Output that is not a JSON log line:');
      for (const s of processes.strayOutput) out.push(`- \`${s.line}\` (${s.processes.join(', ')})`);
    }
  }
  return `${out.join('\n')}\n`;
}
