import path from 'node:path';
import { findFreePort, httpOk, type ProcessGroup, waitUntil } from '@dirsync/harness';
import autocannon from 'autocannon';
import { Webhook } from 'standardwebhooks';
import { hrRecord, WEBHOOK_PATH } from './hr-events.js';
import { type Child, cpuMs, type RedisHandle, ROOT, spawnScript } from './processes.js';
import { startApi } from './stack.js';

export interface IngestSettings {
  durationSeconds: number;
  warmupSeconds: number;
  /** Measured runs per target, interleaved baseline / API so drift on a shared machine hits both alike. */
  rounds: number;
  connections: number;
  batchSize: number;
}

/** One autocannon run. */
export interface LoadRound {
  requestsPerSecond: number;
  eventsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** CPU time per accepted event: the server process, redis-server, and the load generator (this process). */
  cpuUsPerEvent: { server: number; redis: number; loadGenerator: number };
}

/** The mean over the rounds (statuses and errors summed), and each round. */
export interface LoadResult extends LoadRound {
  label: string;
  eventsPerRequest: number;
  rounds: LoadRound[];
}

export interface IngestResult {
  settings: IngestSettings;
  baselineSingle: LoadResult;
  apiSingle: LoadResult;
  baselineBatch: LoadResult;
  apiBatch: LoadResult;
}

/**
 * Each request gets a body of `eventsPerRequest` new events (distinct event ids and people) and a fresh signature,
 * built in autocannon's `setupRequest`, so nothing is a duplicate and nothing is replayed.
 */
function signedRequests(secret: string, tag: string, eventsPerRequest: number): autocannon.Request[] {
  const hook = new Webhook(secret);
  let n = 0;
  return [
    {
      method: 'POST',
      path: WEBHOOK_PATH,
      setupRequest: (request) => {
        const events = [];
        for (let i = 0; i < eventsPerRequest; i++) {
          const k = ++n;
          events.push({
            id: `${tag}-${k}`,
            event: 'user.updated',
            occurredAt: new Date().toISOString(),
            data: hrRecord(`IN-${tag}-${k}`, 'Agent'),
          });
        }
        const body = JSON.stringify(eventsPerRequest === 1 ? events[0] : { events });
        const id = `msg-${tag}-${n}`;
        const at = new Date();
        return {
          ...request,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': hook.sign(id, at, body),
          },
          body,
        };
      },
    },
  ];
}

function pidOf(child: Child): number {
  const pid = child.child.pid;
  if (pid === undefined) throw new Error(`${child.name} has no pid`);
  return pid;
}

async function load(
  url: string,
  label: string,
  secret: string,
  eventsPerRequest: number,
  settings: IngestSettings & { warmUp: boolean },
  watch: { server: Child; redis: Child },
): Promise<LoadRound> {
  const tag = `${label.replace(/\W+/g, '')}${Date.now().toString(36)}`;
  if (settings.warmUp && settings.warmupSeconds > 0) {
    await autocannon({
      url,
      connections: settings.connections,
      duration: settings.warmupSeconds,
      requests: signedRequests(secret, `${tag}w`, eventsPerRequest),
    });
  }
  const cpuBefore = {
    server: cpuMs(pidOf(watch.server)),
    redis: cpuMs(pidOf(watch.redis)),
    self: process.cpuUsage(),
  };
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.durationSeconds,
    requests: signedRequests(secret, tag, eventsPerRequest),
  });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]),
  );
  const accepted = statuses['202'] ?? 0;
  const selfCpu = process.cpuUsage(cpuBefore.self);
  const perEvent = (ms: number) => (ms * 1000) / Math.max(1, accepted * eventsPerRequest);
  return {
    requestsPerSecond: accepted / result.duration,
    eventsPerSecond: (accepted * eventsPerRequest) / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    cpuUsPerEvent: {
      server: perEvent(cpuMs(pidOf(watch.server)) - cpuBefore.server),
      redis: perEvent(cpuMs(pidOf(watch.redis)) - cpuBefore.redis),
      loadGenerator: perEvent((selfCpu.user + selfCpu.system) / 1000),
    },
  };
}

function combine(label: string, eventsPerRequest: number, rounds: LoadRound[]): LoadResult {
  const mean = (pick: (r: LoadRound) => number) => rounds.reduce((a, r) => a + pick(r), 0) / rounds.length;
  const statuses: Record<string, number> = {};
  for (const r of rounds)
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    label,
    eventsPerRequest,
    requestsPerSecond: mean((r) => r.requestsPerSecond),
    eventsPerSecond: mean((r) => r.eventsPerSecond),
    latencyP50Ms: mean((r) => r.latencyP50Ms),
    latencyP99Ms: mean((r) => r.latencyP99Ms),
    statuses,
    errors: rounds.reduce((a, r) => a + r.errors, 0),
    timeouts: rounds.reduce((a, r) => a + r.timeouts, 0),
    cpuUsPerEvent: {
      server: mean((r) => r.cpuUsPerEvent.server),
      redis: mean((r) => r.cpuUsPerEvent.redis),
      loadGenerator: mean((r) => r.cpuUsPerEvent.loadGenerator),
    },
    rounds,
  };
}

/**
 * autocannon against the built API (a separate process, a private Redis, no worker running) and against the
 * bare-Express baseline (a separate process, no Redis), single events then batches, each after a warm-up. Only
 * 202 answers count.
 */
export async function runIngest(
  group: ProcessGroup,
  redis: RedisHandle,
  settings: IngestSettings,
  options: { prefix: string; secret: string; log?: (m: string) => void },
): Promise<IngestResult> {
  const log = options.log ?? (() => {});
  await redis.client.flushall();
  const port = await findFreePort();
  const started: Child[] = [];
  try {
    const baseline = spawnScript(group, 'baseline-express', path.join(ROOT, 'bench/src/baseline-server.ts'), {
      PORT: String(port),
      WEBHOOK_SECRET: options.secret,
    });
    started.push(baseline);
    const baselineUrl = `http://127.0.0.1:${port}`;
    await waitUntil(() => httpOk(`${baselineUrl}/healthz`), Boolean, {
      what: 'the baseline server',
      timeoutMs: 30_000,
      failed: () => (baseline.running ? undefined : baseline.tail()),
    });
    const api = await startApi(group, { redis, prefix: options.prefix, secret: options.secret });
    started.push(api.child);

    // Each API round starts from an empty Redis, so no round inherits another's data set or AOF growth.
    const targets = [
      { name: 'bare Express', server: baseline, url: baselineUrl, redisFirst: false },
      { name: 'dirsync API', server: api.child, url: api.url, redisFirst: true },
    ];
    const measure = async (events: number): Promise<[LoadResult, LoadResult]> => {
      const kind = events === 1 ? 'single' : `batches of ${events}`;
      const rounds: LoadRound[][] = targets.map(() => []);
      for (let round = 0; round < settings.rounds; round++) {
        for (const [i, target] of targets.entries()) {
          if (target.redisFirst) await redis.client.flushall();
          const r = await load(
            target.url,
            `${target.name}, ${kind}`,
            options.secret,
            events,
            { ...settings, warmUp: round === 0 },
            { server: target.server, redis: redis.child },
          );
          for (const c of started) c.assertRunning();
          log(
            `  ${target.name}, ${kind}, round ${round + 1}: ${Math.round(r.eventsPerSecond)} events/s, ` +
              `p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms, answers ${JSON.stringify(r.statuses)}, ` +
              `CPU µs/event server ${Math.round(r.cpuUsPerEvent.server)} redis ${Math.round(r.cpuUsPerEvent.redis)}`,
          );
          rounds[i]?.push(r);
        }
      }
      return [
        combine(`bare Express, ${kind}`, events, rounds[0] ?? []),
        combine(`dirsync API, ${kind}`, events, rounds[1] ?? []),
      ];
    };
    const [baselineSingle, apiSingle] = await measure(1);
    const [baselineBatch, apiBatch] = await measure(settings.batchSize);
    return { settings, baselineSingle, apiSingle, baselineBatch, apiBatch };
  } finally {
    for (const child of started.reverse()) await group.stop(child);
  }
}
