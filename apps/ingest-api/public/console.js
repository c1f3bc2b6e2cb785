// dirsync operator console: the one script of the console's pages (the CSP allows no inline script).
// Pages are server-rendered and readable without it; this wires the buttons that carry `data-action`:
//   data-url        the same-origin path to POST to
//   data-body       the JSON body
//   data-confirm    asked first, when present
//   data-after      refresh | follow | render (what to do after a 2xx)
//   data-sections   the `data-section` names to swap for fresh copies
//   data-number-input / data-number-key   add the number typed in that input to the body under that key
// Outcomes go to the `<output class="action-result">` beside the button and to `#console-status`.
(() => {
  const FOLLOW_EVERY_MS = 1500;
  const FOLLOW_TIMES = 40;

  function enableButtons() {
    for (const button of document.querySelectorAll('button[data-action]')) button.disabled = false;
  }

  /** The button as the page has it now: a swapped section holds a fresh copy of it. */
  function current(button) {
    if (button.isConnected || !button.dataset.testid) return button;
    return document.querySelector(`button[data-testid="${CSS.escape(button.dataset.testid)}"]`) ?? button;
  }

  function show(button, state, text) {
    const output = current(button).closest('.action')?.querySelector('.action-result');
    if (output) {
      output.dataset.state = state;
      output.textContent = text;
    }
    const status = document.getElementById('console-status');
    if (status) {
      status.dataset.state = state;
      status.textContent = text;
    }
  }

  function bodyOf(button) {
    const body = JSON.parse(button.dataset.body || '{}');
    const inputId = button.dataset.numberInput;
    if (inputId) {
      const text = (document.getElementById(inputId)?.value ?? '').trim();
      if (!/^\d+$/.test(text)) throw new Error('Type the number of deactivations the dry run reported.');
      body[button.dataset.numberKey] = Number(text);
    }
    return body;
  }

  function sectionsOf(button) {
    return (button.dataset.sections || '').split(/\s+/).filter(Boolean);
  }

  function sectionIn(root, name) {
    return root.querySelector(`[data-section="${CSS.escape(name)}"]`);
  }

  function parse(markup) {
    return new DOMParser().parseFromString(markup, 'text/html');
  }

  /** Replaces each named section of this page with its copy in `doc` (markup the server escaped). */
  function swap(doc, names) {
    for (const name of names) {
      const fresh = sectionIn(doc, name);
      const current = sectionIn(document, name);
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    }
    enableButtons();
  }

  async function reload(names) {
    const response = await fetch(window.location.href, {
      headers: { Accept: 'text/html' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(`Reloading the page answered ${response.status}.`);
    const doc = parse(await response.text());
    swap(doc, names);
    return doc;
  }

  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Reloads the sections until the first one with `data-latest` changes (work finished) or time is up. */
  async function follow(names) {
    const watched = names
      .map((name) => sectionIn(document, name))
      .find((s) => s?.dataset.latest !== undefined);
    const baseline = watched?.dataset.latest;
    for (let i = 0; i < FOLLOW_TIMES; i++) {
      if (i > 0) await pause(FOLLOW_EVERY_MS);
      const doc = await reload(names);
      if (!watched) return true;
      const latest = sectionIn(doc, watched.dataset.section)?.dataset.latest;
      if (latest !== undefined && latest !== baseline) return true;
    }
    return false;
  }

  async function failureText(response) {
    const text = await response.text();
    try {
      const { error } = JSON.parse(text);
      if (error?.message) return `${response.status} ${error.code}: ${error.message}`;
    } catch {
      // Not JSON: the status says enough.
    }
    return `${response.status} ${response.statusText}`.trim();
  }

  function describe(answer) {
    if (Array.isArray(answer.retried)) {
      return answer.retried.length === 0
        ? 'Nothing to retry: no failed job left.'
        : `Retried ${answer.retried.length} failed job${answer.retried.length === 1 ? '' : 's'}.`;
    }
    if (answer.jobId) return `Queued as job ${answer.jobId}.`;
    return 'Done.';
  }

  async function send(button, body) {
    const render = button.dataset.after === 'render';
    return fetch(button.dataset.url, {
      method: 'POST',
      mode: 'same-origin',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: render ? 'text/html' : 'application/json',
        'X-Requested-With': 'dirsync-console',
      },
      body: JSON.stringify(body),
    });
  }

  async function after(button, response) {
    const names = sectionsOf(button);
    if (button.dataset.after === 'render') {
      swap(parse(await response.text()), names);
      show(button, 'ok', 'Read live just now.');
      return;
    }
    const text = describe(await response.json().catch(() => ({})));
    show(button, 'ok', text);
    if (button.dataset.after === 'follow') {
      const finished = await follow(names);
      show(button, 'ok', finished ? `${text} Updated.` : `${text} No outcome yet: reload later.`);
    } else if (names.length > 0) {
      await reload(names);
    }
  }

  async function run(button) {
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    let body;
    try {
      body = bodyOf(button);
    } catch (error) {
      show(button, 'error', error.message);
      return;
    }
    button.disabled = true;
    show(button, 'busy', 'Sending…');
    try {
      const response = await send(button, body);
      if (!response.ok) {
        show(button, 'error', await failureText(response));
        return;
      }
      await after(button, response);
    } catch (error) {
      show(button, 'error', error.message);
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (!button || button.disabled) return;
    event.preventDefault();
    run(button);
  });

  enableButtons();
  document.documentElement.dataset.console = 'ready';
})();
