import { randomBytes } from 'node:crypto';
import http, { Agent } from 'node:http';
import { Webhook } from 'standardwebhooks';

export type EventType = 'user.created' | 'user.updated' | 'user.deactivated' | 'user.reactivated';

export interface HrRecord {
  externalId: string;
  [field: string]: unknown;
}

export interface HrEvent {
  id: string;
  event: EventType;
  occurredAt: string;
  data: HrRecord;
}

export const WEBHOOK_PATH = '/webhooks/directory-sync';

/** A fresh Standard Webhooks secret for this run. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * One person's full HR record (the webhook's `data` is the full current state, never a delta). `title` carries
 * the revision, so each update changes exactly one mapped attribute. No manager: a manager lookup would add a
 * request per person that has nothing to do with what is measured.
 */
export function hrRecord(externalId: string, title: string): HrRecord {
  const n = externalId.replace(/\D/g, '') || '0';
  return {
    externalId,
    firstName: 'Pat',
    lastName: `Bench${n}`,
    workEmail: `${externalId.toLowerCase()}@bench.example.org`,
    title,
    departmentCode: 'Support',
    role: 'agent',
    phone: `+1555${n.padStart(7, '0').slice(-7)}`,
    hireDate: '2024-03-01',
    level: 'L2',
    costCenter: 'CC-100',
  };
}

/** Signs bodies as an HR system does: `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
export class Signer {
  private readonly hook: Webhook;
  private deliveries = 0;

  constructor(
    secret: string,
    private readonly runTag: string,
  ) {
    this.hook = new Webhook(secret);
  }

  headers(body: string): Record<string, string> {
    const id = `msg-${this.runTag}-${++this.deliveries}`;
    const at = new Date();
    return {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': this.hook.sign(id, at, body),
    };
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Delivers bodies (one event, or `{ events }`) to the API, `concurrency` at a time, each freshly signed. Returns
 * the answers by status; anything but 202 is a product problem the caller reports.
 */
export async function deliver(
  apiUrl: string,
  signer: Signer,
  bodies: readonly unknown[],
  concurrency = 16,
): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const body = JSON.stringify(bodies[next++]);
      let status: number;
      try {
        status = await post(`${apiUrl}${WEBHOOK_PATH}`, signer.headers(body), body);
      } catch {
        status = 0;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return statuses;
}

/** Splits events into `{ events }` bodies of `size`. */
export function batches(events: readonly HrEvent[], size: number): Array<{ events: HrEvent[] }> {
  const out: Array<{ events: HrEvent[] }> = [];
  for (let i = 0; i < events.length; i += size) out.push({ events: events.slice(i, i + size) });
  return out;
}

export function closeAgent(): void {
  agent.destroy();
}
