import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CONFIG = fileURLToPath(new URL('./fixtures/needs-chromium/vitest.config.ts', import.meta.url));
const VITEST = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

/** Runs the fixture suite in its own vitest on a machine where Chromium is "missing" (CHROMIUM_PATH nowhere). */
function runWithoutChromium(ci: boolean): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    CHROMIUM_PATH: '/nonexistent/chromium',
    ...(ci ? { CI: 'true' } : {}),
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [VITEST, 'run', '--config', CONFIG], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

// Each test runs a vitest of its own (a few seconds, more on a busy machine).
describe('a suite that needs Chromium on a machine without it', () => {
  it('outside CI: the run passes and its summary names the suite and the command that gets Chromium', {
    timeout: 60_000,
  }, async () => {
    const { code, output } = await runWithoutChromium(false);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Tests {2}1 passed \| 1 skipped/);
    expect(output).toContain(
      ' NOT RUN  1 suite needs what this machine lacks (with CI=true this fails instead):\n' +
        "   needs-chromium.fixture.ts › Console pages in a browser: needs Debian's chromium — apt-get install chromium",
    );
  });

  it('with CI=true: the run fails, naming chromium and apt-get', { timeout: 60_000 }, async () => {
    const { code, output } = await runWithoutChromium(true);
    expect(code, output).toBe(1);
    expect(output).toContain('FAIL  needs-chromium.fixture.ts > Console pages in a browser');
    expect(output).toContain(
      "Console pages in a browser needs Debian's chromium, and CHROMIUM_PATH=/nonexistent/chromium is not an " +
        'executable file: install it with `apt-get install chromium`',
    );
    expect(output).not.toContain('NOT RUN');
  });
});
