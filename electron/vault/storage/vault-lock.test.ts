import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifeboatError } from '../../../shared/errors.js';
import { nodeFileSystem, type FileSystem } from './atomic-file.js';
import { acquireVaultLock, currentBootId, isLockedByOtherProcess, isProcessAlive, LOCK_FILE_NAME, type VaultLock } from './vault-lock.js';

let dir: string;
let lockPath: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-lock-'));
  lockPath = join(dir, LOCK_FILE_NAME);
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await rm(dir, { recursive: true, force: true });
});

async function caught(promise: Promise<unknown>): Promise<LifeboatError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    return error as LifeboatError;
  }
  throw new Error('expected the operation to fail');
}

function lockJson(pid: number, host = hostname()): string {
  return `${JSON.stringify({ pid, hostname: host, startedAt: '2024-01-01T00:00:00.000Z' })}\n`;
}

async function readLock(): Promise<{ pid: number; hostname: string; startedAt: string; nonce?: string; bootId?: string }> {
  return JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number; hostname: string; startedAt: string; nonce?: string; bootId?: string };
}

/** The pid of a process that has run and exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  const { pid } = child;
  if (pid === undefined) {
    throw new Error('the child process did not start');
  }
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  return pid;
}

const HOLDER_SCRIPT = `
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
const lockPath = process.argv[2];
const owner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
writeFileSync(lockPath, JSON.stringify(owner) + '\\n', { flag: 'wx', mode: 0o600 });
process.stdout.write('ready\\n');
setInterval(() => {}, 60_000);
`;

/** A separate node process that takes the lock file by itself and then sleeps until killed. */
async function startHolder(): Promise<ChildProcess & { pid: number }> {
  const script = join(dir, 'holder.mjs');
  await writeFile(script, HOLDER_SCRIPT);
  const child = spawn(process.execPath, [script, lockPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('ready\n');
  if (child.pid === undefined) {
    throw new Error('the holder did not start');
  }
  return child as ChildProcess & { pid: number };
}

describe('acquireVaultLock', () => {
  it('creates the lock exclusively with our pid, host and start time, mode 0600, and nothing else', async () => {
    const before = Date.now();
    const lock = await acquireVaultLock(dir);
    const owner = await readLock();
    expect(owner).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: lock.owner.startedAt,
      nonce: lock.owner.nonce,
      ...(currentBootId() === null ? {} : { bootId: currentBootId() }),
    });
    expect(owner.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(lock.broken).toBeNull();
    expect(Date.parse(owner.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(lock.path).toBe(lockPath);
    expect(await readdir(dir)).toEqual(['lock']);
    if (process.platform !== 'win32') {
      expect((await stat(lockPath)).mode & 0o777).toBe(0o600);
    }
    await lock.release();
  });

  it('refuses a second acquire while our own pid holds it: VAULT_BUSY naming the pid', async () => {
    const lock = await acquireVaultLock(dir);
    const content = await readFile(lockPath, 'utf8');
    const error = await caught(acquireVaultLock(dir));
    expect(error.code).toBe('VAULT_BUSY');
    expect(error.message).toBe(`The vault is open in another process (pid ${process.pid}).`);
    expect(await readFile(lockPath, 'utf8')).toBe(content);
    expect(await readdir(dir)).toEqual(['lock']);
    await lock.release();
  });

  it('recovers a lock left by a process that has exited', async () => {
    const pid = await deadPid();
    await writeFile(lockPath, lockJson(pid));
    const lock = await acquireVaultLock(dir);
    expect((await readLock()).pid).toBe(process.pid);
    expect(await readdir(dir)).toEqual(['lock']);
    await lock.release();
  });

  it.each([
    ['empty', ''],
    ['truncated mid-write', '{"pid":12'],
    ['not JSON', 'garbage\u0000\u0001'],
    ['not an object', '[1,2,3]'],
    ['pid 0 (would address our process group)', lockJson(0)],
    ['negative pid', lockJson(-1)],
    ['fractional pid', lockJson(1.5)],
    ['no hostname', '{"pid":1,"startedAt":"x"}'],
  ])('recovers a corrupt lock: %s', async (_label, content) => {
    await writeFile(lockPath, content);
    const lock = await acquireVaultLock(dir, { corruptGraceMs: 0 });
    expect((await readLock()).pid).toBe(process.pid);
    expect(await readdir(dir)).toEqual(['lock']);
    await lock.release();
  });

  it('recovers a corrupt lock after the grace period, too', async () => {
    await writeFile(lockPath, '');
    const lock = await acquireVaultLock(dir);
    expect((await readLock()).pid).toBe(process.pid);
    await lock.release();
  });

  it('gives an empty lock a moment: if its writer fills it in, the vault is busy', async () => {
    const holder = await startHolder();
    const holderContent = await readFile(lockPath);
    await writeFile(lockPath, '');
    const attempt = caught(acquireVaultLock(dir, { corruptGraceMs: 600 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeFile(lockPath, holderContent);
    const error = await attempt;
    expect(error.message).toBe(`The vault is open in another process (pid ${holder.pid}).`);
    expect(await readFile(lockPath)).toEqual(holderContent);
  });

  it('treats a lock from another host as live, says which host, and leaves it alone', async () => {
    const pid = await deadPid();
    const content = lockJson(pid, 'other-laptop.local');
    await writeFile(lockPath, content);
    const error = await caught(acquireVaultLock(dir));
    expect(error.code).toBe('VAULT_BUSY');
    expect(error.message).toBe(
      `The vault is open in another process (pid ${pid} on host other-laptop.local). If other-laptop.local is no longer using it, run the command again with --break-lock (it is logged), or delete ${lockPath}.`,
    );
    expect(await readFile(lockPath, 'utf8')).toBe(content);
  });

  it('is VAULT_BUSY while a real second process holds the lock, and recovers once it is killed', async () => {
    const holder = await startHolder();
    const error = await caught(acquireVaultLock(dir));
    expect(error.code).toBe('VAULT_BUSY');
    expect(error.message).toBe(`The vault is open in another process (pid ${holder.pid}).`);
    expect(await isLockedByOtherProcess(dir)).toBe(true);
    expect((await readLock()).pid).toBe(holder.pid);

    holder.kill('SIGKILL');
    await once(holder, 'exit');
    expect(await isLockedByOtherProcess(dir)).toBe(false);
    const lock = await acquireVaultLock(dir);
    expect((await readLock()).pid).toBe(process.pid);
    await lock.release();
    expect((await readdir(dir)).sort()).toEqual(['holder.mjs']);
  });

  it('one stale-lock removal at a time: a second remover yields while the first removes and takes it', async () => {
    // B has judged the lock stale and holds the removal guard; C arrives before B's unlink.
    await writeFile(lockPath, lockJson(await deadPid()));
    let c: Promise<VaultLock> | undefined;
    const slowB: FileSystem = {
      ...nodeFileSystem,
      async unlink(path) {
        if (path === lockPath && c === undefined) {
          c = acquireVaultLock(dir);
          await c.then(
            () => undefined,
            () => undefined,
          );
        }
        await nodeFileSystem.unlink(path);
      },
    };
    const b = await acquireVaultLock(dir, { fs: slowB });
    const cError = await caught(c ?? Promise.reject(new Error('C never ran')));
    expect(cError.code).toBe('VAULT_BUSY');
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual(b.owner);
    await b.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('a removal guard left by a process that died is cleared, and the next attempt recovers the lock', async () => {
    await writeFile(lockPath, lockJson(await deadPid()));
    await writeFile(join(dir, '.lock.recovering'), String(await deadPid()));
    expect((await caught(acquireVaultLock(dir))).code).toBe('VAULT_BUSY');
    const lock = await acquireVaultLock(dir);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual(lock.owner);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('lets exactly one of several racing recoveries win', async () => {
    const pid = await deadPid();
    for (let round = 0; round < 25; round++) {
      await writeFile(lockPath, lockJson(pid));
      const results = await Promise.allSettled([acquireVaultLock(dir), acquireVaultLock(dir), acquireVaultLock(dir)]);
      const winners = results.filter((r): r is PromiseFulfilledResult<VaultLock> => r.status === 'fulfilled').map((r) => r.value);
      const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      expect(winners).toHaveLength(1);
      for (const loser of losers) {
        expect(loser).toBeInstanceOf(LifeboatError);
        expect((loser as LifeboatError).code).toBe('VAULT_BUSY');
      }
      const [winner] = winners;
      expect((await readLock()).startedAt).toBe(winner?.owner.startedAt);
      await winner?.release();
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('never removes a fresh lock that replaced the stale one it judged', async () => {
    // B reads the stale lock; before B starts removing it, A recovers it and takes the vault.
    await writeFile(lockPath, lockJson(await deadPid()));
    let lockA: VaultLock | undefined;
    const interleaved: FileSystem = {
      ...nodeFileSystem,
      async open(path, flags, mode) {
        if (path.endsWith('.lock.recovering') && lockA === undefined) {
          lockA = await acquireVaultLock(dir);
        }
        return nodeFileSystem.open(path, flags, mode);
      },
    };
    const contentOfA = (): Promise<string> => readFile(lockPath, 'utf8');
    const error = await caught(acquireVaultLock(dir, { fs: interleaved }));
    expect(error.code).toBe('VAULT_BUSY');
    expect(error.message).toBe(`The vault is open in another process (pid ${process.pid}).`);
    expect(lockA).toBeDefined();
    expect(JSON.parse(await contentOfA())).toEqual(lockA?.owner);
    expect(await readdir(dir)).toEqual(['lock']);
    await lockA?.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("counts a pid it may not signal (EPERM: another user's process) as live", async () => {
    const pid = await deadPid();
    await writeFile(lockPath, lockJson(pid));
    const kill = vi.spyOn(process, 'kill').mockImplementation((target) => {
      if (target === pid) {
        throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      }
      return true;
    });
    expect(isProcessAlive(pid)).toBe(true);
    const error = await caught(acquireVaultLock(dir));
    expect(error.message).toBe(`The vault is open in another process (pid ${pid}).`);
    expect(kill).toHaveBeenCalledWith(pid, 0);
    expect(await readFile(lockPath, 'utf8')).toBe(lockJson(pid));
  });

  it('recovers at most once: a stale lock that keeps coming back ends in VAULT_BUSY', async () => {
    const stale = lockJson(await deadPid());
    await writeFile(lockPath, stale);
    const calls = { link: 0, removed: 0 };
    const stubborn: FileSystem = {
      ...nodeFileSystem,
      async link(from, to) {
        calls.link += 1;
        if (calls.link > 1) {
          await writeFile(lockPath, stale); // another crashed recoverer, say
        }
        await nodeFileSystem.link(from, to);
      },
      async unlink(path) {
        if (path === lockPath) {
          calls.removed += 1;
        }
        await nodeFileSystem.unlink(path);
      },
    };
    const error = await caught(acquireVaultLock(dir, { fs: stubborn }));
    expect(error.code).toBe('VAULT_BUSY');
    expect(error.message).toBe('The vault is being opened by another process; try again in a moment.');
    expect(calls).toEqual({ link: 2, removed: 1 });
    expect(await readdir(dir)).toEqual(['lock']);
  });

  it('falls back to a direct exclusive create where hard links are unsupported', async () => {
    const noLinks: FileSystem = { ...nodeFileSystem, link: () => Promise.reject(Object.assign(new Error('EPERM'), { code: 'EPERM' })) };
    const lock = await acquireVaultLock(dir, { fs: noLinks });
    expect(await readLock()).toEqual(lock.owner);
    expect(await readdir(dir)).toEqual(['lock']);
    const error = await caught(acquireVaultLock(dir, { fs: noLinks }));
    expect(error.message).toBe(`The vault is open in another process (pid ${process.pid}).`);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('says there is no vault when the folder does not exist', async () => {
    const missing = join(dir, 'nope');
    const error = await caught(acquireVaultLock(missing));
    expect(error.code).toBe('VAULT_NOT_FOUND');
    expect(error.message).toBe(`There is no vault folder at ${missing}.`);
  });

  it('does not treat an unreadable lock as corrupt (it may be another user’s live lock)', async () => {
    await writeFile(lockPath, lockJson(await deadPid()));
    const unreadable: FileSystem = {
      ...nodeFileSystem,
      readFile: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
    };
    const error = await caught(acquireVaultLock(dir, { fs: unreadable }));
    expect(error.code).toBe('VAULT_IO');
    expect(error.message).toBe(`Could not read the lock file ${lockPath}: the folder is read-only or not writable.`);
    expect(await readdir(dir)).toEqual(['lock']);
  });
});

describe('VaultLock.release', () => {
  it('removes the lock, is idempotent, and the vault can be taken again', async () => {
    const lock = await acquireVaultLock(dir);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    await lock.release();
    await Promise.all([lock.release(), lock.release()]);
    const again = await acquireVaultLock(dir);
    await lock.release(); // the old handle must not remove the new lock
    expect((await readLock()).startedAt).toBe(again.owner.startedAt);
    await again.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("runs one removal for concurrent calls, so a second one cannot remove the next owner's lock", async () => {
    const foreign = lockJson(await deadPid(), 'elsewhere');
    let reads = 0;
    let secondRead: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => {
      secondRead = resolve;
      setTimeout(resolve, 100);
    });
    const racy: FileSystem = {
      ...nodeFileSystem,
      async readFile(path) {
        reads += 1;
        if (reads === 2) {
          secondRead();
        }
        const bytes = await nodeFileSystem.readFile(path);
        await bothRead;
        return bytes;
      },
      async unlink(path) {
        await nodeFileSystem.unlink(path);
        if (path === lockPath) {
          await writeFile(lockPath, foreign); // the next owner takes the vault at once
        }
      },
    };
    const lock = await acquireVaultLock(dir, { fs: racy });
    expect(await readLock()).toEqual(lock.owner);
    reads = 0;
    await Promise.all([lock.release(), lock.release()]);
    expect(reads).toBe(1);
    expect(await readFile(lockPath, 'utf8')).toBe(foreign);
  });

  it('does not remove a lock that is no longer ours', async () => {
    const lock = await acquireVaultLock(dir);
    const pid = await deadPid();
    await writeFile(lockPath, lockJson(pid));
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe(lockJson(pid));
  });

  it('does not remove a lock of ours from an earlier acquire that was replaced', async () => {
    const first = await acquireVaultLock(dir);
    // Someone wrongly broke our lock and a new one of ours took its place.
    await rm(lockPath);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a different startedAt
    const second = await acquireVaultLock(dir);
    await first.release();
    expect(await readLock()).toEqual(second.owner);
    await second.release();
  });
});

describe('isLockedByOtherProcess', () => {
  it('is false with no lock, false for our own lock, true for another host', async () => {
    expect(await isLockedByOtherProcess(dir)).toBe(false);
    const lock = await acquireVaultLock(dir);
    expect(await isLockedByOtherProcess(dir)).toBe(false);
    await lock.release();
    await writeFile(lockPath, lockJson(process.pid, 'elsewhere'));
    expect(await isLockedByOtherProcess(dir)).toBe(true);
    await writeFile(lockPath, 'corrupt');
    expect(await isLockedByOtherProcess(dir, { corruptGraceMs: 0 })).toBe(false);
  });
});

describe('attacks: planted locks', () => {
  it('a lock naming pid 1 on this host (alive for ever, never a vault holder) is recovered', async () => {
    await writeFile(lockPath, lockJson(1));
    const lock = await acquireVaultLock(dir);
    expect((await readLock()).pid).toBe(process.pid);
    expect(lock.broken).toBeNull();
    await lock.release();
  });

  it('a lock of a live pid written in an earlier boot (another boot id) is recovered', async () => {
    // Our parent is alive; the lock says it was written before the host last rebooted.
    const planted = { pid: process.ppid, hostname: hostname(), startedAt: '2024-01-01T00:00:00.000Z', nonce: 'ab'.repeat(16), bootId: 'an-earlier-boot' };
    await writeFile(lockPath, JSON.stringify(planted));
    const lock = await acquireVaultLock(dir, { bootId: 'this-boot' });
    expect(await readLock()).toMatchObject({ pid: process.pid, bootId: 'this-boot' });
    await lock.release();
    // Same boot: that process may still hold it.
    await writeFile(lockPath, JSON.stringify({ ...planted, bootId: 'this-boot' }));
    expect((await caught(acquireVaultLock(dir, { bootId: 'this-boot' }))).code).toBe('VAULT_BUSY');
  });

  it('a lock from another host: busy until --break-lock, which takes it and reports whose it was', async () => {
    const content = lockJson(4242, 'gone-laptop.local');
    await writeFile(lockPath, content);
    expect((await caught(acquireVaultLock(dir))).message).toContain('--break-lock');
    expect(await readFile(lockPath, 'utf8')).toBe(content);
    const lock = await acquireVaultLock(dir, { breakLock: true });
    expect(lock.broken).toMatchObject({ pid: 4242, hostname: 'gone-laptop.local' });
    expect((await readLock()).pid).toBe(process.pid);
    expect(await readdir(dir)).toEqual(['lock']);
    await lock.release();
  });

  it('--break-lock never breaks a live process on this host', async () => {
    const holder = await startHolder();
    const error = await caught(acquireVaultLock(dir, { breakLock: true }));
    expect(error.code).toBe('VAULT_BUSY');
    expect(error.message).toBe(`The vault is open in another process (pid ${holder.pid}).`);
    expect((await readLock()).pid).toBe(holder.pid);
  });

  it.runIf(process.platform !== 'win32')("a FIFO named lock does not hang: it is no one's lock and is recovered", async () => {
    execFileSync('mkfifo', [lockPath]);
    const lock = await acquireVaultLock(dir, { corruptGraceMs: 0 });
    expect((await readLock()).pid).toBe(process.pid);
    expect(await readdir(dir)).toEqual(['lock']);
    await lock.release();
  });
});
