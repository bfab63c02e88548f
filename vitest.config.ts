import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.ts';

// Unit and integration tests live beside the code they prove.
export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'renderer/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/fuzz/**/*.test.ts',
      'test/architecture/**/*.test.ts',
      'build/**/*.test.ts',
    ],
    environment: 'node',
    // Each test file keeps its local anchors in its own state folder (test/support/state-dir-setup.ts).
    setupFiles: ['test/support/state-dir-setup.ts'],
    reporters: ['default', new SummaryReporter('unit')],
    testTimeout: 20_000,
    // Two test files at a time on two cores (Vitest's default is one fewer than the cores): most files
    // wait on fsync, child processes or Chromium, and the unit phase went from ~11 to ~6 minutes.
    maxWorkers: 2,
  },
});
