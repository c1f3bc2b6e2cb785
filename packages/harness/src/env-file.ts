import fs from 'node:fs';

/**
 * Reads `KEY=VALUE` lines as docker compose reads `.env`: blank lines and `#` comments skipped, an optional
 * `export `, whitespace around the key and value trimmed, one pair of matching quotes removed. A missing file
 * reads as empty.
 */
export function readEnvFile(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== undefined) values[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** Creates `dir` (and its parents) if needed and makes it private to its owner (0700), also when it existed. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * Writes `KEY=VALUE` lines under a `#` header, readable by its owner only (0600) — also when the file existed
 * with a looser mode, since `writeFile`'s mode applies only to a new file.
 */
export function writePrivateEnvFile(file: string, values: Record<string, string>, header: string): void {
  const body = Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  fs.writeFileSync(file, `# ${header}\n${body}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
