import { html, type SafeHtml } from './html.js';

/**
 * A button that console.js turns into a JSON POST (disabled until the script runs: reading needs no script).
 * The script reads these data attributes; browser tests find buttons by `data-testid` and read the outcome from
 * the `<output>` next to them (`data-testid="<testId>-result"`, `data-state="ok|error"`).
 */
export interface ActionButton {
  label: string;
  /** Same-origin path the POST goes to. */
  url: string;
  /** The JSON body (default `{}`). */
  body?: Record<string, unknown>;
  /** Asked with `confirm()` before sending. */
  confirm?: string;
  /**
   * After a 2xx: `refresh` re-reads the page and swaps `sections`; `follow` does that repeatedly (for work that
   * finishes later: a re-sync, a reconcile run) until a section's `data-latest` changes or a minute passes;
   * `render` swaps `sections` from the POST's own HTML answer (read live).
   */
  after: 'refresh' | 'follow' | 'render';
  /** `data-section` names to swap. */
  sections: string[];
  /** Adds the number typed into the input with this id to the body under `key` (brake override). */
  numberFrom?: { inputId: string; key: string };
  testId: string;
  tone?: 'primary' | 'danger';
}

export function actionButton(action: ActionButton): SafeHtml {
  return html`<span class="action">
<button type="button" class="btn${action.tone ? ` btn-${action.tone}` : ''}" disabled data-action="post" data-url="${action.url}" data-body="${JSON.stringify(action.body ?? {})}"${
    action.confirm ? html` data-confirm="${action.confirm}"` : ''
  } data-after="${action.after}" data-sections="${action.sections.join(' ')}"${
    action.numberFrom
      ? html` data-number-input="${action.numberFrom.inputId}" data-number-key="${action.numberFrom.key}"`
      : ''
  } data-testid="${action.testId}">${action.label}</button>
<output class="action-result" data-testid="${action.testId}-result" aria-live="polite"></output>
</span>`;
}

/** A page part that console.js can swap for a fresh copy (`data-section`); `latest` marks its newest item. */
export function section(
  name: string,
  title: string | SafeHtml,
  body: SafeHtml,
  options: { latest?: string; tools?: SafeHtml } = {},
): SafeHtml {
  return html`<section class="card" id="section-${name}" data-section="${name}" data-testid="section-${name}"${
    options.latest !== undefined ? html` data-latest="${options.latest}"` : ''
  }>
<header class="card-head"><h2>${title}</h2>${options.tools ?? ''}</header>
${body}
</section>`;
}
