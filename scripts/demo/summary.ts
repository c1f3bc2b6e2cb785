import type { DirsyncApi } from './api-client.js';
import type { SyncStatus } from './api-types.js';
import { type DemoFacts, writesOf } from './checks.js';
import { bold, dim, red, say } from './paint.js';

const OUTCOMES = ['created', 'updated', 'unchanged', 'deactivated', 'reactivated', 'skipped', 'failed'];

export interface SummaryFacts extends DemoFacts {
  tag: string;
  answers: DemoFacts['answers'] & {
    promotion: { json: { status: string } };
    older: { json: { status: string } };
  };
  initial: SyncStatus;
  failedJobsUrl: string;
}

/** Counts per outcome, with who they were. */
function printOutcomes({ tag, outcomes: o, name }: SummaryFacts): void {
  say();
  say(
    bold(
      `Sync summary · run ${tag} · ${o.reportCount} reports, ${o.results.length} results for this run's people`,
    ),
  );
  const notes: Record<string, string> = {
    created: `${o.people('created').size} people, each created once`,
    updated: `${o.people('updated', 2).size} managers filled in once the leads were synced · ${o.people('updated', 3).size} HR changes`,
    deactivated: o.names(o.people('deactivated')),
    reactivated: o.names(o.people('reactivated')),
    skipped: [...o.people('skipped')].map((id) => `${name(id)} (no work e-mail: out of scope)`).join(', '),
    failed: o.names(o.people('failed')),
  };
  for (const outcome of OUTCOMES) {
    const n = o.of(outcome).length;
    const figure = String(n).padStart(4);
    const shown = outcome === 'failed' && n > 0 ? red(figure) : n > 0 ? figure : dim(figure);
    const note = notes[outcome];
    say(`  ${outcome.padEnd(12)}${shown}${note ? `   ${dim(note)}` : ''}`);
  }
}

async function printFailures(api: DirsyncApi, facts: SummaryFacts): Promise<void> {
  const { w, outcomes: o, name } = facts;
  say();
  say(bold('Failures'));
  if (o.discrepancies.length === 0 && o.of('failed').length === 0) say('  none');
  for (const d of o.discrepancies) {
    const department = w.people.get(d.externalId)?.departmentCode ?? 'no department';
    say(`  ${red('✗')} ${name(d.externalId)} (${d.externalId}, ${department}): ${d.type}: ${d.detail}`);
  }
  if (o.of('failed').length > 0) {
    const failedJobs = (await api.requireStatus()).queues.sync.failed - facts.initial.queues.sync.failed;
    say(
      dim(
        `    Nothing was written for them. Failed jobs in the dashboard: +${failedJobs}, each retryable there`,
      ),
    );
    say(dim(`    once HR or the policy is fixed: ${facts.failedJobsUrl}`));
  }
}

function printDuplicate({ w, outcomes: o, name, answers }: SummaryFacts): void {
  const promotionResults = o.withEvent(w.promotion.id);
  const again = answers.promotionAgain.json;
  say();
  say(bold('Duplicate delivery'));
  say(`  ${name(w.promoted.externalId)}'s promotion (event ${w.promotion.id}) was delivered twice.`);
  say(
    `  First answer: ${answers.promotion.json.status}; the retry: ${again.status} ` +
      `(${again.accepted} accepted, ${again.duplicates} duplicate), nothing enqueued again.`,
  );
  say(
    `  Sync results carrying that event id: ${promotionResults.length}` +
      ` (${promotionResults.map((r) => r.outcome).join(', ') || 'none'}).`,
  );
}

function printOutOfOrder({ w, outcomes: o, name, answers, previews, staleDelta }: SummaryFacts): void {
  const olderResults = o.withEvent(w.older.id);
  const clock = (iso: string | undefined) => iso?.slice(11, 19) ?? '?';
  say();
  say(bold('Out-of-order event'));
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
      `  Preview of the newer record: ${previews.newer.outcome}, ${writesOf(previews.newer).length} writes needed,` +
        ` so Genesys holds "${w.newerTitle}".`,
    );
    say(
      `  Preview of the late one: ${previews.older?.stale ? 'stale, it would change nothing' : JSON.stringify(previews.older)}.`,
    );
  } else {
    say(dim('  (preview unavailable: the API has no target credentials)'));
  }
}

/** What the reports say about the run: outcomes, failures, the duplicate delivery and the late event. */
export async function printSummary(api: DirsyncApi, facts: SummaryFacts): Promise<void> {
  printOutcomes(facts);
  await printFailures(api, facts);
  printDuplicate(facts);
  printOutOfOrder(facts);
}
