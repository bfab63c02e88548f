/**
 * Vitest setup (both configs): every test file keeps its local anchors
 * (electron/vault/anchor/) in a state folder of its own, never the real
 * ~/.local/state/lifeboat. Tests copy vault folders and put older states back
 * on purpose; with one shared anchor a copy of a vault opened in one test
 * would look rolled back in the next. Processes a test spawns (crash workers,
 * the built CLI) inherit LIFEBOAT_STATE_DIR, so they share the test's anchors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const stateDir = mkdtempSync(join(tmpdir(), 'lifeboat-state-'));
process.env['LIFEBOAT_STATE_DIR'] = stateDir;

// A sweep leaves thousands of laptops' folders here (anotherLaptop()): on a loaded machine their
// removal took over the default 10 s once.
afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
}, 120_000);
