import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './app-paths.js';

/**
 * The commit a measurement ran on: `git rev-parse --short HEAD`, plus ` (dirty)` when the working tree has
 * uncommitted changes; `unknown` outside a git checkout.
 */
export function describeCheckout(root = REPO_ROOT): string {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD');
  if (!commit) return 'unknown';
  return git('status', '--porcelain')?.length ? `${commit} (dirty)` : commit;
}
