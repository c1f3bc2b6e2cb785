import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
