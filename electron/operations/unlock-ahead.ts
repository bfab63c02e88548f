/**
 * A command-line unlock started before the verb's code loads (issue #20):
 * see vault/unlock-ahead.ts. Its own module, and a small one, because the
 * point is to run before the rest of the application layer has loaded.
 */
export { unlockAhead } from '../vault/unlock-ahead.js';
