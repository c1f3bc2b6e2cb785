import { assetPath } from './assets.js';
import { html, type SafeHtml } from './html.js';
import { CONSOLE_PATHS } from './urls.js';

export type NavItem = 'overview' | 'people' | 'reports';

/** What every page's frame needs to know: whether the people pages exist (an engine reader is wired). */
export interface ConsoleChrome {
  peoplePages: boolean;
}

function nav(chrome: ConsoleChrome, active: NavItem | undefined): SafeHtml {
  const items: Array<[NavItem | 'queues', string, string]> = [];
  if (chrome.peoplePages) {
    items.push(['overview', 'Overview', CONSOLE_PATHS.overview], ['people', 'People', CONSOLE_PATHS.people]);
  }
  items.push(['reports', 'Reports', CONSOLE_PATHS.reports], ['queues', 'Queues', CONSOLE_PATHS.queues]);
  return html`<nav class="nav" data-testid="nav">
  <a class="brand" href="${chrome.peoplePages ? CONSOLE_PATHS.overview : CONSOLE_PATHS.reports}">dirsync</a>
  <ul>${items.map(
    ([key, label, href]) =>
      html`<li><a href="${href}" data-nav="${key}"${key === active ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul>
</nav>`;
}

/** A whole console page: the frame (nav, stylesheet, the one script) around `body`. */
export function renderPage(
  chrome: ConsoleChrome,
  page: { title: string; active?: NavItem; body: SafeHtml },
): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>${page.title} · dirsync</title>
<link rel="stylesheet" href="${assetPath('console.css')}">
<script src="${assetPath('console.js')}" defer></script>
</head>
<body>
${nav(chrome, page.active)}
<main id="main">
<noscript><p class="note">Reading works without JavaScript; the buttons need it.</p></noscript>
<div id="console-status" class="console-status" data-testid="console-status" role="status" aria-live="polite"></div>
${page.body}
</main>
</body>
</html>
`.toString();
}

/** The HTML twin of an `{error: {code, message}}` answer. */
export function renderErrorPage(
  chrome: ConsoleChrome,
  status: number,
  code: string,
  message: string,
): string {
  return renderPage(chrome, {
    title: `Error ${status}`,
    body: html`<section class="error-page" data-testid="error">
  <h1>${status} · ${code}</h1>
  <p>${message}</p>
  <p><a href="${CONSOLE_PATHS.reports}">Reports</a>${
    chrome.peoplePages ? html` · <a href="${CONSOLE_PATHS.overview}">Overview</a>` : ''
  }</p>
</section>`,
  });
}
