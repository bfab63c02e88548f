// What the page exposes, as the e2e tests see it from inside page.evaluate.
import type { AxeResults, RunOptions } from 'axe-core';
import type { LifeboatApi } from '../../shared/api.js';

declare global {
  interface Window {
    lifeboat?: LifeboatApi;
    /** axe-core, once an accessibility check has put it in (harness.ts). */
    axe?: { run: (context: Document, options: RunOptions) => Promise<AxeResults> };
  }
}
