import { type Discrepancy, DRIFT_DISCREPANCY_TYPES, OUTCOMES, type Report } from '@dirsync/reports';
import { section } from './actions.js';
import { badge, formatValue, time, truncate } from './format.js';
import { html, type SafeHtml } from './html.js';
import { type ConsoleChrome, renderPage } from './layout.js';
import { reconcilePanel } from './reports-page.js';
import { personPath } from './urls.js';

/** Rows shown per table; the JSON twin has them all. */
const MAX_ROWS = 1000;

function personLink(externalId: string): SafeHtml {
  return html`<a href="${personPath(externalId)}">${externalId}</a>`;
}

function value(v: unknown): SafeHtml | '' {
  return v === undefined ? '' : html`<code>${truncate(formatValue(v), 200)}</code>`;
}

function discrepancyRow(d: Discrepancy, withType: boolean): SafeHtml {
  return html`<tr data-testid="discrepancy" data-type="${d.type}" data-external-id="${d.externalId}">
<td>${personLink(d.externalId)}</td>
${withType ? html`<td>${badge(d.type, 'bad')}</td>` : ''}
<td>${d.field ? html`<code>${d.field}</code>` : ''}${d.hrField ? html` <span class="muted">← ${d.hrField}</span>` : ''}</td>
<td>${value(d.expected)}</td>
<td>${value(d.actual)}</td>
<td>${d.detail}</td>
<td><code>${d.correlationId}</code>${d.targetCorrelationId ? html`<br><code>${d.targetCorrelationId}</code>` : ''}</td>
</tr>`;
}

function discrepancyTable(rows: Discrepancy[], withType: boolean, testId: string): SafeHtml {
  const shown = rows.slice(0, MAX_ROWS);
  return html`<table class="compact" data-testid="${testId}">
<thead><tr><th>Person</th>${withType ? html`<th>Type</th>` : ''}<th>Field</th><th>Expected</th><th>Actual</th><th>Detail</th><th>Correlation ids</th></tr></thead>
<tbody>${shown.map((d) => discrepancyRow(d, withType))}</tbody></table>
${rows.length > shown.length ? html`<p class="muted">First ${shown.length} of ${rows.length}; the JSON answer has them all.</p>` : ''}`;
}

/** Reconcile reports: one table per type, drift types first, each row linking to the person. */
function byType(discrepancies: Discrepancy[]): SafeHtml {
  const groups = new Map<string, Discrepancy[]>();
  for (const type of DRIFT_DISCREPANCY_TYPES) groups.set(type, []);
  for (const d of discrepancies) groups.set(d.type, [...(groups.get(d.type) ?? []), d]);
  const filled = [...groups].filter(([, rows]) => rows.length > 0);
  if (filled.length === 0) return html`<p class="muted">No drift: HR and Genesys agree.</p>`;
  return html`${filled.map(
    ([type, rows]) => html`<div class="drift-group" data-testid="drift-group" data-type="${type}">
<h3>${badge(type, 'warn')} <span class="count">${rows.length}</span></h3>
${discrepancyTable(rows, false, `drift-${type}`)}
</div>`,
  )}`;
}

function countsTable(report: Report): SafeHtml {
  return html`<table class="compact counts" data-testid="report-counts"><thead><tr>${OUTCOMES.map(
    (o) => html`<th class="num">${o}</th>`,
  )}</tr></thead><tbody><tr>${OUTCOMES.map(
    (o) =>
      html`<td class="num${(report.counts[o] ?? 0) === 0 ? ' zero' : ''}" data-outcome="${o}">${report.counts[o] ?? 0}</td>`,
  )}</tr></tbody></table>${
    report.summary
      ? html`<table class="compact" data-testid="report-summary"><tbody>${Object.entries(report.summary).map(
          ([key, count]) => html`<tr><th scope="row">${key}</th><td class="num">${count}</td></tr>`,
        )}</tbody></table>`
      : ''
  }`;
}

function brakePart(report: Report): SafeHtml | '' {
  const brake = report.brake;
  if (!brake) return '';
  return html`<p class="banner ${brake.held ? 'tone-bad' : 'tone-good'}" data-testid="brake" data-held="${brake.held ? 'true' : 'false'}">
<strong>Deletion brake ${brake.held ? 'held' : 'not held'}${brake.overridden ? ' (overridden)' : ''}</strong>:
would deactivate <strong data-testid="brake-would-deactivate">${brake.wouldDeactivate}</strong> of ${brake.activeInTarget} active
(limit ${brake.maxPercent}%${brake.maxCount !== undefined ? html`, at most ${brake.maxCount}` : ''}). ${brake.detail}</p>`;
}

function peoplePart(report: Report): SafeHtml {
  const shown = report.people.slice(0, MAX_ROWS);
  return html`<details class="people"><summary>${report.people.length} people by outcome</summary>
<table class="compact"><thead><tr><th>Person</th><th>Outcome</th><th class="num">Requests</th><th>Correlation ids</th></tr></thead>
<tbody>${shown.map(
    (p) =>
      html`<tr><td>${personLink(p.externalId)}</td><td>${badge(p.outcome)}</td><td class="num">${p.requests ?? ''}</td><td><code>${p.correlationId ?? ''}</code> <code>${p.targetCorrelationId ?? ''}</code></td></tr>`,
  )}</tbody></table></details>`;
}

/** `GET /admin/reports/:id` as HTML. */
export function renderReport(chrome: ConsoleChrome, report: Report): string {
  const reconcile = report.kind === 'reconcile';
  return renderPage(chrome, {
    title: `Report ${report.id}`,
    active: 'reports',
    body: html`<h1 data-testid="report-title">Report <code>${report.id}</code></h1>
<p class="meta">${badge(report.kind, reconcile ? 'info' : 'quiet')}${
      reconcile ? html` ${badge(report.dryRun ? 'dry run' : 'applied', report.dryRun ? 'info' : 'good')}` : ''
    } generated ${time(report.generatedAt)}${report.jobId ? html` · job <code>${report.jobId}</code>` : ''}${
      report.origin ? html` · origin ${report.origin}` : ''
    }</p>
${brakePart(report)}
${section('counts', 'Counts', countsTable(report))}
${section(
  'discrepancies',
  html`Discrepancies <span class="count">${report.discrepancies.length}</span>`,
  reconcile
    ? byType(report.discrepancies)
    : report.discrepancies.length === 0
      ? html`<p class="muted">None.</p>`
      : discrepancyTable(report.discrepancies, true, 'discrepancies'),
)}
${report.people.length > 0 ? section('people', 'People', peoplePart(report)) : ''}
${reconcile ? reconcilePanel({ wouldDeactivate: report.brake?.wouldDeactivate, sections: [] }) : ''}`,
  });
}
