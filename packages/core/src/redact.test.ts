import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { REDACTED, redact, redactString, withoutQuotedValues } from './redact.js';

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: createLogger({ stream, level: 'debug' }), lines };
}

describe('redact', () => {
  it('masks credentials and personal fields but keeps ids', () => {
    const out = redact({
      externalId: 'HR-1',
      scimId: 'abc',
      headers: { Authorization: 'Bearer abc.def', 'webhook-signature': 'v1,xyz' },
      clientSecret: 's3cret',
      data: { firstName: 'Ada' },
      workEmail: 'ada@example.com',
      nested: [{ displayName: 'Ada Lovelace', status: 200 }],
    });
    expect(out).toEqual({
      externalId: 'HR-1',
      scimId: 'abc',
      headers: { Authorization: REDACTED, 'webhook-signature': REDACTED },
      clientSecret: REDACTED,
      data: REDACTED,
      workEmail: REDACTED,
      nested: [{ displayName: REDACTED, status: 200 }],
    });
  });

  it('scrubs bearer tokens, webhook secrets, signatures and e-mail addresses inside text', () => {
    const text = redactString(
      'token Bearer eyJhbGciOi.payload.sig secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw sig v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= from ada.lovelace@example.com',
    );
    expect(text).not.toMatch(/eyJhbGciOi|MfKQ9r8|K5oZfzN|ada\.lovelace/);
    expect(text).toContain('[email]');
  });

  it('survives cycles and deep nesting', () => {
    const a: Record<string, unknown> = { id: 1 };
    a.self = a;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    expect(() => redact(a)).not.toThrow();
    expect(JSON.stringify(redact(root))).toContain('[depth]');
  });
});

describe('createLogger', () => {
  it('writes JSON lines with redacted metadata, child context and errors', () => {
    const { logger, lines } = captureLogger();
    const child = logger.child({ jobId: 'j1', externalId: 'HR-7' });
    child.info('sync failed for ada@example.com', {
      err: new Error('401 with Bearer abc.def.ghi'),
      password: 'hunter2',
      record: { lastName: 'Lovelace' },
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({
      level: 'info',
      jobId: 'j1',
      externalId: 'HR-7',
      password: REDACTED,
      record: REDACTED,
    });
    expect(line.message).toBe('sync failed for [email]');
    expect(line.err.message).toBe(`401 with Bearer ${REDACTED}`);
    expect(lines[0]).not.toMatch(/hunter2|Lovelace|abc\.def/);
  });
});

describe('withoutQuotedValues', () => {
  it('keeps the sentence of a message and drops the values it quotes', () => {
    expect(
      withoutQuotedValues('role "admin" is not allowed for department "Sales" (allowed: agent, supervisor)'),
    ).toBe('role "…" is not allowed for department "…" (allowed: agent, supervisor)');
    expect(withoutQuotedValues('userName "a\\"b" taken by ada@example.com')).toBe(
      'userName "…" taken by [email]',
    );
  });
});

describe('createLogger levels', () => {
  it('does not format entries below its level', () => {
    const { logger, lines } = captureLogger();
    const quiet = createLogger({ level: 'info', stream: new Writable({ write: (_c, _e, cb) => cb() }) });
    let walked = 0;
    const probe = {
      get secret() {
        walked += 1;
        return 'x';
      },
    };
    quiet.debug('not written', { probe });
    expect(walked).toBe(0);
    logger.debug('written', { probe });
    expect(walked).toBeGreaterThan(0);
    expect(lines).toHaveLength(1);
  });
});
