import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScimClient } from '../src/index.js';
import { CLIENT_ID, CLIENT_SECRET, caught, setup } from './fixtures.js';
import type { Handler, ScriptedResponse } from './scim-test-server.js';

const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

/** Issues unguessable tokens and remembers them, so the test can look for every one. */
function tokenIssuer(): { handler: Handler; issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    handler: () => {
      const token = `AT.${randomUUID()}.${randomUUID()}`;
      issued.push(token);
      return { status: 200, body: { access_token: token, expires_in: 3600 } };
    },
  };
}

/** A target that echoes back everything it was sent, as a careless one might. */
function echo(status: number, extra: Partial<ScriptedResponse> = {}): Handler {
  return (request) => ({
    status,
    body: {
      status: String(status),
      scimType: 'invalidValue',
      detail: `rejected ${request.headers.authorization} (raw ${String(request.headers.authorization).slice(7)}) for ${CLIENT_SECRET} / ${BASIC} body=${request.body}`,
    },
    ...extra,
  });
}

const scenarios: Array<{ name: string; scim?: Handler; token?: Handler; timeoutMs?: number }> = [
  { name: '401 twice', scim: echo(401) },
  { name: '403', scim: echo(403) },
  { name: '400', scim: echo(400) },
  { name: '409 uniqueness', scim: echo(409) },
  { name: '429', scim: echo(429, { headers: { 'Retry-After': '1' } }) },
  { name: '500', scim: echo(500) },
  { name: 'connection reset', scim: () => ({ destroy: true }) },
  { name: 'timeout', scim: () => ({ hang: true }), timeoutMs: 100 },
  { name: 'not SCIM JSON', scim: () => ({ status: 200, body: 'Authorization: Bearer x' }) },
  {
    name: 'token endpoint 401',
    token: (request) => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: `bad credentials ${CLIENT_ID}:${CLIENT_SECRET} ${request.headers.authorization}`,
      },
    }),
  },
  {
    name: 'token endpoint 500',
    token: (request) => ({ status: 500, body: { message: `${request.headers.authorization}` } }),
  },
  { name: 'token endpoint reset', token: () => ({ destroy: true }) },
];

function everything(error: unknown): string {
  const err = error as Error & { cause?: unknown; details?: unknown };
  const cause = err.cause as (Error & { code?: unknown }) | undefined;
  return [
    JSON.stringify(err),
    String(err),
    err.stack ?? '',
    JSON.stringify(err.details),
    JSON.stringify(cause ?? null),
    String(cause ?? ''),
    cause?.stack ?? '',
    JSON.stringify(Object.getOwnPropertyNames(err).map((key) => [key, String((err as never)[key])])),
  ].join('\n');
}

describe('no secret ever leaks', () => {
  it.each(scenarios)(
    '$name: errors and log lines carry no secret, token or Authorization value',
    async (scenario) => {
      const tokens = tokenIssuer();
      const logged: string[] = [];
      const capture = (level: string) => (message: string, meta?: Record<string, unknown>) => {
        logged.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
      };
      const { client } = await setup({
        ...(scenario.scim ? { scim: scenario.scim } : { scim: () => ({ status: 200, body: {} }) }),
        token: scenario.token ?? tokens.handler,
        client: {
          timeoutMs: scenario.timeoutMs ?? 5_000,
          logger: { debug: capture('debug'), info: capture('info'), warn: capture('warn') },
        },
      });
      const calls: Array<(c: ScimClient) => Promise<unknown>> = [
        (c) => c.getUser('u-1'),
        (c) =>
          c.patchUser('u-1', [{ op: 'replace', path: 'title', value: 'secret-title' }], { version: '"1"' }),
        (c) => c.createUser({ userName: 'ada@example.com', password: 'user-password-123' }),
      ];
      for (const run of calls) {
        const error = await caught(() => run(client));
        const text = everything(error);
        const forbidden = [CLIENT_SECRET, BASIC, `Basic ${BASIC}`, ...tokens.issued, 'user-password-123'];
        for (const secret of forbidden) expect(text).not.toContain(secret);
        // Bodies sent never come back in an error (the echoing target put them in its detail).
        expect(text).not.toContain('secret-title');
      }
      const logs = logged.join('\n');
      for (const secret of [CLIENT_SECRET, BASIC, ...tokens.issued]) expect(logs).not.toContain(secret);
    },
  );
});
