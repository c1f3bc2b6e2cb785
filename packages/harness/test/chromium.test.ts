import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChromiumMissingError, findChromium, launchChromium, requireChromium } from '../src/chromium.js';

const NOWHERE = path.join(os.tmpdir(), 'dirsync-no-such-chromium', 'chromium');

// Launching the browser for real is tested in packages/testing/test/chromium-suite.test.ts, through the suite
// helper that reports a missing Chromium by name.
describe('finding Chromium', () => {
  it('CHROMIUM_PATH pointing nowhere: the error names chromium, the setting and apt-get', async () => {
    const lookup = { env: { CHROMIUM_PATH: NOWHERE, PATH: process.env.PATH } };
    expect(findChromium(lookup)).toEqual({
      found: false,
      reason: `CHROMIUM_PATH=${NOWHERE} is not an executable file`,
    });
    expect(() => requireChromium('The console browser tests', lookup)).toThrow(
      `The console browser tests needs Debian's chromium, and CHROMIUM_PATH=${NOWHERE} is not an executable file: ` +
        'install it with `apt-get install chromium`',
    );
    await expect(launchChromium({ ...lookup, needer: 'The screenshots' })).rejects.toBeInstanceOf(
      ChromiumMissingError,
    );
  });

  it('not on PATH: the error names the names it looked for and apt-get', async () => {
    const lookup = { env: {}, searchPath: false };
    expect(findChromium(lookup)).toMatchObject({ found: false });
    const error = await launchChromium({ ...lookup, needer: 'The screenshots' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChromiumMissingError);
    expect(error).toMatchObject({ code: 'chromium_missing' });
    expect(String(error)).toContain(
      "The screenshots needs Debian's chromium, and none of chromium, chromium-browser, google-chrome-stable, " +
        'google-chrome is on PATH: install it with `apt-get install chromium`',
    );
  });

  it('an empty PATH finds nothing; a PATH holding an executable named chromium finds it there', () => {
    expect(findChromium({ env: { PATH: '' } }).found).toBe(false);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-chromium-path-'));
    try {
      const fake = path.join(dir, 'chromium');
      fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o644 });
      expect(findChromium({ env: { PATH: dir } }).found).toBe(false);
      fs.chmodSync(fake, 0o755);
      expect(findChromium({ env: { PATH: dir } })).toEqual({
        found: true,
        executablePath: fake,
        from: 'PATH',
      });
      expect(findChromium({ env: { PATH: '', CHROMIUM_PATH: fake } })).toMatchObject({
        from: 'CHROMIUM_PATH',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
