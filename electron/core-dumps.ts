/**
 * No core dumps of a process that holds a vault, where the operating system
 * lets the process refuse them by itself (security issue 15): a core file
 * would hold the database, keys and revealed values as they were in memory,
 * and lands where others may read it (a crash folder, systemd-coredump's
 * store, a bug report).
 *
 * Linux, both best-effort (a start never fails for them):
 * - /proc/self/coredump_filter = 0 (core(5)): a core dump, should one still
 *   be written, holds no memory mapping at all: no heap, stack or
 *   WebAssembly memory. Written by the process itself.
 * - RLIMIT_CORE = 0, soft and hard, set on our own pid by util-linux's
 *   prlimit(1): Node has no setrlimit, and a re-exec under `ulimit -c 0`
 *   would pay for a second start. No core file is written, and
 *   systemd-coredump stores nothing; a pipe handler that ignores the limit
 *   (apport) still gets only what the filter lets through.
 * Both are inherited by processes started afterwards (npm start's Electron,
 * the browser host's Chromium, the PDF printer).
 *
 * macOS (core dumps are off by default: ulimit -c 0, and /cores needs root)
 * and Windows (Windows Error Reporting decides) offer nothing a process can
 * set without native code. docs/security.md, "Key derivation and memory", says
 * what is covered where.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

/** What the process managed to set; false: not this OS, or the machine did not allow it. */
export interface CoreDumpRefusal {
  /** No memory mapping goes into a core dump. */
  filter: boolean;
  /** No core file at all. */
  limit: boolean;
}

/** What refuseCoreDumps touches, injectable for tests. */
export interface ProcessControls {
  platform: string;
  pid: number;
  writeFile(path: string, text: string): void;
  exists(path: string): boolean;
  /** Runs a program to completion, without a shell and with an empty environment; true when it exited 0. */
  run(program: string, args: string[]): boolean;
}

/** Fixed paths, not a PATH lookup: what runs with our pid as argument must be the system's own. */
export const PRLIMIT_PATHS = ['/usr/bin/prlimit', '/bin/prlimit'] as const;

const thisProcess: ProcessControls = {
  platform: process.platform,
  pid: process.pid,
  writeFile: (path, text) => {
    writeFileSync(path, text);
  },
  exists: existsSync,
  run: (program, args) => {
    // An empty environment: the command line's may still hold a passphrase at this point.
    const result = spawnSync(program, args, { stdio: 'ignore', env: {}, timeout: 5000 });
    return result.status === 0;
  },
};

export function refuseCoreDumps(controls: ProcessControls = thisProcess): CoreDumpRefusal {
  if (controls.platform !== 'linux') {
    return { filter: false, limit: false };
  }
  let filter = false;
  try {
    controls.writeFile('/proc/self/coredump_filter', '0');
    filter = true;
  } catch {
    // No /proc (a chroot, an unusual container): the size limit below may still hold.
  }
  const prlimit = PRLIMIT_PATHS.find((path) => controls.exists(path));
  let limit = false;
  if (prlimit) {
    try {
      limit = controls.run(prlimit, ['--pid', String(controls.pid), '--core=0:0']);
    } catch {
      limit = false;
    }
  }
  return { filter, limit };
}
