import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JOBS, QUEUES } from '@dirsync/contracts';
import { findFreePort, ProcessGroup } from '@dirsync/harness';
import { addSyncBatches, createKeys, PersonStore } from '@dirsync/sync';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange } from '../../apps/ingest-api/test/raw-http.js';
import { Cluster, hr, SECRET, stopAndCheck, waitUntil } from './cluster.js';
import { recordFigures } from './figures.js';

// Processes started beside the cluster, stopped with it.
const extra = new ProcessGroup({ output: 'memory', appEnv: { LOG_LEVEL: 'debug' } });

type Signature = 'valid' | 'forged' | 'missing' | 'stale' | 'replayed' | 'garbage';

interface Attempt {
  kind: string;
  body: Buffer;
  contentType: string;
  signature: Signature;
  /** Whether this attempt is a well-formed, correctly signed event that must be accepted. */
  valid: boolean;
  externalIds: string[];
}

const signer = new Webhook(SECRET);
const forger = new Webhook('whsec_Zm9yZ2VkLXNlY3JldC1ub3QtdGhlLXJlYWwtb25lLTEyMzQ=');

function deepNesting(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Bodies an attacker or a broken sender might post, and one well-formed event for contrast. */
function bodyArbitrary(
  seq: () => number,
): fc.Arbitrary<Omit<Attempt, 'contentType' | 'signature' | 'valid'>> {
  const valid = fc.constant(null).map(() => {
    const id = `HOST-${seq()}`;
    return {
      kind: 'valid event',
      body: Buffer.from(JSON.stringify({ event: 'user.created', data: hr(id) })),
      externalIds: [id],
    };
  });
  const json = fc
    .jsonValue({ maxDepth: 4 })
    .map((v) => ({ kind: 'random JSON', body: Buffer.from(JSON.stringify(v)), externalIds: [] }));
  const text = fc
    .string({ maxLength: 200 })
    .map((s) => ({ kind: 'random text', body: Buffer.from(s), externalIds: [] }));
  const bytes = fc
    .uint8Array({ maxLength: 300 })
    .map((b) => ({ kind: 'random bytes', body: Buffer.from(b), externalIds: [] }));
  const proto = fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => {
    const id = `PROTO-${seq()}`;
    return {
      kind: `${key} key`,
      body: Buffer.from(`{"event":"user.created","data":{"externalId":"${id}","${key}":{"polluted":true}}}`),
      externalIds: [],
    };
  });
  const nested = fc
    .integer({ min: 50, max: 20_000 })
    .map((d) => ({ kind: 'deep nesting', body: Buffer.from(deepNesting(d)), externalIds: [] }));
  const nestedData = fc.integer({ min: 10, max: 3000 }).map((d) => ({
    kind: 'deep nesting in data',
    body: Buffer.from(`{"event":"user.created","data":{"externalId":"N-${seq()}","x":${deepNesting(d)}}}`),
    externalIds: [],
  }));
  const wrongTypes = fc
    .record({
      event: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      data: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.record({ externalId: fc.oneof(fc.integer(), fc.constant(''), fc.boolean()) }),
      ),
      occurredAt: fc.oneof(fc.string(), fc.constant('2999-01-01T00:00:00Z'), fc.integer()),
    })
    .map((v) => ({ kind: 'wrong types', body: Buffer.from(JSON.stringify(v)), externalIds: [] }));
  const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => ({
    kind: 'invalid UTF-8 in a string',
    body: Buffer.concat([
      Buffer.from('{"event":"user.created","data":{"externalId":"U8-'),
      Buffer.from([0xc3, 0x28, ...b.filter((x) => x >= 0x80)]),
      Buffer.from('"}}'),
    ]),
    externalIds: [],
  }));
  const huge = fc.constant(null).map(() => ({
    kind: 'over 1 MiB',
    body: Buffer.from(
      JSON.stringify({ event: 'user.created', data: hr(`BIG-${seq()}`, { title: 'x'.repeat(1_100_000) }) }),
    ),
    externalIds: [],
  }));
  const oversizedBatch = fc.constant(null).map(() => ({
    kind: 'batch over 1,000',
    body: Buffer.from(
      JSON.stringify({
        events: Array.from({ length: 1001 }, (_, i) => ({
          event: 'user.created',
          data: { externalId: `OB-${i}` },
        })),
      }),
    ),
    externalIds: [],
  }));
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 3, arbitrary: json },
    { weight: 2, arbitrary: text },
    { weight: 2, arbitrary: bytes },
    { weight: 2, arbitrary: proto },
    { weight: 1, arbitrary: nested },
    { weight: 1, arbitrary: nestedData },
    { weight: 3, arbitrary: wrongTypes },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: oversizedBatch },
  );
}

function headersFor(
  attempt: Attempt,
  replay: { id: string; ts: string; sig: string } | undefined,
): Record<string, string> {
  const id = `fuzz-${Math.random().toString(36).slice(2)}`;
  const now = new Date();
  const base: Record<string, string> = { 'content-type': attempt.contentType };
  switch (attempt.signature) {
    case 'valid':
      return {
        ...base,
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(id, now, attempt.body),
      };
    case 'forged':
      return {
        ...base,
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': forger.sign(id, now, attempt.body.toString()),
      };
    case 'stale': {
      const old = new Date(now.getTime() - 10 * 60_000);
      return {
        ...base,
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
        'webhook-signature': signer.sign(id, old, attempt.body.toString()),
      };
    }
    case 'replayed':
      // A signature captured from another delivery, replayed on this body.
      return replay
        ? {
            ...base,
            'webhook-id': replay.id,
            'webhook-timestamp': replay.ts,
            'webhook-signature': replay.sig,
          }
        : base;
    case 'garbage':
      return {
        ...base,
        'webhook-id': id,
        'webhook-timestamp': 'yesterday',
        'webhook-signature': 'v1,!!!not-base64!!!',
      };
    default:
      return base;
  }
}

describe('hostile input', () => {
  let cluster: Cluster;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
  beforeAll(async () => {
    cluster = await Cluster.start({ workers: 1 });
  });
  afterAll(async () => {
    await extra.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    await stopAndCheck(cluster);
  });

  it('fuzzed webhooks: never a 5xx, never an invalid or unsigned event stored, the API stays up', async () => {
    let n = 0;
    const seq = () => ++n;
    const accepted = new Set<string>();
    const statuses = new Map<number, number>();
    let attempts = 0;
    let replay: { id: string; ts: string; sig: string } | undefined;
    await fc.assert(
      fc.asyncProperty(
        bodyArbitrary(seq),
        fc.constantFrom(
          'application/json',
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          '',
          'application/x-www-form-urlencoded',
          'application/scim+json',
        ),
        fc.constantFrom<Signature>(
          'valid',
          'valid',
          'valid',
          'forged',
          'missing',
          'stale',
          'replayed',
          'garbage',
        ),
        async (body, contentType, signature) => {
          attempts += 1;
          const isJsonType =
            contentType.startsWith('application/json') || contentType === 'application/scim+json';
          const attempt: Attempt = {
            ...body,
            contentType,
            signature,
            valid: body.kind === 'valid event' && signature === 'valid' && isJsonType,
          };
          const headers = headersFor(attempt, replay);
          if (signature === 'valid' && headers['webhook-id']) {
            replay = {
              id: headers['webhook-id'],
              ts: headers['webhook-timestamp'] ?? '',
              sig: headers['webhook-signature'] ?? '',
            };
          }
          const res = await fetch(`${cluster.apiUrl}/webhooks/directory-sync`, {
            method: 'POST',
            headers,
            body: attempt.body,
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${attempt.kind} / ${signature} / ${contentType}`).toBeLessThan(500);
          if (res.status === 202) {
            expect(attempt.valid, `accepted: ${attempt.kind} / ${signature} / ${contentType}`).toBe(true);
            for (const id of attempt.externalIds) accepted.add(id);
          } else {
            expect(attempt.valid, `refused a valid event with ${res.status}`).toBe(false);
          }
        },
      ),
      { numRuns: 1000, seed: 1128 },
    );
    expect(cluster.api.child.exitCode).toBe(null);
    expect((await fetch(`${cluster.apiUrl}/healthz`)).status).toBe(200);
    // Nothing but the accepted, signed, valid events reached Redis.
    const stored = (await cluster.redisClient.keys(`${cluster.prefix}:person:*`)).map((k) =>
      k.slice(`${cluster.prefix}:person:`.length),
    );
    expect(stored.sort()).toEqual([...accepted].sort());
    expect(Object.prototype).not.toHaveProperty('polluted');
    recordFigures('hostile-input', {
      property:
        'fuzzed bodies, headers, encodings and signatures: no 5xx, nothing invalid or unsigned stored',
      figures: {
        'requests fuzzed': attempts,
        'valid and accepted': accepted.size,
        'refused 4xx': [...statuses.entries()]
          .filter(([s]) => s >= 400 && s < 500)
          .reduce((a, [, c]) => a + c, 0),
        '5xx': [...statuses.entries()].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0),
        'invalid stored': stored.filter((id) => !accepted.has(id)).length,
      },
    });
  });

  it('an oversized body is refused from Content-Length alone, before it is sent, and the connection closed', async () => {
    const port = Number(new URL(cluster.apiUrl).port);
    for (const path of ['/webhooks/directory-sync', '/admin/preview']) {
      // Only the headers go out: an answer proves the server did not wait for the 10 MiB.
      const { text, closedByServer } = await rawExchange(
        port,
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n`,
      );
      expect(text, path).toMatch(/^HTTP\/1\.1 413 /);
      expect(text, path).toMatch(/\r\nConnection: close\r\n/i);
      expect(closedByServer, path).toBe(true);
    }
    expect(cluster.api.child.exitCode).toBe(null);
  });

  it('an endless chunked upload cannot hold a connection past REQUEST_TIMEOUT_SECONDS', async () => {
    const port = await findFreePort();
    const api = extra.spawnApp('api-short-timeout', 'api', {
      REDIS_URL: cluster.redis.url,
      QUEUE_PREFIX: `${cluster.prefix}-timeout`,
      PORT: String(port),
      WEBHOOK_SECRET: SECRET,
      REQUEST_TIMEOUT_SECONDS: '1',
    });
    try {
      await waitUntil(
        async () =>
          api.child.exitCode !== null ||
          (await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.ok,
            () => false,
          )),
        Boolean,
        { what: 'the API with a short request timeout', timeoutMs: 30_000 },
      );
      const started = Date.now();
      const { text, closedByServer } = await rawExchange(
        port,
        'POST /webhooks/directory-sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        { chunk: '1\r\n \r\n', giveUpMs: 30_000 },
      );
      expect(closedByServer).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(api.child.exitCode).toBe(null);
    } finally {
      api.child.kill('SIGTERM');
      expect((await api.exited).code).toBe(0);
    }
  });

  it('a pathological mapping (infinite recursion) is stopped by the time bound with a clear error', async () => {
    const mappingFile = path.join(dir, 'runaway.jsonata');
    fs.writeFileSync(
      mappingFile,
      '/* dirsync:owns userName, displayName */\n($f := function($x) { $f($x + 1) }; { "userName": "u@example.org", "displayName": $string($f(0)) })',
    );
    // A worker of its own (own key prefix) runs the runaway mapping; the person is queued straight into Redis.
    const prefix = `${cluster.prefix}-runaway`;
    const worker = await cluster.startWorker({ MAPPING_FILE: mappingFile, QUEUE_PREFIX: prefix });
    const people = new PersonStore({ redis: cluster.redisClient, keys: createKeys(prefix) });
    await people.ingest([
      { idempotencyKey: 'evt-runaway', type: 'user.created', occurredAtMs: Date.now(), data: hr('RUN-1') },
    ]);
    const queue = new Queue(QUEUES.sync, { connection: cluster.redisClient, prefix });
    try {
      await addSyncBatches(queue, ['RUN-1'], 'webhook');
      const failed = await waitUntil(
        async () => (await queue.getJobs(['failed'])).find((j) => j.name === JOBS.syncUser),
        (job) => job !== undefined,
        { what: 'the runaway mapping to fail the person', timeoutMs: 60_000 },
      );
      expect(failed?.failedReason).toMatch(/transform_timeout/);
      expect(failed?.failedReason).toContain('RUN-1');
      expect(worker.child.exitCode).toBe(null);
    } finally {
      await queue.close();
    }
  });
});
