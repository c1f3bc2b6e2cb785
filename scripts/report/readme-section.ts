import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@dirsync/harness';

/** The README's generated sections, each between `<!-- <name>:start -->` and `<!-- <name>:end -->`. */
export type ReadmeSection = 'bench' | 'reliability';

/** Replaces one generated section of the README with `body`; throws when its markers are missing. */
export function replaceReadmeSection(section: ReadmeSection, body: string, root = REPO_ROOT): void {
  const readme = path.join(root, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const start = `<!-- ${section}:start -->`;
  const end = `<!-- ${section}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} markers`);
  fs.writeFileSync(readme, `${text.slice(0, i + start.length)}\n${body.trim()}\n${text.slice(j)}`);
}
