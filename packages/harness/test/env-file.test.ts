import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, readEnvFile, writePrivateEnvFile } from '../src/env-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-env-file-'));
  dirs.push(dir);
  return dir;
}
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('local credentials on disk', () => {
  it('makes an existing data folder and credentials file private again', () => {
    const dataDir = path.join(tempDir(), '.data');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    const file = path.join(dataDir, 'local.env');
    fs.writeFileSync(file, 'OLD=1\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);

    ensurePrivateDir(dataDir);
    writePrivateEnvFile(file, { WEBHOOK_SECRET: 'whsec_abc', ADMIN_USER: 'admin' }, 'generated');

    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(readEnvFile(file)).toEqual({ WEBHOOK_SECRET: 'whsec_abc', ADMIN_USER: 'admin' });
  });

  it('creates a missing folder 0700 and a new file 0600', () => {
    const dataDir = path.join(tempDir(), 'nested', '.data');
    ensurePrivateDir(dataDir);
    writePrivateEnvFile(path.join(dataDir, 'local.env'), { A: 'b' }, 'generated');
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'local.env'))).toBe(0o600);
  });

  it('reads .env lines as docker compose does: comments, export, spaces and quotes', () => {
    const file = path.join(tempDir(), '.env');
    fs.writeFileSync(
      file,
      [
        '# a comment',
        'export WEBHOOK_SECRET=whsec_x==',
        ' ADMIN_USER = "ops" ',
        "ADMIN_PASSWORD='p w'",
        'bad line',
      ].join('\n'),
    );
    expect(readEnvFile(file)).toEqual({
      WEBHOOK_SECRET: 'whsec_x==',
      ADMIN_USER: 'ops',
      ADMIN_PASSWORD: 'p w',
    });
    expect(readEnvFile(path.join(path.dirname(file), 'missing.env'))).toEqual({});
  });
});
