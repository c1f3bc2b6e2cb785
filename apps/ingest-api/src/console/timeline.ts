import type { TimelineEntry, TimelineRequest } from '@dirsync/sync';
import { badge, time, toneOf } from './format.js';
import { html, type SafeHtml } from './html.js';
import { reportPath } from './urls.js';

type Entry<K extends TimelineEntry['kind']> = Extract<TimelineEntry, { kind: K }>;

function ids(...pairs: Array<[string, string | undefined]>): SafeHtml {
  const shown = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '');
  return html`${shown.map(([label, value]) => html` <span class="id"><span class="muted">${label}</span> <code>${value}</code></span>`)}`;
}

function requestRow(request: TimelineRequest): SafeHtml {
  return html`<tr data-testid="timeline-request">
<td><code>${request.method}</code></td>
<td class="path"><code>${request.path}</code></td>
<td>${badge(String(request.status), request.status === 'network_error' ? 'bad' : toneOf(request.status))}</td>
<td class="num">${request.durationMs} ms</td>
<td><code>${request.correlationId ?? ''}</code></td>
<td><code>${request.targetCorrelationId ?? ''}</code></td>
</tr>`;
}

function eventEntry(entry: Entry<'event'>): SafeHtml {
  return html`<p><strong>Event received</strong> <code>${entry.type}</code> ${badge(entry.status)}</p>
<p class="detail">occurred ${time(entry.occurredAt)} · arrived ${time(entry.at)}${ids(['id', entry.eventId])}</p>`;
}

function syncEntry(entry: Entry<'sync'>): SafeHtml {
  return html`<p><strong>Sync</strong> ${badge(entry.outcome)}${ids(
    ['correlation', entry.correlationId],
    ['job', entry.jobId],
  )}${entry.reportId ? html` · <a href="${reportPath(entry.reportId)}">report</a>` : ''}</p>
${
  entry.requests.length === 0
    ? html`<p class="detail muted">No request sent.</p>`
    : html`<table class="compact requests"><thead><tr><th>Method</th><th>Path</th><th>Status</th><th class="num">Duration</th><th>dirsync id</th><th>Target id</th></tr></thead>
<tbody>${entry.requests.map(requestRow)}</tbody></table>`
}
${
  entry.discrepancies.length > 0
    ? html`<ul class="discrepancies">${entry.discrepancies.map(
        (d) =>
          html`<li data-testid="timeline-discrepancy">${badge(d.type, 'bad')}${d.field ? html` <code>${d.field}</code>` : ''} ${d.detail}</li>`,
      )}</ul>`
    : ''
}`;
}

function failedEntry(entry: Entry<'failed'>): SafeHtml {
  return html`<p><strong>Failed</strong> <code class="code">${entry.code}</code> ${
    entry.final ? badge('final', 'bad') : badge('will retry', 'warn')
  }${entry.attempts !== undefined ? html` <span class="muted">after ${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'}</span>` : ''}${ids(['job', entry.jobId])}</p>
<p class="detail message">${entry.message}</p>`;
}

function reconcileEntry(entry: Entry<'reconcile'>): SafeHtml {
  return html`<p><strong>Reconcile finding</strong> ${badge(entry.type, 'warn')}${
    entry.field ? html` <code>${entry.field}</code>` : ''
  } ${entry.applied ? badge('applied') : badge('reported', 'info')} · <a href="${reportPath(entry.reportId)}">${entry.reportId}</a></p>`;
}

function resyncEntry(entry: Entry<'resync'>): SafeHtml {
  return html`<p><strong>Re-sync requested</strong> by ${entry.by}${ids(['job', entry.jobId])}</p>`;
}

function entryBody(entry: TimelineEntry): SafeHtml {
  switch (entry.kind) {
    case 'event':
      return eventEntry(entry);
    case 'sync':
      return syncEntry(entry);
    case 'failed':
      return failedEntry(entry);
    case 'reconcile':
      return reconcileEntry(entry);
    case 'resync':
      return resyncEntry(entry);
  }
}

/** The newest entry's time among those a re-sync produces (what `follow` waits to change). */
export function latestOutcomeAt(timeline: TimelineEntry[]): string {
  const at = timeline.filter((e) => e.kind === 'sync' || e.kind === 'failed').map((e) => e.at);
  return String(at.length > 0 ? Math.max(...at) : 0);
}

/** A person's timeline, newest first, as a list of entries (`data-kind`, `data-at` epoch ms). */
export function renderTimeline(timeline: TimelineEntry[]): SafeHtml {
  if (timeline.length === 0)
    return html`<p class="muted" data-testid="timeline-empty">Nothing recorded yet.</p>`;
  return html`<ol class="timeline" data-testid="timeline">${timeline.map(
    (
      entry,
    ) => html`<li class="entry entry-${entry.kind}" data-testid="timeline-entry" data-kind="${entry.kind}" data-at="${entry.at}">
<div class="when">${time(entry.at)}</div>
<div class="what">${entryBody(entry)}</div>
</li>`,
  )}</ol>`;
}
