import type { PersonView } from '@dirsync/sync';
import { actionButton, section } from './actions.js';
import { badge, flattenForTable, formatValue, time, truncate } from './format.js';
import { html, type SafeHtml } from './html.js';
import { type ConsoleChrome, renderPage } from './layout.js';
import { latestOutcomeAt, renderTimeline } from './timeline.js';
import { CONSOLE_PATHS, personPath, withQuery } from './urls.js';

type PlannedRequest = NonNullable<PersonView['pending']>['requests'][number];

function fieldTable(rows: Array<[string, SafeHtml | string]>, testId: string): SafeHtml {
  return html`<table class="fields" data-testid="${testId}"><tbody>${rows.map(
    ([name, value]) => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`,
  )}</tbody></table>`;
}

function hrPart(hr: PersonView['hr']): SafeHtml {
  if (!hr) return section('hr', 'HR state', html`<p class="muted">HR never sent this person.</p>`);
  const meta: Array<[string, SafeHtml | string]> = [
    ['event', hr.event],
    ['occurredAt', time(hr.occurredAt)],
    ['receivedAt', time(hr.receivedAt)],
    ['active', hr.active ? 'yes' : badge('no', 'warn')],
    [
      'revision',
      html`${hr.rev} <span class="muted">(applied ${hr.appliedRev}, failed ${hr.failedRev})</span>`,
    ],
  ];
  return section(
    'hr',
    'HR state',
    html`${fieldTable(meta, 'hr-meta')}
<h3>Fields the mapping reads</h3>
${fieldTable(flattenForTable(hr.data), 'hr-data')}`,
  );
}

function targetPart(externalId: string, target: PersonView['target']): SafeHtml {
  const readLive = actionButton({
    label: 'Read live',
    url: personPath(externalId, 'read-live'),
    after: 'render',
    sections: ['target'],
    testId: 'read-live',
  });
  if (!target) {
    return section(
      'target',
      'Genesys',
      html`<p class="muted">Not in the target as far as dirsync knows.</p>`,
      {
        tools: readLive,
      },
    );
  }
  const meta: Array<[string, SafeHtml | string]> = [
    ['source', html`<span data-testid="target-source">${badge(target.source)}</span>`],
    ['scimId', html`<code>${target.scimId}</code>`],
    ['version', target.version ?? ''],
    ['syncedAt', time(target.syncedAt)],
  ];
  return section(
    'target',
    html`Genesys <span class="muted small">(${target.source === 'live' ? 'read just now' : 'from the cache'})</span>`,
    html`${fieldTable(meta, 'target-meta')}
${target.user ? fieldTable(flattenForTable(target.user, ['schemas']), 'target-user') : html`<p class="muted">No copy of the user kept.</p>`}`,
    { tools: readLive },
  );
}

/** The body of a planned request in a few lines: PATCH operations one each, other bodies by attribute. */
function summarizeBody(body: unknown): string[] {
  if (body === undefined) return [];
  if (typeof body !== 'object' || body === null) return [truncate(formatValue(body))];
  const operations = (body as { Operations?: unknown }).Operations;
  if (Array.isArray(operations)) {
    return operations.map((operation) => {
      const { op, path, value } = operation as { op?: unknown; path?: unknown; value?: unknown };
      return truncate(
        `${formatValue(op)} ${path === undefined ? '' : `${formatValue(path)} `}${formatValue(value)}`,
        120,
      );
    });
  }
  return Object.entries(body)
    .filter(([key]) => key !== 'schemas')
    .map(([key, value]) => truncate(`${key}: ${formatValue(value)}`, 120));
}

function plannedRow(request: PlannedRequest): SafeHtml {
  const lines = summarizeBody(request.body);
  return html`<tr data-testid="pending-request">
<td><code>${request.method}</code></td>
<td class="path"><code>${request.path}</code></td>
<td>${request.sent ? badge('read', 'quiet') : badge('write', 'info')}</td>
<td>${request.ifMatch ? html`<code>${request.ifMatch}</code>` : ''}</td>
<td>${
    lines.length > 0
      ? html`<ul class="body-summary">${lines.map((line) => html`<li>${line}</li>`)}</ul>
<details><summary>JSON</summary><pre>${JSON.stringify(request.body, null, 2)}</pre></details>`
      : ''
  }</td>
</tr>`;
}

function pendingPart(pending: PersonView['pending']): SafeHtml {
  if (!pending)
    return section('pending', 'Next sync', html`<p class="muted">No preview (no HR state or no target).</p>`);
  const writes = pending.requests.filter((r) => !r.sent).length;
  return section(
    'pending',
    'Next sync would send',
    html`<p data-testid="pending-outcome">${badge(pending.outcome)} ${writes === 0 ? 'no write: in step' : `${writes} write${writes === 1 ? '' : 's'}`}${
      pending.detail ? html` · ${pending.detail}` : ''
    }</p>
${
  pending.requests.length > 0
    ? html`<table class="compact requests"><thead><tr><th>Method</th><th>Path</th><th>Kind</th><th>If-Match</th><th>Body</th></tr></thead>
<tbody>${pending.requests.map(plannedRow)}</tbody></table>`
    : ''
}`,
  );
}

function scheduledPart(scheduled: PersonView['scheduled']): SafeHtml {
  return section(
    'scheduled',
    'Scheduled changes',
    scheduled.length === 0
      ? html`<p class="muted">None pending.</p>`
      : html`<table class="compact" data-testid="scheduled"><thead><tr><th>Due</th><th>Effective</th><th>Kind</th><th>Fields</th></tr></thead>
<tbody>${scheduled.map(
          (change) =>
            html`<tr><td>${time(change.dueAt)}</td><td>${change.effectiveAt}</td><td>${change.kind}</td><td>${change.fields.join(', ')}</td></tr>`,
        )}</tbody></table>`,
  );
}

function failedJobsPart(externalId: string, failedJobs: PersonView['failedJobs']): SafeHtml {
  if (failedJobs.length === 0) return section('failed-jobs', 'Failed jobs', html`<p class="muted">None.</p>`);
  return section(
    'failed-jobs',
    'Failed jobs',
    html`<table class="compact" data-testid="failed-jobs"><thead><tr><th>Job</th><th>Code</th><th>Message</th><th class="num">Attempts</th><th>Failed</th></tr></thead>
<tbody>${failedJobs.map(
      (job) =>
        html`<tr data-testid="failed-job"><td><code>${job.jobId}</code></td><td><code class="code">${job.code}</code></td><td>${job.message}</td><td class="num">${job.attempts}</td><td>${time(job.failedAt)}</td></tr>`,
    )}</tbody></table>`,
    {
      tools: actionButton({
        label: 'Retry failed job',
        url: personPath(externalId, 'retry'),
        after: 'follow',
        sections: ['failed-jobs', 'timeline', 'hr', 'pending'],
        testId: 'retry',
        tone: 'primary',
      }),
    },
  );
}

/** The person's name as HR or the target has it ('' when neither says). */
function nameOf(view: PersonView): string {
  const data = view.hr?.data ?? {};
  if (typeof data.displayName === 'string' && data.displayName) return data.displayName;
  const parts = [data.firstName, data.lastName].filter((p): p is string => typeof p === 'string' && p !== '');
  if (parts.length > 0) return parts.join(' ');
  return view.target?.user?.displayName ?? '';
}

/** `GET /admin/people/:externalId` as HTML. */
export function renderPerson(chrome: ConsoleChrome, view: PersonView): string {
  const name = nameOf(view);
  return renderPage(chrome, {
    title: name ? `${name} (${view.externalId})` : view.externalId,
    active: 'people',
    body: html`<div class="page-head">
<h1 data-testid="person-title"><code>${view.externalId}</code>${name ? html` <span class="name">${name}</span>` : ''}</h1>
<div class="tools">${actionButton({
      label: 'Re-sync now',
      url: personPath(view.externalId, 'resync'),
      after: 'follow',
      sections: ['timeline', 'failed-jobs', 'hr', 'pending', 'target'],
      testId: 'resync',
      tone: 'primary',
    })}
<a class="btn" href="${withQuery(CONSOLE_PATHS.reports, { externalId: view.externalId })}">Reports naming this person</a></div>
</div>
<div class="grid two">
${hrPart(view.hr)}
${targetPart(view.externalId, view.target)}
</div>
${pendingPart(view.pending)}
${failedJobsPart(view.externalId, view.failedJobs)}
${scheduledPart(view.scheduled)}
${section('timeline', 'Timeline', renderTimeline(view.timeline), { latest: latestOutcomeAt(view.timeline) })}`,
  });
}
