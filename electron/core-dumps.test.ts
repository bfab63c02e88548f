/**
 * A process holding a vault refuses core dumps where it can by itself
 * (security issue 15). The real thing on Linux is proven through the built
 * CLI (test/integration/cli-core-dumps.test.ts); here, what is asked of the OS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRLIMIT_PATHS, refuseCoreDumps, type ProcessControls } from './core-dumps.js';

function controls(overrides: Partial<ProcessControls> = {}) {
  const calls: { writes: [string, string][]; runs: [string, string[]][] } = { writes: [], runs: [] };
  const os: ProcessControls = {
    platform: 'linux',
    pid: 4242,
    writeFile: (path, text) => {
      calls.writes.push([path, text]);
    },
    exists: (path) => path === '/usr/bin/prlimit',
    run: (program, args) => {
      calls.runs.push([program, args]);
      return true;
    },
    ...overrides,
  };
  return { os, calls };
}

describe('refusing core dumps', () => {
  it('on Linux, keeps every memory mapping out of a dump and sets the core size limit to 0, soft and hard', () => {
    const { os, calls } = controls();
    expect(refuseCoreDumps(os)).toEqual({ filter: true, limit: true });
    expect(calls.writes).toEqual([['/proc/self/coredump_filter', '0']]);
    expect(calls.runs).toEqual([['/usr/bin/prlimit', ['--pid', '4242', '--core=0:0']]]);
  });

  it('runs prlimit only from the system’s own folders, never from PATH', () => {
    expect(PRLIMIT_PATHS.every((path) => path.startsWith('/'))).toBe(true);
    const { os, calls } = controls({ exists: () => false });
    expect(refuseCoreDumps(os)).toEqual({ filter: true, limit: false });
    expect(calls.runs).toEqual([]);
  });

  it('still starts when /proc cannot be written or prlimit fails, and says what it could not do', () => {
    const { os } = controls({
      writeFile: () => {
        throw new Error('EACCES');
      },
      run: () => false,
    });
    expect(refuseCoreDumps(os)).toEqual({ filter: false, limit: false });
    const throwing = controls({
      run: () => {
        throw new Error('ENOENT');
      },
    });
    expect(refuseCoreDumps(throwing.os)).toEqual({ filter: true, limit: false });
  });

  it('does nothing where a process cannot refuse them by itself (macOS, Windows)', () => {
    for (const platform of ['darwin', 'win32']) {
      const { os, calls } = controls({ platform });
      expect(refuseCoreDumps(os)).toEqual({ filter: false, limit: false });
      expect(calls).toEqual({ writes: [], runs: [] });
    }
  });
});

describe('crash reports', () => {
  it('never starts Electron’s crash reporter, which would write minidumps of main’s memory', () => {
    const sources = readdirSync('electron', { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(50);
    const starting = sources.filter((file) => /crashReporter|enable-crash-reporter/.test(readFileSync(join('electron', file), 'utf8')));
    expect(starting).toEqual([]);
  });
});
