// `pnpm demo`: against a running stack (`pnpm start` in another terminal, or docker compose), sends a realistic
// burst of HR events signed like a Standard Webhooks sender, shows progress until the sync settles, then prints
// what the sync reports say. Exits 0 when everything came out as an HR administrator would expect.
//
// Reads WEBHOOK_SECRET, ADMIN_USER and ADMIN_PASSWORD from .data/local.env (written by `pnpm start`), else from
// .env (docker compose); the environment overrides both. DEMO_API_URL (default http://127.0.0.1:3000) names the
// API; DEMO_TIMEOUT_SECONDS (default 300) bounds each wait for the queue to drain.
import { randomBytes } from 'node:crypto';
import { type Delivery, DemoError, DirsyncApi } from './demo/api-client.js';
import type { SyncStatus, WebhookAnswer } from './demo/api-types.js';
import { buildChecks } from './demo/checks.js';
import { drainSync } from './demo/drain.js';
import { showEffectiveDating } from './demo/effective-dating.js';
import { bold, cyan, dim, green, red, say, yellow } from './demo/paint.js';
import { RunOutcomes } from './demo/run-outcomes.js';
import { type DemoSettings, loadSettings } from './demo/settings.js';
import { printSummary } from './demo/summary.js';
import { buildWorkload, type HrEvent, nameOf, type Workload } from './demo/workload.js';

/** `dirsync_webhook_events_total{result="stale"}` from the API's /metrics; undefined when unreadable. */
async function staleEventCount(api: DirsyncApi): Promise<number | undefined> {
  try {
    const res = await api.request('GET', '/metrics', { timeoutMs: 5000 });
    const m = /^dirsync_webhook_events_total\{result="stale"\}\s+(\d+)/m.exec(res.text);
    return res.status === 200 ? Number(m?.[1] ?? 0) : undefined;
  } catch {
    return undefined;
  }
}

/** The API with the first credentials it accepts, and the sync's status before the demo. */
async function connect(
  settings: DemoSettings,
): Promise<{ api: DirsyncApi; initial: SyncStatus; source: string; adminUser?: string }> {
  const ready = await new DirsyncApi({ baseUrl: settings.apiUrl }).ready();
  if (ready.status !== 200) {
    throw new DemoError(
      `the API at ${settings.apiUrl} answers, but is not ready (GET /readyz → ${ready.status}: ${ready.text.trim()}); ` +
        'is its Redis up?',
    );
  }
  for (const candidate of settings.candidates) {
    const api = new DirsyncApi({ baseUrl: settings.apiUrl, ...candidate });
    const initial = await api.status();
    if (initial) return { api, initial, source: candidate.source, adminUser: candidate.adminUser };
  }
  throw new DemoError(
    `the API refused the admin credentials of ${settings.candidates.map((c) => c.source).join(' and ')}: the ` +
      'stack runs with other ones. Restart it (pnpm start), or set ADMIN_USER and ADMIN_PASSWORD.',
  );
}

const stamp = (event: HrEvent, at = Date.now()): HrEvent => {
  event.occurredAt ??= new Date(at).toISOString();
  return event;
};

const describe = (json: WebhookAnswer) =>
  `202 ${json.status === 'duplicate' ? yellow(json.status) : green(json.status)} · ${json.accepted} accepted` +
  (json.duplicates ? `, ${json.duplicates} duplicate` : '');

/** Sends the workload's days, each followed by a wait for the sync to settle. */
async function sendDays(api: DirsyncApi, w: Workload, drain: (expected: number) => Promise<void>) {
  const name = (externalId: string) => nameOf(w.people.get(externalId) ?? { externalId });
  const sendBatch = async (label: string, events: HrEvent[]) => {
    const res = await api.deliver({ events: events.map((e) => stamp(e)) });
    say(`  → ${label.padEnd(60)} ${describe(res.json)}`);
    return res;
  };
  const sendOne = async (label: string, event: HrEvent) => {
    const res = await api.deliver(stamp(event));
    say(`  → ${label.padEnd(60)} ${describe(res.json)}`);
    return res;
  };
  const { hires1, hires2, headHires, leadHires, titleAndPhone, reorg, terminations, rehire } = w.batches;
  const reportsWithLead = w.reports.filter((p) => p !== w.overreach);

  say();
  say(bold('Day 1 · new hires'));
  await sendBatch(`batch: ${hires1.length} hires, Engineering and Sales`, hires1);
  await sendBatch(`batch: ${hires2.length} hires, Sales, Support and a contractor`, hires2);
  for (const e of headHires) await sendOne(`single: ${name(e.data.externalId)}, ${e.data.title}`, e);
  say(
    dim(
      `  (the teams' managers are not in Genesys yet; ${name(w.overreach.externalId)} asks for role admin in Sales)`,
    ),
  );
  await drain(hires1.length + hires2.length + headHires.length);

  say();
  say(bold('Day 1, later · the team leads arrive after their teams'));
  for (const e of leadHires) await sendOne(`single: ${name(e.data.externalId)}, ${e.data.title}`, e);
  await drain(leadHires.length + reportsWithLead.length);

  say();
  say(bold('Day 2 · changes'));
  await sendBatch(`batch: ${titleAndPhone.length} title and phone changes`, titleAndPhone);
  await sendBatch(`batch: reorg, ${reorg.length - 1} Support → Sales as supervisors, 1 title`, reorg);
  await sendBatch(`batch: ${terminations.length} terminations (externalId only)`, terminations);
  const staleBefore = await staleEventCount(api);
  const promotion = await sendOne(`single: ${name(w.promoted.externalId)} promoted`, w.promotion);
  // The sender did not see the answer and retries: same webhook-id, same body, new timestamp and signature.
  const promotionAgain: Delivery = await api.deliver(undefined, {
    webhookId: promotion.webhookId,
    body: promotion.body,
  });
  say(`  → ${'the same delivery again (a sender retry)'.padEnd(60)} ${describe(promotionAgain.json)}`);
  const newerAt = Date.now();
  const newer = await sendOne(
    `single: ${name(w.reordered.externalId)} → "${w.newerTitle}"`,
    stamp(w.newer, newerAt),
  );
  const older = await sendOne(
    `single: older change → "${w.olderTitle}" (1 h before)`,
    stamp(w.older, newerAt - 60 * 60 * 1000),
  );
  await drain(titleAndPhone.length + reorg.length + terminations.length + 2);
  const staleAfter = await staleEventCount(api);

  say();
  say(bold('Day 3 · a rehire'));
  await sendOne(`single: ${name(w.rehired.externalId)} rehired as ${w.rehired.title}`, rehire);
  await drain(1);
  const staleDelta =
    staleBefore === undefined || staleAfter === undefined ? undefined : staleAfter - staleBefore;
  return { answers: { promotion, promotionAgain, newer, older }, staleDelta, reportsWithLead, name };
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const { api, initial, source, adminUser } = await connect(settings);
  const dashboard = `${settings.apiUrl}/admin/queues`;
  const failedJobsUrl = `${dashboard}/queue/sync?status=failed`;
  const tag = randomBytes(4).toString('hex').slice(0, 6);
  const w = buildWorkload(tag);
  // Reports are stamped by the worker's clock; a little slack for a clock a moment behind ours.
  const startedAt = Date.now() - 2000;
  const boundaries = [startedAt];

  say(bold(`dirsync demo · run ${tag} · ${w.people.size} people · API ${settings.apiUrl}`));
  say(dim(`  credentials from ${source}; people ids ${tag}-…, e-mails …${tag}@example.com`));
  if (initial.quarantine) {
    say(
      yellow(
        `  ! the sync is quarantined (${initial.quarantine.detail}): nothing will settle until a probe succeeds`,
      ),
    );
  }
  const sent = await sendDays(api, w, async (expected) => {
    await drainSync(api, { expected, timeoutMs: settings.timeoutMs, dashboard });
    boundaries.push(Date.now());
  });

  // What the target holds now, through the API's preview (reads Genesys, writes nothing).
  const sampleReport = sent.reportsWithLead.find(
    (p) => !w.changed.includes(p.externalId) && !w.leavers.includes(p),
  );
  const sampleHire = [...w.batches.hires1, ...w.batches.hires2].find(
    (e) => e.data.externalId === sampleReport?.externalId,
  );
  const previews = {
    newer: await api.preview(w.newer),
    older: await api.preview(w.older),
    filledIn: sampleHire ? await api.preview(sampleHire) : undefined,
    rehire: await api.preview(w.batches.rehire),
  };
  const outcomes = await RunOutcomes.collect(api, { tag, startedAt, boundaries, nameOf: sent.name });
  const facts = { ...sent, w, tag, outcomes, previews, sampleReport, initial, failedJobsUrl };
  await printSummary(api, facts);

  const checks = buildChecks(facts);
  if (sampleHire) {
    checks.push(
      ...(await showEffectiveDating(api, {
        tag,
        leaver: sampleHire,
        drain: (expected) => drainSync(api, { expected, timeoutMs: settings.timeoutMs, dashboard }),
      })),
    );
  }
  say();
  say(bold('Checks'));
  for (const [text, ok, why] of checks)
    say(`  ${ok ? green('✓') : red('✗')} ${text}${ok ? '' : dim(` — ${why}`)}`);
  const failed = checks.filter(([, ok]) => !ok).length;
  say();
  if (failed > 0) {
    say(
      red(
        bold(
          `The demo ran, but ${failed} of ${checks.length} checks failed: the sync did not do what HR expects.`,
        ),
      ),
    );
    process.exitCode = 1;
  } else {
    say(green(bold(`All ${checks.length} checks passed.`)));
  }
  // Where an operator goes next: the console, starting with the person the policy refused.
  const denied = w.overreach.externalId;
  say();
  say(`Console: ${cyan(`${settings.apiUrl}/admin`)}   user ${adminUser ?? '(none)'}`);
  say(
    `  ${sent.name(denied)}, role admin denied in Sales: ${cyan(`${settings.apiUrl}/admin/people/${encodeURIComponent(denied)}`)}`,
  );
  say(`Dashboard (failed jobs): ${cyan(failedJobsUrl)}`);
  say(`Reports: ${cyan(`${settings.apiUrl}/admin/reports`)}`);
}

process.on('SIGINT', () => {
  process.stdout.write('\n');
  process.exit(130);
});

main().catch((error: unknown) => {
  process.stdout.write('\n');
  if (error instanceof DemoError) {
    process.stderr.write(`${red('demo stopped:')} ${error.message}\n`);
  } else {
    process.stderr.write(
      `${red('demo crashed:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(2);
});
