import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';

/** What to tell someone who has no Chromium (the console's browser tests drive Debian's). */
export const HOW_TO_INSTALL_CHROMIUM = 'apt-get install chromium';

/** Names a system Chromium (or Chrome) goes by on PATH, most likely first. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/** Where to look for Chromium. */
export interface ChromiumLookup {
  /** Where `CHROMIUM_PATH` and `PATH` are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** False: look nowhere but `CHROMIUM_PATH` (how the tests see a machine without Chromium). Default true. */
  searchPath?: boolean;
}

export type ChromiumLocation =
  | { found: true; executablePath: string; from: 'CHROMIUM_PATH' | 'PATH' }
  | { found: false; reason: string };

/** A suite or script needs Chromium and there is none: says which, and how to get it. */
export class ChromiumMissingError extends Error {
  readonly code = 'chromium_missing';

  constructor(needer: string, reason: string) {
    super(
      `${needer} needs Debian's chromium, and ${reason}: install it with \`${HOW_TO_INSTALL_CHROMIUM}\` ` +
        '(or set CHROMIUM_PATH to a Chromium or Chrome binary)',
    );
    this.name = 'ChromiumMissingError';
  }
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the system Chromium: `CHROMIUM_PATH` when set (and then only there: a wrong setting is reported, not
 * passed over), else the first of chromium, chromium-browser, google-chrome-stable, google-chrome on `PATH`.
 * Never downloads a browser.
 */
export function findChromium(lookup: ChromiumLookup = {}): ChromiumLocation {
  const env = lookup.env ?? process.env;
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    return isExecutableFile(configured)
      ? { found: true, executablePath: configured, from: 'CHROMIUM_PATH' }
      : { found: false, reason: `CHROMIUM_PATH=${configured} is not an executable file` };
  }
  if (lookup.searchPath !== false) {
    const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
    for (const name of CHROMIUM_NAMES) {
      for (const dir of dirs) {
        const candidate = path.join(dir, name);
        if (isExecutableFile(candidate)) return { found: true, executablePath: candidate, from: 'PATH' };
      }
    }
  }
  return { found: false, reason: `none of ${CHROMIUM_NAMES.join(', ')} is on PATH` };
}

/** The Chromium binary for `needer` (a suite or script name); throws ChromiumMissingError naming it otherwise. */
export function requireChromium(needer: string, lookup: ChromiumLookup = {}): string {
  const location = findChromium(lookup);
  if (!location.found) throw new ChromiumMissingError(needer, location.reason);
  return location.executablePath;
}

/** Flags for a headless Chromium in a container that must not reach outside hosts. */
export const CHROMIUM_ARGS: readonly string[] = [
  // Containers often give /dev/shm 64 MB; Chromium's renderers crash writing there.
  '--disable-dev-shm-usage',
  '--disable-gpu',
  // Without these Chromium keeps calling Google's services (updates, sync, field trials), which this network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface LaunchChromiumOptions extends ChromiumLookup {
  /** Who needs the browser, for the error when there is none (default "This run"). */
  needer?: string;
  /** Extra command-line flags. */
  args?: readonly string[];
}

/**
 * Launches the system Chromium headless through playwright-core and returns the Browser; the caller closes it.
 * As root it runs without Chromium's sandbox (Chromium refuses to start as root with it). Each launch gets a
 * fresh temporary profile. Throws ChromiumMissingError when there is no Chromium.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const executablePath = requireChromium(options.needer ?? 'This run', options);
  const runningAsRoot = process.getuid?.() === 0;
  // Loaded here, not at the top: everything else that uses this package (pnpm start, the bench) never needs it.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: !runningAsRoot,
    args: [...CHROMIUM_ARGS, ...(runningAsRoot ? ['--no-sandbox'] : []), ...(options.args ?? [])],
  });
}

/** Runs `work` with a freshly launched Chromium and closes it afterwards, whatever happens. */
export async function withChromium<T>(
  work: (browser: Browser) => Promise<T>,
  options: LaunchChromiumOptions = {},
): Promise<T> {
  const browser = await launchChromium(options);
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}

export type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  ConsoleMessage,
  Page,
  Response,
} from 'playwright-core';
