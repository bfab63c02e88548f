import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.ts';

// End-to-end: the built renderer in Chromium through the browser host.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    // Each test file keeps its local anchors in its own state folder (test/support/state-dir-setup.ts).
    setupFiles: ['test/support/state-dir-setup.ts'],
    reporters: ['default', new SummaryReporter('e2e')],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One Chromium at a time: the machine has two cores.
    fileParallelism: false,
  },
});
