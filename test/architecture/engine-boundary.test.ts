/**
 * The engine's state (keys, the database handle, the log) is reached only
 * from inside electron/vault/: callers outside it use what the session
 * offers (sign this, commit, log, store, fingerprint), so a feature moved
 * out of the engine cannot quietly take the signing key with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './import-graph.js';

function callersOf(pattern: RegExp, files: readonly string[]): string[] {
  return files.filter((file) => pattern.test(readFileSync(join(ROOT, file), 'utf8')));
}

describe('the engine boundary', () => {
  const outside = sourceFiles().filter((f) => f.startsWith('electron/') && !f.startsWith('electron/vault/'));

  it('sees the files it checks', () => {
    expect(outside).toContain('electron/quorum/quorum-shares.ts');
    expect(outside).toContain('electron/recovery/report-signing.ts');
    // The pattern does match a caller: the engine itself uses it.
    expect(callersOf(/\.internals\(\)/, ['electron/vault/vault-members.ts'])).toEqual(['electron/vault/vault-members.ts']);
  });

  it('no code outside electron/vault/ calls session.internals()', () => {
    expect(callersOf(/\.internals\(\)/, outside)).toEqual([]);
  });
});
