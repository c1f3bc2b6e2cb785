import { OUTCOMES, type ReportSummary } from '@dirsync/reports';
import { actionButton, section } from './actions.js';
import { badge, time } from './format.js';
import { html, type SafeHtml } from './html.js';
import { type ConsoleChrome, renderPage } from './layout.js';
import { DISCREPANCY_TYPES, FILTER_SCAN_LIMIT, type ReportQueryText } from './report-filters.js';
import { CONSOLE_PATHS, reportPath, withQuery } from './urls.js';

function option(value: string, label: string, selected: string): SafeHtml {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
}

function filterForm(text: ReportQueryText): SafeHtml {
  return html`<form class="filters" method="get" action="${CONSOLE_PATHS.reports}" data-testid="report-filters">
<label>Kind <select name="kind">${option('', 'any', text.kind)}${option('sync', 'sync', text.kind)}${option('reconcile', 'reconcile', text.kind)}</select></label>
<label>Since (UTC) <input name="since" type="text" inputmode="numeric" placeholder="2026-11-28T09:00" value="${text.since}" size="17"></label>
<label>Before (UTC) <input name="before" type="text" inputmode="numeric" placeholder="2026-11-28T18:00" value="${text.before}" size="17"></label>
<label>Discrepancies <select name="hasDiscrepancies">${option('', 'any', text.hasDiscrepancies)}${option('true', 'some', text.hasDiscrepancies)}${option('false', 'none', text.hasDiscrepancies)}</select></label>
<label>Type <select name="type">${option('', 'any', text.type)}${DISCREPANCY_TYPES.map((type) => option(type, type, text.type))}</select></label>
<label>Person <input name="externalId" type="text" placeholder="externalId" value="${text.externalId}" size="14"></label>
<button type="submit" class="btn btn-primary">Filter</button>
<a class="btn" href="${CONSOLE_PATHS.reports}">Clear</a>
</form>`;
}

/** Dry run, apply, and apply past the deletion brake (the operator types the dry run's deactivation count). */
export function reconcilePanel(options: { wouldDeactivate?: number; sections: string[] }): SafeHtml {
  const { sections } = options;
  const after = sections.length > 0 ? 'follow' : 'refresh';
  return section(
    'reconcile',
    'Reconcile against the HR snapshot',
    html`<div class="tools wrap">
${actionButton({ label: 'Dry run', url: CONSOLE_PATHS.reconcile, body: {}, after, sections, testId: 'reconcile-dry-run' })}
${actionButton({
  label: 'Apply',
  url: CONSOLE_PATHS.reconcile,
  body: { apply: true },
  confirm: 'Apply the reconcile run: create, update and deactivate people in Genesys as HR says?',
  after,
  sections,
  testId: 'reconcile-apply',
  tone: 'primary',
})}
</div>
<div class="tools wrap override">
<label class="override-label" for="override-count">Deactivations the dry run reported${
      options.wouldDeactivate !== undefined
        ? html` <span class="muted">(this one: ${options.wouldDeactivate})</span>`
        : ''
    }</label>
<input id="override-count" type="number" min="0" step="1" inputmode="numeric" data-testid="override-count">
${actionButton({
  label: 'Apply, overriding the brake',
  url: CONSOLE_PATHS.reconcile,
  body: { apply: true, overrideBrake: true },
  numberFrom: { inputId: 'override-count', key: 'expectedDeactivations' },
  confirm: 'Apply past the deletion brake? Every person the run reports as gone from HR will be deactivated.',
  after,
  sections,
  testId: 'reconcile-override',
  tone: 'danger',
})}
</div>
<p class="muted small">The run is queued; its report appears ${
      sections.includes('reports')
        ? 'in the list below'
        : html`under <a href="${CONSOLE_PATHS.reports}">Reports</a>`
    } when it finishes. The override is refused (409) unless the number matches what the run would deactivate.</p>`,
  );
}

function summaryRow(report: ReportSummary): SafeHtml {
  return html`<tr data-testid="report-row" data-report-id="${report.id}">
<td><a href="${reportPath(report.id)}">${report.id}</a></td>
<td>${time(report.generatedAt)}</td>
<td>${badge(report.kind, report.kind === 'reconcile' ? 'info' : 'quiet')}</td>
${OUTCOMES.map((outcome) => {
  const count = report.counts[outcome] ?? 0;
  return html`<td class="num${count === 0 ? ' zero' : outcome === 'failed' ? ' tone-bad' : ''}">${count}</td>`;
})}
<td class="num${report.discrepancies > 0 ? ' tone-warn' : ' zero'}">${report.discrepancies}</td>
<td class="muted">${report.origin ?? ''}</td>
</tr>`;
}

function narrowed(text: ReportQueryText): boolean {
  return text.hasDiscrepancies !== '' || text.type !== '' || text.externalId !== '';
}

/** `GET /admin/reports` as HTML: the filter form, the reconcile buttons, the list with an "older" link. */
export function renderReportList(
  chrome: ConsoleChrome,
  view: { reports: ReportSummary[] },
  text: ReportQueryText,
  limit: number,
): string {
  const last = view.reports.at(-1);
  // A full page may have more behind it; a short one has not.
  const older =
    last && view.reports.length >= limit
      ? withQuery(CONSOLE_PATHS.reports, { ...text, before: last.generatedAt })
      : undefined;
  const list =
    view.reports.length === 0
      ? html`<p class="muted" data-testid="reports-empty">No report matches.</p>`
      : html`<table data-testid="reports">
<thead><tr><th>Report</th><th>Generated</th><th>Kind</th>${OUTCOMES.map((o) => html`<th class="num">${o}</th>`)}<th class="num">discrepancies</th><th>Origin</th></tr></thead>
<tbody>${view.reports.map(summaryRow)}</tbody></table>
${older ? html`<p><a href="${older}" data-testid="reports-older">Older reports →</a></p>` : ''}`;
  return renderPage(chrome, {
    title: 'Reports',
    active: 'reports',
    body: html`<h1>Reports</h1>
${filterForm(text)}
${narrowed(text) ? html`<p class="muted small">Filters by content look through the ${FILTER_SCAN_LIMIT.toLocaleString('en')} newest reports in the time range.</p>` : ''}
${reconcilePanel({ sections: ['reports'] })}
${section('reports', 'Latest first', list, { latest: view.reports[0]?.id ?? '' })}`,
  });
}
