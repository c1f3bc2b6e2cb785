import type { OverviewView } from '@dirsync/sync';
import { section } from './actions.js';
import { throughputChart } from './chart.js';
import { badge, time } from './format.js';
import { html, type SafeHtml } from './html.js';
import { type ConsoleChrome, renderPage } from './layout.js';
import { CONSOLE_PATHS, FAILED_SYNC_JOBS_PATH, reportPath, withQuery } from './urls.js';

function stat(label: string, value: number | string, testId: string, tone?: string): SafeHtml {
  return html`<div class="stat${tone ? ` tone-${tone}` : ''}" data-testid="${testId}"><span class="stat-value">${value}</span><span class="stat-label">${label}</span></div>`;
}

function quarantinePart(quarantine: OverviewView['quarantine']): SafeHtml {
  if (!quarantine.active) {
    return html`<p class="banner tone-good" data-testid="quarantine" data-state="clear">Sync running: not quarantined.</p>`;
  }
  return html`<p class="banner tone-bad" data-testid="quarantine" data-state="active"><strong>Sync quarantined</strong>${
    quarantine.since ? html` since ${time(quarantine.since)}` : ''
  }: ${quarantine.cause ?? 'cause not recorded'}. Queues are paused until a probe succeeds.</p>`;
}

function backlogPart(backlog: OverviewView['backlog'], failedPeople: number): SafeHtml {
  return section(
    'backlog',
    'Backlog',
    html`<div class="stats">
${stat('waiting', backlog.waiting, 'backlog-waiting')}
${stat('active', backlog.active, 'backlog-active')}
${stat('delayed', backlog.delayed, 'backlog-delayed')}
${backlog.prioritized !== undefined ? stat('prioritized', backlog.prioritized, 'backlog-prioritized') : ''}
${stat('failed jobs', backlog.failed, 'backlog-failed', backlog.failed > 0 ? 'bad' : undefined)}
</div>
<p data-testid="failed-people"><a href="${FAILED_SYNC_JOBS_PATH}">${failedPeople} ${
      failedPeople === 1 ? 'person' : 'people'
    } failed for good</a> <span class="muted">(failed sync jobs by externalId; each links to the person)</span> ·
<a href="${withQuery(CONSOLE_PATHS.reports, { hasDiscrepancies: 'true' })}">reports with discrepancies</a></p>`,
  );
}

function budgetPart(budget: OverviewView['budget']): SafeHtml {
  const share = budget.limitPerMinute > 0 ? budget.usedLastMinute / budget.limitPerMinute : 0;
  const tone = share >= 0.9 ? 'bad' : share >= 0.6 ? 'warn' : 'good';
  return section(
    'budget',
    'Request budget',
    html`<p class="budget tone-${tone}" data-testid="budget"><strong>${budget.usedLastMinute}</strong> of ${budget.limitPerMinute} SCIM requests in the last 60 s
<meter min="0" max="${budget.limitPerMinute}" low="${Math.round(budget.limitPerMinute * 0.6)}" high="${Math.round(budget.limitPerMinute * 0.9)}" optimum="0" value="${budget.usedLastMinute}">${Math.round(share * 100)}%</meter></p>
<div class="stats">${stat('429s in the last hour', budget.rateLimited429LastHour, 'budget-429', budget.rateLimited429LastHour > 0 ? 'warn' : undefined)}</div>`,
  );
}

function reconcilePart(last: OverviewView['lastReconcile']): SafeHtml {
  if (!last) {
    return section(
      'last-reconcile',
      'Last reconcile',
      html`<p class="muted" data-testid="last-reconcile">No reconcile run kept. <a href="${CONSOLE_PATHS.reports}">Start one from Reports.</a></p>`,
    );
  }
  const drift = Object.entries(last.drift);
  return section(
    'last-reconcile',
    'Last reconcile',
    html`<p data-testid="last-reconcile"><a href="${reportPath(last.reportId)}">${last.reportId}</a> · ${time(last.generatedAt)} · ${badge(
      last.dryRun ? 'dry run' : 'applied',
      last.dryRun ? 'info' : 'good',
    )}${
      last.brake?.held
        ? html` ${badge('brake held', 'bad')} would deactivate <strong>${last.brake.wouldDeactivate}</strong>`
        : ''
    }</p>
${
  drift.length === 0
    ? html`<p class="muted">No drift.</p>`
    : html`<table class="compact"><thead><tr><th>Drift</th><th class="num">People</th></tr></thead><tbody>${drift.map(
        ([type, count]) =>
          html`<tr><td><a href="${withQuery(CONSOLE_PATHS.reports, { kind: 'reconcile', type })}">${type}</a></td><td class="num">${count}</td></tr>`,
      )}</tbody></table>`
}`,
  );
}

/** `GET /admin` as HTML. */
export function renderOverview(chrome: ConsoleChrome, view: OverviewView): string {
  return renderPage(chrome, {
    title: 'Overview',
    active: 'overview',
    body: html`<h1>Overview <span class="muted small">as of ${time(view.generatedAt)}</span></h1>
${quarantinePart(view.quarantine)}
<div class="grid">
${backlogPart(view.backlog, view.failedPeople)}
${budgetPart(view.budget)}
${reconcilePart(view.lastReconcile)}
</div>
${section(
  'throughput',
  'Throughput',
  html`${throughputChart('Last hour, by minute', view.throughput.hour, 'chart-hour')}
${throughputChart('Last day, by hour', view.throughput.day, 'chart-day')}`,
)}`,
  });
}
