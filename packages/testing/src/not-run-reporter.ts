import type { Reporter, TestModule, TestSuite, Vitest } from 'vitest/node';
import { NOT_RUN_META_KEY, type NotRunMeta } from './not-run-note.js';

/** Every suite of `modules` skipped for a missing prerequisite, with its note. */
export function findNotRun(
  modules: ReadonlyArray<TestModule>,
): Array<{ suite: TestSuite; note: NotRunMeta }> {
  const found: Array<{ suite: TestSuite; note: NotRunMeta }> = [];
  for (const module of modules) {
    for (const suite of module.children.allSuites()) {
      const note = (suite.meta() as Record<string, NotRunMeta | undefined>)[NOT_RUN_META_KEY];
      if (note && suite.state() === 'skipped') found.push({ suite, note });
    }
  }
  return found;
}

/**
 * Vitest reporter that, after the summary, names each suite that did not run for a missing prerequisite and the
 * command that gets it (the counts alone would say "skipped" and nothing more). Listed after `default` in
 * vitest.config.ts.
 */
export default class NotRunReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const notRun = findNotRun(modules);
    if (notRun.length === 0) return;
    const count = notRun.length === 1 ? '1 suite needs' : `${notRun.length} suites need`;
    const lines = [
      '',
      ` NOT RUN  ${count} what this machine lacks (with CI=true this fails instead):`,
      ...notRun.map(
        ({ suite, note }) =>
          `   ${suite.module.relativeModuleId} › ${note.suite}: needs ${note.needs} — ${note.get}`,
      ),
      '',
    ];
    const log = this.vitest?.logger;
    for (const line of lines) log ? log.log(line) : process.stdout.write(`${line}\n`);
  }
}
