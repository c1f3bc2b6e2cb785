import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const basicAuth = () => `Basic ${Buffer.from('dirsync-local:dirsync-local-secret').toString('base64')}`;

function startCli(env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@dirsync/source', 'apps/genesys-sim/src/main.ts'],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Resolves with the first JSON log line `match` accepts; rejects if the process exits first. */
function waitForLogLine(child: ChildProcess, match: (line: Record<string, unknown>) => boolean) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    if (!child.stdout) throw new Error('no stdout');
    const lines = createInterface({ input: child.stdout });
    const onExit = (code: number | null) => reject(new Error(`exited with ${code} before logging the line`));
    child.once('exit', onExit);
    lines.on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      if (!match(line)) return;
      child.off('exit', onExit);
      lines.close();
      resolve(line);
    });
  });
}

async function collect(stream: NodeJS.ReadableStream | null): Promise<string> {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
  });
  if (stream) await once(stream, 'end');
  return text;
}

describe('genesys-sim CLI', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves until %s, then shuts down and exits 0', async (signal) => {
    const child = startCli({ SIM_PORT: '0', SIM_ADMIN: '1', LOG_LEVEL: 'info' });
    const listening = await waitForLogLine(child, (l) => l.message === 'genesys simulator listening');
    const url = String(listening.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listening.scimUrl).toBe(`${url}/api/v2/scim/v2`);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    // A keep-alive connection stays open after this answer; shutdown must not wait on it.
    expect((await fetch(`${url}/__sim/counters`)).status).toBe(200);

    const exited = once(child, 'exit');
    child.kill(signal);
    const [code, killedBy] = await exited;
    expect(killedBy).toBeNull();
    expect(code).toBe(0);
  });

  it('refuses a bad environment, naming the variable, with a non-zero exit', async () => {
    const child = startCli({ SIM_PORT: 'abc', SIM_LATENCY_MS: '-5' });
    const stderr = collect(child.stderr);
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const text = await stderr;
    expect(text).toContain('SIM_PORT');
    expect(text).toContain('SIM_LATENCY_MS');
    expect(text).not.toContain('abc');
  });
});
