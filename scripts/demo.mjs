#!/usr/bin/env node
// `pnpm demo`: against a running stack (`pnpm start` in another terminal, or docker compose), sends a realistic
// burst of HR events signed like a Standard Webhooks sender, shows progress until the sync settles, then prints
// what the sync reports say. Exits 0 when everything came out as an HR administrator would expect.
//
// Reads WEBHOOK_SECRET, ADMIN_USER and ADMIN_PASSWORD from .data/local.env (written by `pnpm start`), else from
// .env (docker compose); the environment overrides both. DEMO_API_URL (default http://127.0.0.1:3000) names the
// API; DEMO_TIMEOUT_SECONDS (default 300) bounds each wait for the queue to drain. No dependencies beyond Node.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DemoError, DirsyncApi } from './demo/api-client.mjs';
import { createProgress } from './demo/progress.mjs';
import { buildWorkload, nameOf } from './demo/workload.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.DIRSYNC_DATA_DIR || '.data');
const localEnvFile = path.join(dataDir, 'local.env');
const composeEnvFile = path.join(root, '.env');
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : String(text));
const bold = paint(1);
const dim = paint(2);
const green = paint(32);
const red = paint(31);
const yellow = paint(33);
const cyan = paint(36);
const OUTCOMES = ['created', 'updated', 'unchanged', 'deactivated', 'reactivated', 'skipped', 'failed'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line = '') => process.stdout.write(`${line}\n`);
const relative = (file) => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

/** KEY=VALUE lines, as start.mjs writes them (and as compose reads .env). */
function readEnvFile(file) {
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/**
 * Where the credentials may be: .data/local.env (pnpm start), then .env (docker compose), each overridden by the
 * environment. The first set the API accepts is used.
 */
function loadSettings() {
  const files = [localEnvFile, composeEnvFile].filter((f) => fs.existsSync(f));
  const candidates = files.map((file) => {
    const saved = readEnvFile(file);
    const pick = (name) => process.env[name] || saved[name] || undefined;
    const overridden = ['WEBHOOK_SECRET', 'ADMIN_USER', 'ADMIN_PASSWORD'].some((n) => process.env[n]);
    return {
      source: overridden ? `${relative(file)} and the environment` : relative(file),
      secret: pick('WEBHOOK_SECRET'),
      adminUser: pick('ADMIN_USER'),
      adminPassword: pick('ADMIN_PASSWORD'),
    };
  });
  if (candidates.length === 0) {
    if (!process.env.WEBHOOK_SECRET && !process.env.ADMIN_PASSWORD) {
      throw new DemoError(
        `${relative(localEnvFile)} is missing, so the demo has no credentials: start the stack first: pnpm start ` +
          '(it writes them there). With docker compose, the demo reads them from .env.',
      );
    }
    candidates.push({
      source: 'the environment',
      secret: process.env.WEBHOOK_SECRET,
      adminUser: process.env.ADMIN_USER,
      adminPassword: process.env.ADMIN_PASSWORD,
    });
  }
  return {
    apiUrl: (process.env.DEMO_API_URL || 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    timeoutMs: (Number(process.env.DEMO_TIMEOUT_SECONDS) || 300) * 1000,
    candidates,
  };
}

/** `dirsync_webhook_events_total{result="stale"}` from the API's /metrics; undefined when unreadable. */
async function staleEventCount(api) {
  try {
    const res = await api.request('GET', '/metrics', { timeoutMs: 5000 });
    const m = /^dirsync_webhook_events_total\{result="stale"\}\s+(\d+)/m.exec(res.text);
    return res.status === 200 ? Number(m?.[1] ?? 0) : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const settings = loadSettings();
  let api = new DirsyncApi({ baseUrl: settings.apiUrl });
  const ready = await api.ready();
  if (ready.status !== 200) {
    throw new DemoError(
      `the API at ${settings.apiUrl} answers, but is not ready (GET /readyz → ${ready.status}: ${ready.text.trim()}); ` +
        'is its Redis up?',
    );
  }
  let initial;
  for (const candidate of settings.candidates) {
    api = new DirsyncApi({ baseUrl: settings.apiUrl, ...candidate });
    initial = await api.status();
    if (initial) {
      settings.source = candidate.source;
      settings.adminUser = candidate.adminUser;
      break;
    }
  }
  if (!initial) {
    throw new DemoError(
      `the API refused the admin credentials of ${settings.candidates.map((c) => c.source).join(' and ')}: the ` +
        'stack runs with other ones. Restart it (pnpm start), or set ADMIN_USER and ADMIN_PASSWORD.',
    );
  }
  const dashboard = `${settings.apiUrl}/admin/queues`;
  const failedJobsUrl = `${dashboard}/queue/sync?status=failed`;

  const tag = randomBytes(4).toString('hex').slice(0, 6);
  const w = buildWorkload(tag);
  const name = (externalId) => nameOf(w.people.get(externalId) ?? { externalId });
  // Reports are stamped by the worker's clock; a little slack for a clock a moment behind ours.
  const startedAt = Date.now() - 2000;
  const boundaries = [startedAt];
  const answers = {};

  say(bold(`dirsync demo · run ${tag} · ${w.people.size} people · API ${settings.apiUrl}`));
  say(dim(`  credentials from ${settings.source}; people ids ${tag}-…, e-mails …${tag}@example.com`));
  if (initial.quarantine) {
    say(
      yellow(
        `  ! the sync is quarantined (${initial.quarantine.detail}): nothing will settle until a probe succeeds`,
      ),
    );
  }

  const stamp = (event, at = Date.now()) => {
    event.occurredAt ??= new Date(at).toISOString();
    return event;
  };
  const describe = (json) =>
    `202 ${json.status === 'duplicate' ? yellow(json.status) : green(json.status)} · ${json.accepted} accepted` +
    (json.duplicates ? `, ${json.duplicates} duplicate` : '');
  const sendBatch = async (label, events) => {
    const res = await api.deliver({ events: events.map((e) => stamp(e)) });
    say(`  → ${label.padEnd(60)} ${describe(res.json)}`);
    return res;
  };
  const sendOne = async (label, event) => {
    const res = await api.deliver(stamp(event));
    say(`  → ${label.padEnd(60)} ${describe(res.json)}`);
    return res;
  };

  /** Polls /admin/status until no sync job waits or runs and nobody is pending, a few polls in a row. */
  const drain = async (expected) => {
    const progress = createProgress(process.stdout, { color });
    const deadline = Date.now() + settings.timeoutMs;
    let total = expected;
    let quiet = 0;
    let state = { done: 0, total };
    // Settled = people who became pending since the first poll, less those still pending. Pending people also
    // appear mid-phase (a manager's sync re-queues their reports), so entries are counted as the count rises.
    let entered;
    let lastPending = 0;
    let done = 0;
    for (;;) {
      const s = await api.requireStatus();
      const q = s.queues.sync;
      const busy = (q.waiting ?? 0) + (q.active ?? 0) + (q.prioritized ?? 0);
      entered =
        entered === undefined ? s.pendingPeople : entered + Math.max(0, s.pendingPeople - lastPending);
      lastPending = s.pendingPeople;
      total = Math.max(total, entered);
      done = Math.min(total, Math.max(done, entered - s.pendingPeople));
      const parts = [`${q.waiting ?? 0} waiting, ${q.active ?? 0} active`];
      if (s.budget) {
        const full = s.budget.usedInWindow >= s.budget.limit;
        parts.push(
          `SCIM ${s.budget.usedInWindow}/${s.budget.limit} per min${full ? yellow(' (waiting for the budget)') : ''}`,
        );
      }
      if (s.budget?.pausedForMs > 0)
        parts.push(yellow(`paused ${Math.ceil(s.budget.pausedForMs / 1000)} s (429)`));
      if (s.quarantine) parts.push(red('QUARANTINED'));
      state = { done, total, detail: parts.join(' · ') };
      progress.update(state);
      quiet = busy === 0 && s.pendingPeople === 0 ? quiet + 1 : 0;
      // Three quiet polls: a manager's sync re-queues the people waiting for them before it lets go.
      if (quiet >= 3) {
        progress.finish({ ...state, done: total });
        boundaries.push(Date.now());
        return;
      }
      if (Date.now() > deadline) {
        progress.finish(state);
        throw new DemoError(
          `the sync did not settle within ${settings.timeoutMs / 1000} s (${s.pendingPeople} people pending, ` +
            `${q.waiting} jobs waiting, ${q.active} active). Look at the worker's log and ${dashboard}`,
        );
      }
      await sleep(400);
    }
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
  answers.promotion = await sendOne(`single: ${name(w.promoted.externalId)} promoted`, w.promotion);
  // The sender did not see the answer and retries: same webhook-id, same body, new timestamp and signature.
  answers.promotionAgain = await api.deliver(undefined, {
    webhookId: answers.promotion.webhookId,
    body: answers.promotion.body,
  });
  say(
    `  → ${'the same delivery again (a sender retry)'.padEnd(60)} ${describe(answers.promotionAgain.json)}`,
  );
  const newerAt = Date.now();
  answers.newer = await sendOne(
    `single: ${name(w.reordered.externalId)} → "${w.newerTitle}"`,
    stamp(w.newer, newerAt),
  );
  answers.older = await sendOne(
    `single: older change → "${w.olderTitle}" (1 h before)`,
    stamp(w.older, newerAt - 60 * 60 * 1000),
  );
  await drain(titleAndPhone.length + reorg.length + terminations.length + 2);
  const staleAfter = await staleEventCount(api);

  say();
  say(bold('Day 3 · a rehire'));
  await sendOne(`single: ${name(w.rehired.externalId)} rehired as ${w.rehired.title}`, rehire);
  await drain(1);

  // What the target holds now, through the API's preview (reads Genesys, writes nothing).
  const sampleReport = reportsWithLead.find(
    (p) => !w.changed.includes(p.externalId) && !w.leavers.includes(p),
  );
  const sampleHire = [...hires1, ...hires2].find((e) => e.data.externalId === sampleReport?.externalId);
  const previews = {
    newer: await api.preview(w.newer),
    older: await api.preview(w.older),
    filledIn: sampleHire ? await api.preview(sampleHire) : undefined,
    rehire: await api.preview(rehire),
  };

  // ---- The reports of this run. ----
  const summaries = await api.reportsSince(startedAt);
  const reports = [];
  for (let i = 0; i < summaries.length; i += 8) {
    reports.push(...(await Promise.all(summaries.slice(i, i + 8).map((s) => api.report(s.id)))));
  }
  const ours = (externalId) => typeof externalId === 'string' && externalId.startsWith(`${tag}-`);
  const phaseOf = (at) => {
    const t = Date.parse(at);
    const i = boundaries.findIndex(
      (b, k) => t >= b && (k === boundaries.length - 1 || t < boundaries[k + 1]),
    );
    return i === -1 ? 0 : i + 1;
  };
  const seenResults = new Set();
  const seenDiscrepancies = new Set();
  const results = [];
  const discrepancies = [];
  for (const report of reports) {
    const phase = phaseOf(report.generatedAt);
    for (const p of report.people ?? []) {
      // The same outcome of the same event reported twice (a retried job) is one result.
      const key = `${p.externalId}|${p.outcome}|${p.correlationId ?? ''}`;
      if (!ours(p.externalId) || seenResults.has(key)) continue;
      seenResults.add(key);
      results.push({ ...p, phase });
    }
    for (const d of report.discrepancies ?? []) {
      const key = `${d.externalId}|${d.type}|${d.detail}`;
      if (!ours(d.externalId) || seenDiscrepancies.has(key)) continue;
      seenDiscrepancies.add(key);
      discrepancies.push(d);
    }
  }
  const resultsOf = (outcome, phase) =>
    results.filter((r) => r.outcome === outcome && (phase === undefined || r.phase === phase));
  const people = (list) => new Set(list.map((r) => r.externalId));
  const names = (ids, max = 4) => {
    const list = [...ids].map(name);
    return list.length > max
      ? `${list.slice(0, max).join(', ')} and ${list.length - max} more`
      : list.join(', ');
  };

  // ---- Summary. ----
  say();
  say(
    bold(
      `Sync summary · run ${tag} · ${reports.length} reports, ${results.length} results for this run's people`,
    ),
  );
  const fillIns = people(resultsOf('updated', 2));
  const changes = people(resultsOf('updated', 3));
  const notes = {
    created: `${people(resultsOf('created')).size} people, each created once`,
    updated: `${fillIns.size} managers filled in once the leads were synced · ${changes.size} HR changes`,
    deactivated: names(people(resultsOf('deactivated'))),
    reactivated: names(people(resultsOf('reactivated'))),
    skipped: [...people(resultsOf('skipped'))]
      .map((id) => `${name(id)} (no work e-mail: out of scope)`)
      .join(', '),
    failed: names(people(resultsOf('failed'))),
  };
  for (const outcome of OUTCOMES) {
    const n = resultsOf(outcome).length;
    const figure = String(n).padStart(4);
    const shown = outcome === 'failed' && n > 0 ? red(figure) : n > 0 ? figure : dim(figure);
    say(`  ${outcome.padEnd(12)}${shown}${notes[outcome] ? `   ${dim(notes[outcome])}` : ''}`);
  }

  say();
  say(bold('Failures'));
  if (discrepancies.length === 0 && resultsOf('failed').length === 0) say('  none');
  for (const d of discrepancies) {
    const record = w.people.get(d.externalId) ?? {};
    say(
      `  ${red('✗')} ${name(d.externalId)} (${d.externalId}, ${record.departmentCode ?? 'no department'}): ${d.type}: ${d.detail}`,
    );
  }
  if (resultsOf('failed').length > 0) {
    const failedJobs = (await api.requireStatus()).queues.sync.failed - initial.queues.sync.failed;
    say(
      dim(
        `    Nothing was written for them. Failed jobs in the dashboard: +${failedJobs}, each retryable there`,
      ),
    );
    say(dim(`    once HR or the policy is fixed: ${failedJobsUrl}`));
  }

  say();
  say(bold('Duplicate delivery'));
  const promotionResults = results.filter((r) => r.correlationId === w.promotion.id);
  const again = answers.promotionAgain.json;
  say(`  ${name(w.promoted.externalId)}'s promotion (event ${w.promotion.id}) was delivered twice.`);
  say(
    `  First answer: ${answers.promotion.json.status}; the retry: ${again.status} ` +
      `(${again.accepted} accepted, ${again.duplicates} duplicate), nothing enqueued again.`,
  );
  say(
    `  Sync results carrying that event id: ${promotionResults.length}` +
      ` (${promotionResults.map((r) => r.outcome).join(', ') || 'none'}).`,
  );

  say();
  say(bold('Out-of-order event'));
  const olderResults = results.filter((r) => r.correlationId === w.older.id);
  const staleDelta =
    staleBefore === undefined || staleAfter === undefined ? undefined : staleAfter - staleBefore;
  const clock = (iso) => iso.slice(11, 19);
  say(
    `  ${name(w.reordered.externalId)}: "${w.newerTitle}" (occurred ${clock(w.newer.occurredAt)} UTC) arrived first;` +
      ` "${w.olderTitle}" (occurred ${clock(w.older.occurredAt)}) after it.`,
  );
  say(
    `  The API accepted the late one (${answers.older.json.status}, so the sender stops retrying)` +
      (staleDelta === undefined ? '' : ` and counted it stale (+${staleDelta})`) +
      `; ${olderResults.length === 0 ? 'no sync ran for it' : `yet ${olderResults.length} sync results carry its id`}.`,
  );
  if (previews.newer) {
    say(
      `  Preview of the newer record: ${previews.newer.outcome}, ${writes(previews.newer).length} writes needed,` +
        ` so Genesys holds "${w.newerTitle}".`,
    );
    say(
      `  Preview of the late one: ${previews.older?.stale ? 'stale, it would change nothing' : JSON.stringify(previews.older)}.`,
    );
  } else {
    say(dim('  (preview unavailable: the API has no target credentials)'));
  }

  // ---- Checks: what an HR administrator expects of this workload. ----
  const expectedCreated = new Set(
    [...w.people.values()]
      .map((p) => p.externalId)
      .filter((id) => id !== w.overreach.externalId && id !== w.contractor.externalId),
  );
  const createdIds = people(resultsOf('created'));
  const failedIds = people(resultsOf('failed'));
  const policyFailures = discrepancies.filter((d) => d.type === 'policy_violation');
  const otherDiscrepancies = discrepancies.filter((d) => d.type !== 'policy_violation');
  const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
  const changedIds = new Set(w.changed.filter((id) => !w.leavers.some((p) => p.externalId === id)));
  const checks = [
    [
      `every hire created exactly once (${expectedCreated.size})`,
      sameSet(createdIds, expectedCreated) && resultsOf('created').length === expectedCreated.size,
      `created: ${resultsOf('created').length} results for ${createdIds.size} people`,
    ],
    [
      `exactly one failure: ${name(w.overreach.externalId)}'s policy violation (role admin in Sales)`,
      sameSet(failedIds, new Set([w.overreach.externalId])) &&
        policyFailures.length >= 1 &&
        policyFailures.every(
          (d) => d.externalId === w.overreach.externalId && /admin/.test(d.detail) && /Sales/.test(d.detail),
        ),
      `failed people: ${names(failedIds) || 'none'}; policy violations: ${policyFailures.length}`,
    ],
    [
      'no other discrepancy (sync failure, conflict, attribute mismatch)',
      otherDiscrepancies.length === 0,
      otherDiscrepancies.map((d) => `${d.type} ${d.externalId}: ${d.detail}`).join('; '),
    ],
    [
      `every report got their manager once the team leads were synced (${reportsWithLead.length})`,
      reportsWithLead.every((p) => fillIns.has(p.externalId)),
      `updated after the leads arrived: ${fillIns.size}`,
    ],
    [
      `every HR change applied (${changedIds.size})`,
      [...changedIds].every((id) => changes.has(id)),
      `missing: ${names([...changedIds].filter((id) => !changes.has(id)))}`,
    ],
    [
      `the contractor without a work e-mail skipped`,
      sameSet(people(resultsOf('skipped')), new Set([w.contractor.externalId])),
      `skipped: ${names(people(resultsOf('skipped'))) || 'none'}`,
    ],
    [
      `the ${w.leavers.length} leavers deactivated, the rehire reactivated`,
      sameSet(people(resultsOf('deactivated')), new Set(w.leavers.map((p) => p.externalId))) &&
        sameSet(people(resultsOf('reactivated')), new Set([w.rehired.externalId])),
      `deactivated: ${names(people(resultsOf('deactivated'))) || 'none'}; reactivated: ${names(people(resultsOf('reactivated'))) || 'none'}`,
    ],
    [
      'the duplicate delivery answered "duplicate" and synced once',
      answers.promotionAgain.json.status === 'duplicate' &&
        answers.promotionAgain.json.duplicates === 1 &&
        promotionResults.length === 1,
      `second answer ${JSON.stringify(answers.promotionAgain.json)}; results with its id: ${promotionResults.length}`,
    ],
    [
      'the out-of-order event changed nothing',
      olderResults.length === 0 &&
        (staleDelta === undefined || staleDelta === 1) &&
        (!previews.newer ||
          (previews.newer.outcome === 'unchanged' && writes(previews.newer).length === 0)) &&
        (!previews.older || previews.older.stale === true),
      `results with its id: ${olderResults.length}; stale count +${staleDelta}; preview of the newer: ${previews.newer?.outcome} with ${previews.newer ? writes(previews.newer).length : '?'} writes`,
    ],
  ];
  if (previews.filledIn && sampleReport) {
    checks.push([
      `Genesys matches HR for ${name(sampleReport.externalId)} (manager filled in): preview needs no write`,
      previews.filledIn.outcome === 'unchanged' && writes(previews.filledIn).length === 0,
      `preview: ${previews.filledIn.outcome}, writes ${JSON.stringify(writes(previews.filledIn))}`,
    ]);
  }
  if (previews.rehire) {
    checks.push([
      `Genesys matches HR for ${name(w.rehired.externalId)} after the rehire: preview needs no write`,
      previews.rehire.outcome === 'unchanged' && writes(previews.rehire).length === 0,
      `preview: ${previews.rehire.outcome}, writes ${JSON.stringify(writes(previews.rehire))}`,
    ]);
  }

  say();
  say(bold('Checks'));
  for (const [text, ok, why] of checks)
    say(`  ${ok ? green('✓') : red('✗')} ${text}${ok ? '' : dim(` — ${why}`)}`);
  say();
  say(`Dashboard (failed jobs): ${cyan(failedJobsUrl)}   user ${settings.adminUser ?? '(none)'}`);
  say(`Reports: ${cyan(`${settings.apiUrl}/admin/reports`)}`);
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
}

/** The writes a preview would make (its reads are real). */
function writes(preview) {
  return (preview?.requests ?? []).filter((r) => r.method !== 'GET');
}

process.on('SIGINT', () => {
  process.stdout.write('\n');
  process.exit(130);
});

main().catch((error) => {
  process.stdout.write('\n');
  if (error instanceof DemoError) {
    process.stderr.write(`${red('demo stopped:')} ${error.message}\n`);
  } else {
    process.stderr.write(`${red('demo crashed:')} ${error.stack ?? error}\n`);
  }
  process.exit(2);
});
