import type { Counts } from '@dirsync/reports';
import { formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';

/** Stacking order, bottom up; colours are the `o-<outcome>` classes of console.css. */
const OUTCOME_ORDER = [
  'created',
  'updated',
  'reactivated',
  'deactivated',
  'unchanged',
  'skipped',
  'failed',
] as const satisfies ReadonlyArray<keyof Counts>;

const WIDTH = 1000;
const HEIGHT = 120;
const AXIS = 16;

function total(counts: Partial<Counts>): number {
  return OUTCOME_ORDER.reduce((sum, outcome) => sum + (counts[outcome] ?? 0), 0);
}

function describe(at: string, counts: Partial<Counts>): string {
  const parts = OUTCOME_ORDER.filter((o) => (counts[o] ?? 0) > 0).map((o) => `${o} ${counts[o]}`);
  return `${formatTime(at)}: ${parts.length > 0 ? parts.join(', ') : 'nothing'}`;
}

/** One bucket's stacked bar, with its numbers as a tooltip (`<title>`). */
function bar(
  bucket: { at: string; counts: Partial<Counts> },
  x: number,
  width: number,
  scale: number,
): SafeHtml {
  let y = HEIGHT - AXIS;
  const rects: SafeHtml[] = [];
  for (const outcome of OUTCOME_ORDER) {
    const count = bucket.counts[outcome] ?? 0;
    if (count <= 0) continue;
    const h = Math.max(count * scale, 1);
    y -= h;
    rects.push(
      html`<rect class="o-${outcome}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${h.toFixed(1)}"></rect>`,
    );
  }
  return html`<g><title>${describe(bucket.at, bucket.counts)}</title><rect class="hit" x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="${HEIGHT - AXIS}"></rect>${rects}</g>`;
}

/**
 * Outcomes per bucket as a stacked bar chart in inline SVG (no script, no library), with a legend of the period's
 * totals. `label` names the period for screen readers and the heading.
 */
export function throughputChart(
  label: string,
  buckets: Array<{ at: string; counts: Partial<Counts> }>,
  testId: string,
): SafeHtml {
  const peak = Math.max(0, ...buckets.map((b) => total(b.counts)));
  const scale = (HEIGHT - AXIS - 4) / Math.max(peak, 1);
  const slot = WIDTH / Math.max(buckets.length, 1);
  const width = Math.max(slot - 1, 1);
  const sums = new Map<string, number>();
  for (const bucket of buckets) {
    for (const outcome of OUTCOME_ORDER)
      sums.set(outcome, (sums.get(outcome) ?? 0) + (bucket.counts[outcome] ?? 0));
  }
  const first = buckets[0]?.at;
  const last = buckets.at(-1)?.at;
  const all = [...sums.values()].reduce((a, b) => a + b, 0);
  return html`<figure class="chart" data-testid="${testId}">
<figcaption>${label} <span class="muted">(${all} people; tallest bar ${peak})</span></figcaption>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}: ${all} people">
${buckets.map((bucket, i) => bar(bucket, i * slot, width, scale))}
<line class="axis" x1="0" y1="${HEIGHT - AXIS}" x2="${WIDTH}" y2="${HEIGHT - AXIS}"></line>
<text class="tick" x="0" y="${HEIGHT - 3}">${first ? formatTime(first) : ''}</text>
<text class="tick" x="${WIDTH}" y="${HEIGHT - 3}" text-anchor="end">${last ? formatTime(last) : ''}</text>
</svg>
<ul class="legend">${OUTCOME_ORDER.map(
    (outcome) =>
      html`<li><span class="swatch o-${outcome}"></span>${outcome} <strong>${sums.get(outcome) ?? 0}</strong></li>`,
  )}</ul>
</figure>`;
}
