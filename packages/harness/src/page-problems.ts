import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

/** What went wrong on a page, as a browser test asserts it: each list empty on a healthy page. */
export interface PageProblems {
  /** Each `securitypolicyviolation` event: the directive, what it blocked and where. */
  cspViolations: string[];
  /** Uncaught exceptions in the page's scripts. */
  pageErrors: string[];
  /** `console.error` lines and the browser's own error lines (failed loads, refused resources). */
  consoleErrors: string[];
}

/** The name of the binding the page calls on a CSP violation. */
const CSP_BINDING = '__dirsyncCspViolation';

/**
 * Records what goes wrong on `page` from now on (call it before `goto`): CSP violations as the page's own
 * `securitypolicyviolation` events report them (an init script listens in every frame; init scripts are not
 * subject to the page's CSP), uncaught exceptions, and console errors. The returned lists fill as the page runs.
 */
export async function watchPageProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { cspViolations: [], pageErrors: [], consoleErrors: [] };
  await page.exposeBinding(CSP_BINDING, (_source, text: string) => {
    problems.cspViolations.push(text);
  });
  // A string, not a function: this package is compiled without the DOM's types.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      const where = event.sourceFile ? ' at ' + event.sourceFile + ':' + event.lineNumber : '';
      window[${JSON.stringify(CSP_BINDING)}]?.(
        event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') + where,
      );
    });`,
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    problems.consoleErrors.push(url ? `${message.text()} (${url})` : message.text());
  });
  return problems;
}

/** A page in its own browser context, watched from the start; `close` ends the context. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  close(): Promise<void>;
}

/**
 * Opens a page in a fresh context of `browser` (own cookies and storage; `options.httpCredentials` answers the
 * admin Basic auth for every request, the page's own fetches included) and watches it (see watchPageProblems).
 */
export async function openWatchedPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    return { context, page, problems, close: () => context.close() };
  } catch (error) {
    await context.close();
    throw error;
  }
}
