/**
 * Keeps the real-data tests honest: they skip when ../shared/data (the public datasets of SOURCES.md) is absent,
 * and this reporter says so in one line with their count; when the folder is there, a skipped test is a failure,
 * so a green run cannot hide figures that were never cross-checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

const SHARED = path.resolve(__dirname, '../../shared/data');

export default class RealDataReporter implements Reporter {
  private filtered = false;

  onInit(vitest: Vitest): void {
    // A run narrowed by name (-t) skips the rest on purpose: that is not a real-data test going unrun.
    this.filtered = Boolean(vitest.config.testNamePattern);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (this.filtered) return;
    let skipped = 0;
    for (const m of modules) for (const t of m.children.allTests()) if (t.result().state === 'skipped') skipped++;
    if (!fs.existsSync(SHARED)) {
      console.log(
        `Real data: ${skipped} test${skipped === 1 ? '' : 's'} skipped because ${SHARED} is absent (the public datasets of SOURCES.md; put them beside the project to run them).`,
      );
    } else if (skipped > 0) {
      console.log(`Real data: ${skipped} test${skipped === 1 ? '' : 's'} skipped although ${SHARED} is present.`);
      process.exitCode = 1;
    } else console.log(`Real data: every real-data test ran against ${SHARED}.`);
  }
}
