import {
  type Browser,
  type ChromiumLookup,
  findChromium,
  HOW_TO_INSTALL_CHROMIUM,
  launchChromium,
} from '@dirsync/harness';
import { afterAll, beforeAll, describe } from 'vitest';
import { isCi, NOT_RUN_META_KEY, type NotRunMeta, type NotRunNote, notRunTitle } from './not-run-note.js';

/** What the console's browser tests need, as the not-run note and the README say it. */
export const CHROMIUM_NOTE: NotRunNote = { needs: "Debian's chromium", get: HOW_TO_INSTALL_CHROMIUM };

/**
 * How a suite that needs Chromium is registered here: run it; or, with no Chromium, list it as not run (a
 * newcomer's `pnpm test` still finishes and names it); or, with no Chromium under CI=true, run it anyway so that
 * its launch fails every test with the message naming chromium and the apt-get command.
 */
export type ChromiumSuitePlan = { kind: 'run' } | { kind: 'fail' } | { kind: 'not-run'; title: string };

export function planChromiumSuite(name: string, lookup: ChromiumLookup = {}): ChromiumSuitePlan {
  if (findChromium(lookup).found) return { kind: 'run' };
  if (isCi(lookup.env ?? process.env)) return { kind: 'fail' };
  return { kind: 'not-run', title: notRunTitle(name, CHROMIUM_NOTE) };
}

/** What a Chromium suite's body gets: the suite's browser, launched before its first test. */
export interface ChromiumSuite {
  /** The suite's Chromium (one per suite; give each test its own context). Only valid inside tests and hooks. */
  browser(): Browser;
}

/**
 * `describe(name, body)` for tests that drive the system Chromium: launches one headless Chromium before the
 * suite's tests and closes it after them. Without Chromium the suite is listed as "NOT RUN: needs Debian's
 * chromium (apt-get install chromium)" and named again under the summary; with CI=true it fails instead, naming
 * chromium. `lookup` is for the helper's own tests (where to look for Chromium).
 */
export function describeWithChromium(
  name: string,
  body: (chromium: ChromiumSuite) => void,
  lookup: ChromiumLookup = {},
): void {
  let browser: Browser | undefined;
  const suite: ChromiumSuite = {
    browser: () => {
      if (!browser) throw new Error(`${name}: the browser is only there inside its tests and hooks`);
      return browser;
    },
  };
  const plan = planChromiumSuite(name, lookup);
  if (plan.kind === 'not-run') {
    const meta: Record<string, NotRunMeta> = { [NOT_RUN_META_KEY]: { suite: name, ...CHROMIUM_NOTE } };
    describe(plan.title, { skip: true, meta }, () => body(suite));
    return;
  }
  describe(name, () => {
    beforeAll(async () => {
      browser = await launchChromium({ ...lookup, needer: name });
    });
    afterAll(async () => {
      await browser?.close();
      browser = undefined;
    });
    body(suite);
  });
}
