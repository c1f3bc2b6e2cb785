import fs from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadSnapshot, SnapshotError } from '../src/reconcile/load-snapshot.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

describe('loadSnapshot', () => {
  it('reads a JSON array of HR records, dated by the file', async () => {
    const p = file('hr.json', JSON.stringify([{ externalId: 'A', title: 'x' }, { externalId: 'B' }]));
    fs.utimesSync(p, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));
    const snapshot = await loadSnapshot(p);
    expect(snapshot.records.map((r) => r.externalId)).toEqual(['A', 'B']);
    expect(snapshot.takenAt.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('reads a CSV with the same column names; an empty cell is an absent field', async () => {
    const p = file('hr.csv', '\uFEFFexternalId,firstName,title,level\nA,Ada,,3\nB,Bob,Lead,\n');
    const snapshot = await loadSnapshot(p);
    expect(snapshot.records).toEqual([
      { externalId: 'A', firstName: 'Ada', level: '3' },
      { externalId: 'B', firstName: 'Bob', title: 'Lead' },
    ]);
  });

  it('fetches a URL and dates it by Last-Modified', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'last-modified': 'Sun, 01 Nov 2026 08:00:00 GMT',
      });
      res.end(JSON.stringify([{ externalId: 'U' }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const snapshot = await loadSnapshot(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/hr.json`,
      );
      expect(snapshot.records).toEqual([{ externalId: 'U' }]);
      expect(snapshot.takenAt.toISOString()).toBe('2026-11-01T08:00:00.000Z');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it.each([
    ['missing file', path.join(dir, 'nope.json'), /cannot read/],
    ['bad JSON', 'bad.json:[{"externalId":', /not valid JSON/],
    ['an object', 'obj.json:{"externalId":"A"}', /JSON array/],
    ['a bad record', 'bad-record.json:[{"externalId":"A"},{"externalId":""}]', /record 2: externalId/],
    ['a repeated id', 'dup.json:[{"externalId":"A"},{"externalId":"A"}]', /record 2 repeats externalId "A"/],
    ['a prototype key', 'proto.json:[{"externalId":"A","__proto__":{"x":1}}]', /record 1: __proto__/],
  ])('refuses %s with a clear message', async (_label, spec, message) => {
    const source =
      spec.includes(':') && !spec.startsWith('/')
        ? file(spec.split(':')[0] as string, spec.slice(spec.indexOf(':') + 1))
        : spec;
    const attempt = loadSnapshot(source);
    await expect(attempt).rejects.toBeInstanceOf(SnapshotError);
    await expect(attempt).rejects.toThrow(message);
  });
});

/** A loopback HTTP server for one test, closed when the test ends; resolves its base URL. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function refusal(attempt: Promise<unknown>): Promise<SnapshotError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnapshotError);
  return error as SnapshotError;
}

describe('loadSnapshot from a URL', () => {
  it('refuses a redirect, naming the status, and never requests its target', async () => {
    const requested: string[] = [];
    const base = await serve((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/elsewhere.json' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ externalId: 'R' }]));
    });
    const error = await refusal(loadSnapshot(`${base}/moved`));
    expect(error.message).toMatch(/answered 302 \(a redirect\); redirects are refused/);
    expect(error.retryable).toBe(false);
    expect(requested).toEqual(['/moved']);
  });

  it('refuses plain http when https is required, before any request', async () => {
    let requests = 0;
    const base = await serve((_req, res) => {
      requests++;
      res.end('[]');
    });
    const error = await refusal(loadSnapshot(`${base}/hr.json?token=s3cret`, { requireHttps: true }));
    expect(error.message).toBe(
      `HR_SNAPSHOT: ${base}/hr.json is not https; plain http is refused in production`,
    );
    expect(requests).toBe(0);
    // Without the option (development), the same URL is read.
    await expect(loadSnapshot(`${base}/hr.json`)).resolves.toMatchObject({ records: [] });
  });

  it('aborts a download past the byte cap even when no length is declared', async () => {
    let aborted!: () => void;
    const closed = new Promise<void>((r) => {
      aborted = r;
    });
    const base = await serve((_req, res) => {
      // Chunked, no Content-Length: an endless body the loader must cut off itself.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const chunk = `${JSON.stringify({ externalId: 'X' })},`.repeat(1000);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', aborted);
      pump();
    });
    const error = await refusal(loadSnapshot(`${base}/endless.json`, { maxDownloadBytes: 64 * 1024 }));
    expect(error.message).toBe('HR_SNAPSHOT: the snapshot download is larger than the cap of 65536 bytes');
    await closed;
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const body = JSON.stringify([{ externalId: 'A', title: 'x'.repeat(2000) }]);
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    const error = await refusal(loadSnapshot(`${base}/big.json`, { maxDownloadBytes: 1000 }));
    expect(error.message).toMatch(/larger than the cap of 1000 bytes/);
    await expect(loadSnapshot(`${base}/big.json`, { maxDownloadBytes: 10_000 })).resolves.toMatchObject({
      records: [{ externalId: 'A' }],
    });
  });

  it('clamps a Last-Modified in the future to now', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'last-modified': 'Wed, 01 Jan 2098 00:00:00 GMT',
      });
      res.end(JSON.stringify([{ externalId: 'F' }]));
    });
    const now = new Date('2026-12-01T07:00:00.000Z');
    const snapshot = await loadSnapshot(`${base}/future.json`, { now: () => now });
    expect(snapshot.takenAt.toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });

  it('dates a snapshot with an unreadable Last-Modified as now', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'last-modified': 'not a date' });
      res.end('[]');
    });
    const now = new Date('2026-12-01T07:00:00.000Z');
    const snapshot = await loadSnapshot(`${base}/odd.json`, { now: () => now });
    expect(snapshot.takenAt.toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });

  it('clamps a file dated in the future to now', async () => {
    const p = file('future.json', '[]');
    fs.utimesSync(p, new Date('2098-01-01T00:00:00Z'), new Date('2098-01-01T00:00:00Z'));
    const now = new Date('2026-12-01T07:00:00.000Z');
    expect((await loadSnapshot(p, { now: () => now })).takenAt.toISOString()).toBe(now.toISOString());
  });
});
