/**
 * `npm start` builds only when a build input changed (issue 19, "Time to the
 * unlock screen"): a second start must not rebuild, and any change to a source
 * or to the build's configuration must. Run on a small copy of a checkout's
 * shape, so nothing here builds the real one.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script, without types
import { buildInputsFingerprint, buildIsCurrent, recordBuild } from '../../scripts/build-inputs.mjs';

const fingerprint = buildInputsFingerprint as (root: string) => string;
const isCurrent = buildIsCurrent as (root: string) => boolean;
const record = recordBuild as (root: string) => void;

let root: string;

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-build-inputs-'));
  write('package.json', '{"name":"x"}');
  write('tsconfig.build.json', '{}');
  write('electron/start.ts', 'start();');
  write('shared/errors.ts', 'export {};');
  write('renderer/src/App.tsx', 'export {};');
  write('README.md', '# x');
  // A complete build's outputs.
  write('dist/node/electron/start.js', 'start();');
  write('dist/renderer/index.html', '<!doctype html>');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('building only when an input changed', () => {
  it('is stale before any recorded build, current after one, and stays current when nothing changed', () => {
    expect(isCurrent(root)).toBe(false);
    record(root);
    expect(isCurrent(root)).toBe(true);
    // A touched file with the same content (a checkout, an editor's save) builds nothing.
    utimesSync(join(root, 'electron/start.ts'), new Date(), new Date(Date.now() + 60_000));
    expect(isCurrent(root)).toBe(true);
  });

  it('is stale after a change to a source, a new source, or the build configuration', () => {
    record(root);
    write('shared/errors.ts', 'export const x = 1;');
    expect(isCurrent(root)).toBe(false);
    record(root);
    write('renderer/src/New.tsx', 'export {};');
    expect(isCurrent(root)).toBe(false);
    record(root);
    write('package.json', '{"name":"x","version":"2"}');
    expect(isCurrent(root)).toBe(false);
  });

  it('does not rebuild for a file that is not a build input, and rebuilds when an output is gone', () => {
    record(root);
    write('README.md', '# changed');
    write('docs/notes.md', 'new');
    expect(isCurrent(root)).toBe(true);
    rmSync(join(root, 'dist/renderer/index.html'));
    expect(isCurrent(root)).toBe(false);
  });

  it('tells a moved file from the same content elsewhere', () => {
    const before = fingerprint(root);
    rmSync(join(root, 'shared/errors.ts'));
    write('electron/errors.ts', 'export {};');
    expect(fingerprint(root)).not.toBe(before);
  });
});
