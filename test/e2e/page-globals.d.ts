// What the page exposes, as the e2e tests see it from inside page.evaluate.
import type { LifeboatApi } from '../../shared/api.js';

declare global {
  interface Window {
    lifeboat?: LifeboatApi;
  }
}
