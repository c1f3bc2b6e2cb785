import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { createSyncEngine, type SyncEngineSettings } from '../src/sync-engine.js';

function settings(redis: SyncEngineSettings['redis'], prefix: string): SyncEngineSettings {
  return {
    redis,
    prefix,
    target: { baseUrl: 'http://127.0.0.1:9', loginUrl: 'http://127.0.0.1:9', scimBasePath: '/scim' },
    requestsPerMinute: 100,
    reportRetentionDays: 1,
    userAgent: 'dirsync-kept-fields-test',
  };
}

const sensitive = { ssn: '078-05-1120', salary: 123_456, medicalNote: 'private' };

describe('least data kept', () => {
  redisTest(
    'person state keeps only the fields the mapping, policy and engine read; others are dropped at intake',
    async ({ redis, prefix }) => {
      const engine = await createSyncEngine(settings(redis, prefix));
      try {
        const data = {
          externalId: 'HR-D',
          workEmail: 'd@example.com',
          firstName: 'Dee',
          departmentCode: 'Support',
          role: 'agent',
          ...sensitive,
        };
        await engine.people.ingest([{ idempotencyKey: 'e', type: 'user.created', occurredAtMs: 1, data }]);
        const stored = await engine.people.get('HR-D');
        expect(stored?.data).toEqual({
          externalId: 'HR-D',
          workEmail: 'd@example.com',
          firstName: 'Dee',
          departmentCode: 'Support',
          role: 'agent',
        });
        expect(JSON.stringify(await redis.hgetall(`${prefix}:person:HR-D`))).not.toMatch(
          /ssn|salary|medical/,
        );
      } finally {
        await engine.close();
      }
    },
  );

  redisTest(
    'a mapping that reads the record wholesale needs HR_FIELDS: refused at load without it, obeyed with it',
    async ({ redis, prefix }) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kept-fields-'));
      const mappingFile = path.join(dir, 'dynamic.jsonata');
      fs.writeFileSync(mappingFile, '{ "userName": workEmail, "title": $lookup($, "jobTitle") }');
      try {
        await expect(createSyncEngine({ ...settings(redis, prefix), mappingFile })).rejects.toThrow(
          /reads the HR record as a whole or by computed field names \(line 1, column 43\).*set HR_FIELDS/,
        );
        const engine = await createSyncEngine({
          ...settings(redis, prefix),
          mappingFile,
          hrFields: ['jobTitle'],
        });
        try {
          const data = { externalId: 'HR-E', workEmail: 'e@example.com', jobTitle: 'Lead', ...sensitive };
          await engine.people.ingest([{ idempotencyKey: 'e', type: 'user.created', occurredAtMs: 1, data }]);
          expect((await engine.people.get('HR-E'))?.data).toEqual({
            externalId: 'HR-E',
            workEmail: 'e@example.com',
            jobTitle: 'Lead',
          });
        } finally {
          await engine.close();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
