import http from 'node:http';
import type { HrEvent, HrRecord } from './hr-events.js';
import { sleep } from './processes.js';

const SCIM = '/api/v2/scim/v2';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The shipped mapping's attributes, written by hand the way a first integration would. */
function mapRecord(r: HrRecord): Record<string, unknown> {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const email = text(r.workEmail)?.toLowerCase();
  return {
    schemas: [CORE, ENTERPRISE],
    externalId: r.externalId,
    userName: email,
    displayName: [text(r.firstName), text(r.lastName)].filter(Boolean).join(' ') || email,
    title: text(r.title),
    emails: [{ type: 'work', value: email, primary: true }],
    phoneNumbers: text(r.phone) ? [{ type: 'work', value: text(r.phone) }] : [],
    roles: text(r.role) ? [{ value: text(r.role) }] : [],
    [ENTERPRISE]: {
      department: text(r.departmentCode),
      employeeNumber: r.externalId,
      dateHire: text(r.hireDate)?.slice(0, 10),
    },
  };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * The baseline: what a straightforward integration does for each HR event, one event at a time. Token, GET by
 * `externalId` filter, then POST when not found or a PATCH replacing every mapped attribute; retry on 429 after
 * `Retry-After`. No cache, no coalescing, no If-Match, no diff. (The token is kept until the target refuses it,
 * which only flatters the baseline: token calls are not SCIM requests and cost no budget.)
 */
export class NaiveSync {
  requests = 0;
  throttled = 0;
  private token: string | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly baseUrl: string,
    private readonly client: { id: string; secret: string },
  ) {}

  async apply(event: HrEvent): Promise<void> {
    const externalId = event.data.externalId;
    const filter = encodeURIComponent(`externalId eq "${externalId}"`);
    const found = await this.scim('GET', `/Users?filter=${filter}`);
    const list = JSON.parse(found.body) as { Resources?: Array<{ id: string }> };
    const id = list.Resources?.[0]?.id;
    if (event.event === 'user.deactivated') {
      if (id) await this.patch(id, { active: false });
      return;
    }
    const user = mapRecord(event.data);
    if (!id) {
      await this.expect(this.scim('POST', '/Users', { ...user, active: true }), 201);
      return;
    }
    const { schemas: _schemas, ...attributes } = user;
    await this.patch(id, { ...attributes, active: true });
  }

  close(): void {
    this.agent.destroy();
  }

  private async patch(id: string, value: Record<string, unknown>): Promise<void> {
    const body = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value }] };
    await this.expect(this.scim('PATCH', `/Users/${id}`, body), 200);
  }

  private async expect(answer: Promise<Answer>, status: number): Promise<void> {
    const a = await answer;
    if (a.status !== status) throw new Error(`naive sync: expected ${status}, got ${a.status}: ${a.body}`);
  }

  private async scim(method: string, path: string, body?: unknown): Promise<Answer> {
    for (;;) {
      const token = this.token ?? (await this.fetchToken());
      this.requests += 1;
      const answer = await this.send(
        method,
        `${SCIM}${path}`,
        {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        },
        body === undefined ? undefined : JSON.stringify(body),
      );
      if (answer.status === 429) {
        this.throttled += 1;
        const seconds = Number(answer.headers['retry-after']);
        await sleep(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3000);
        continue;
      }
      if (answer.status === 401) {
        this.token = undefined;
        continue;
      }
      return answer;
    }
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.client.id}:${this.client.secret}`).toString('base64');
    const answer = await this.send(
      'POST',
      '/oauth/token',
      { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      'grant_type=client_credentials',
    );
    if (answer.status !== 200) throw new Error(`naive sync: token refused (${answer.status})`);
    this.token = (JSON.parse(answer.body) as { access_token: string }).access_token;
    return this.token;
  }

  private send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.baseUrl}${path}`, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.once('error', reject);
      });
      req.once('error', reject);
      req.end(body);
    });
  }
}
