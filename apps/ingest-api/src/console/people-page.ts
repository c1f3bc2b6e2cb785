import type { PeopleSearchView } from '@dirsync/sync';
import { badge } from './format.js';
import { html } from './html.js';
import { type ConsoleChrome, renderPage } from './layout.js';
import { CONSOLE_PATHS, personPath } from './urls.js';

function results(view: PeopleSearchView) {
  if (view.q === '') {
    return html`<p class="muted" data-testid="search-hint">Search by externalId (or its start), email or user name, or any part of a name.</p>`;
  }
  if (view.results.length === 0) {
    return html`<p class="muted" data-testid="search-empty">Nobody matches “${view.q}”.</p>`;
  }
  return html`<section class="card"><table data-testid="search-results">
<thead><tr><th>externalId</th><th>Name</th><th>User name</th><th>Active</th><th>State</th></tr></thead>
<tbody>${view.results.map(
    (person) => html`<tr data-testid="search-result" data-external-id="${person.externalId}">
<td><a href="${personPath(person.externalId)}">${person.externalId}</a></td>
<td>${person.displayName ?? ''}</td>
<td>${person.userName ?? ''}</td>
<td>${person.active === undefined ? '' : person.active ? 'yes' : badge('no', 'warn')}</td>
<td>${badge(person.state)}</td>
</tr>`,
  )}</tbody>
</table></section>
${view.truncated ? html`<p class="muted" data-testid="search-truncated">More people match: narrow the search.</p>` : ''}`;
}

/** `GET /admin/people?q=` as HTML: a GET form (works without script) and the matches. */
export function renderPeopleSearch(chrome: ConsoleChrome, view: PeopleSearchView): string {
  return renderPage(chrome, {
    title: view.q ? `People: ${view.q}` : 'People',
    active: 'people',
    body: html`<h1>People</h1>
<form class="search" method="get" action="${CONSOLE_PATHS.people}" role="search">
<label for="q">Find a person</label>
<input id="q" name="q" type="search" value="${view.q}" placeholder="externalId, email or name" autofocus data-testid="search-input">
<button type="submit" class="btn btn-primary" data-testid="search-submit">Search</button>
</form>
${results(view)}`,
  });
}
