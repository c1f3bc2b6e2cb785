import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { SignatureVerifier } from './webhook-signature.js';

const OLD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEW = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

/** The reference library's answer, tried with each secret as the API did before: undefined, or the last reason. */
function reference(secrets: string[], body: Buffer, headers: Record<string, string | undefined>) {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') flat[k] = v;
  let reason = 'missing signature headers';
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, flat, { jsonParse: false });
      return undefined;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      reason = error.message;
    }
  }
  return `webhook signature rejected: ${reason.toLowerCase()}`;
}

function ours(secrets: string[], body: Buffer, headers: Record<string, string | undefined>) {
  try {
    new SignatureVerifier(secrets).verify(body, headers);
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    return error.message;
  }
}

describe('SignatureVerifier', () => {
  it('accepts and rejects exactly what the reference library does, with the same reason', () => {
    const now = new Date();
    const seconds = Math.floor(now.getTime() / 1000);
    const bodies = [
      Buffer.from('{"event":"user.created","data":{"externalId":"HR-1"}}'),
      Buffer.from('{"name":"Zoë Ørsted 山田"}'),
      Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.alloc(0),
    ];
    const cases: Array<{ secrets: string[]; body: Buffer; headers: Record<string, string | undefined> }> = [];
    for (const body of bodies) {
      const good = new Webhook(OLD).sign('msg_1', now, body);
      const other = new Webhook(NEW).sign('msg_1', now, body);
      const stale = new Date(now.getTime() - 6 * 60_000);
      const headerSets: Array<Record<string, string | undefined>> = [
        { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds), 'webhook-signature': good },
        {
          'webhook-id': 'msg_1',
          'webhook-timestamp': String(seconds),
          'webhook-signature': `v2,xyz ${good}`,
        },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': `${seconds}abc`, 'webhook-signature': good },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds), 'webhook-signature': other },
        { 'webhook-id': 'msg_2', 'webhook-timestamp': String(seconds), 'webhook-signature': good },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds + 1), 'webhook-signature': good },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds), 'webhook-signature': `${good}x` },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds), 'webhook-signature': 'v1' },
        {
          'webhook-id': 'msg_1',
          'webhook-timestamp': String(Math.floor(stale.getTime() / 1000)),
          'webhook-signature': new Webhook(OLD).sign('msg_1', stale, body),
        },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds + 600), 'webhook-signature': good },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': 'soon', 'webhook-signature': good },
        { 'webhook-id': '', 'webhook-timestamp': String(seconds), 'webhook-signature': good },
        { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds) },
        {},
      ];
      for (const headers of headerSets) {
        for (const secrets of [[OLD], [NEW], [NEW, OLD]]) cases.push({ secrets, body, headers });
      }
    }
    let accepted = 0;
    for (const { secrets, body, headers } of cases) {
      const expected = reference(secrets, body, headers);
      if (expected === undefined) accepted++;
      expect({ headers, body: body.toString('hex'), secrets, answer: ours(secrets, body, headers) }).toEqual({
        headers,
        body: body.toString('hex'),
        secrets,
        answer: expected,
      });
    }
    // Both outcomes were exercised.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(cases.length);
  });

  it('refuses a secret the reference library refuses, at construction', () => {
    expect(() => new SignatureVerifier(['whsec_'])).toThrow();
    expect(() => new Webhook('whsec_')).toThrow();
  });
});
