/**
 * One writer process per vault: `vaultDir/lock` holds {pid, hostname,
 * startedAt, nonce, bootId} of the process that has the vault open
 * (docs/vault-format.md, "Lock file").
 *
 * Creating the lock is exclusive and atomic: the JSON is written to a temp
 * file first and then hard-linked to `lock` (link fails if `lock` exists), so
 * no other process ever sees a half-written lock from a live writer. Where the
 * file system has no hard links (FAT/exFAT), `lock` is created with 'wx' and
 * written in one call instead.
 *
 * A lock left by a process that is gone (its pid no longer exists on this
 * host, the host has rebooted since: another boot id, or it names pid 1,
 * which is never a Lifeboat process that could be holding it) or that is
 * empty, corrupt or not a regular file (a crash mid-write, or planted) is recovered:
 * one process at a time (the `.lock.recovering` guard, created exclusively)
 * reads it again, removes it only if it is still the very file judged stale,
 * and retries the exclusive create once. Two processes recovering the same
 * stale lock cannot both win: the loser finds the guard taken, or finds a
 * fresh lock in its place, or fails its create (EEXIST) → VAULT_BUSY.
 *
 * A lock naming another host cannot be checked from here: it stays until
 * someone who knows that host is done with the vault passes `breakLock`
 * (the CLI's --break-lock), which the unlock then records in the audit log.
 * A live process on this host is never broken.
 *
 * The lock is advisory and only protects against Lifeboat itself; it needs no
 * fsync, because it matters only while its owner runs: after a power cut any
 * leftover lock names a dead process (or is empty) and is recovered.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LifeboatError } from '../../../shared/errors.js';
import { errnoCode, nodeFileSystem, tempPathFor, vaultIoError, VAULT_FILE_MODE, type FileHandleLike, type FileSystem } from './atomic-file.js';

export const LOCK_FILE_NAME = 'lock';

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** 16 random bytes, hex: tells two locks of one pid and second apart. Absent in older locks. */
  nonce?: string;
  /** The kernel's boot id where it has one (Linux): a lock of an earlier boot is stale. */
  bootId?: string;
}

export interface VaultLock {
  /** Absolute or relative path of the lock file, as derived from the vault folder. */
  readonly path: string;
  readonly owner: LockOwner;
  /** The lock that `breakLock` removed to take this one, to be logged; null if none was broken. */
  readonly broken: LockOwner | null;
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): Promise<void>;
}

export interface VaultLockOptions {
  fs?: FileSystem;
  /**
   * How long to wait before re-reading an empty or corrupt lock, in case its
   * writer is between create and write (only possible without hard links).
   */
  corruptGraceMs?: number;
  /**
   * Take the vault even if its lock names another host (or a process this
   * host cannot see): for a lock left by a computer that is gone. Never
   * breaks a live process on this host. The caller logs it.
   */
  breakLock?: boolean;
  /** This boot's id; read from the kernel unless given (tests). */
  bootId?: string | null;
}

const DEFAULT_CORRUPT_GRACE_MS = 100;

function encodeOwner(owner: LockOwner): Uint8Array {
  return Buffer.from(`${JSON.stringify(owner)}\n`, 'utf8');
}

/** The owner a lock file names, or null if it is empty, truncated or not ours. */
export function parseLockOwner(bytes: Uint8Array): LockOwner | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const { pid, hostname, startedAt, nonce, bootId } = value as Record<string, unknown>;
  // A pid of 0 or below would make process.kill address a process group.
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
    return null;
  }
  if (typeof hostname !== 'string' || hostname.length === 0 || typeof startedAt !== 'string') {
    return null;
  }
  return {
    pid,
    hostname,
    startedAt,
    ...(typeof nonce === 'string' ? { nonce } : {}),
    ...(typeof bootId === 'string' ? { bootId } : {}),
  };
}

const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';
let cachedBootId: string | null | undefined;

/** The kernel's id of this boot (Linux), or null where there is none. */
export function currentBootId(): string | null {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync(BOOT_ID_FILE, 'utf8').trim() || null;
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId;
}

/** True if a process with this pid exists on this host (EPERM: it exists, it just isn't ours). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // Anything but "no such process" is treated as alive: refusing is safe, stealing is not.
    return errnoCode(error) !== 'ESRCH';
  }
}

type LockState = { kind: 'missing' } | { kind: 'live'; owner: LockOwner; raw: Uint8Array } | { kind: 'stale'; raw: Uint8Array; corrupt: boolean };

function judge(raw: Uint8Array, bootId: string | null): LockState {
  const owner = parseLockOwner(raw);
  if (owner === null) {
    return { kind: 'stale', raw, corrupt: true };
  }
  // A process on another computer (shared or removable folder) cannot be checked.
  if (owner.hostname !== osHostname()) {
    return { kind: 'live', owner, raw };
  }
  // Written before this host last booted: every process of that boot is gone.
  if (bootId !== null && owner.bootId !== undefined && owner.bootId !== bootId) {
    return { kind: 'stale', raw, corrupt: false };
  }
  // pid 1 is the init process (or a container's entry point): alive for ever, never a vault holder,
  // unless this very process is pid 1 (then the lock is ours, and live).
  if (owner.pid === 1 && process.pid !== 1) {
    return { kind: 'stale', raw, corrupt: false };
  }
  if (isProcessAlive(owner.pid)) {
    return { kind: 'live', owner, raw };
  }
  return { kind: 'stale', raw, corrupt: false };
}

async function readRaw(fs: FileSystem, lockPath: string): Promise<Uint8Array | null> {
  try {
    return await fs.readFile(lockPath);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      return null;
    }
    // A FIFO, link or folder named `lock` is no one's lock: read as empty, it is recovered like a corrupt one.
    if (error instanceof LifeboatError && error.code === 'VAULT_TAMPERED') {
      return new Uint8Array(0);
    }
    // Not "corrupt": a lock we may not read may well belong to another user's live process.
    throw vaultIoError('Could not read the lock file', lockPath, error);
  }
}

async function readLockState(fs: FileSystem, lockPath: string, graceMs: number, bootId: string | null): Promise<LockState> {
  const raw = await readRaw(fs, lockPath);
  if (raw === null) {
    return { kind: 'missing' };
  }
  const state = judge(raw, bootId);
  if (state.kind !== 'stale' || !state.corrupt || graceMs <= 0) {
    return state;
  }
  // Empty or corrupt: give a writer that is mid-write a moment, then look again.
  await sleep(graceMs);
  const again = await readRaw(fs, lockPath);
  return again === null ? { kind: 'missing' } : judge(again, bootId);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

function createError(vaultDir: string, lockPath: string, error: unknown): LifeboatError {
  if (errnoCode(error) === 'ENOENT') {
    return new LifeboatError('VAULT_NOT_FOUND', `There is no vault folder at ${vaultDir}.`, { cause: error });
  }
  return vaultIoError('Could not create the lock file', lockPath, error);
}

async function unlinkQuietly(fs: FileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Best effort.
  }
}

async function writeSmallFile(handle: FileHandleLike, bytes: Uint8Array): Promise<void> {
  try {
    // Lock content is tiny: one write call, checked for being complete.
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length, null);
    if (bytesWritten !== bytes.length) {
      throw Object.assign(new Error('short write'), { code: 'EIO' });
    }
  } finally {
    await handle.close();
  }
}

/** Creates the lock file with `raw` as its content; false if a lock already exists. */
async function createLockFile(fs: FileSystem, vaultDir: string, lockPath: string, raw: Uint8Array): Promise<boolean> {
  const temp = tempPathFor(lockPath);
  let tempHandle: FileHandleLike;
  try {
    tempHandle = await fs.open(temp, 'wx', VAULT_FILE_MODE);
  } catch (error) {
    throw createError(vaultDir, lockPath, error);
  }
  try {
    await writeSmallFile(tempHandle, raw);
  } catch (error) {
    await unlinkQuietly(fs, temp);
    throw createError(vaultDir, lockPath, error);
  }
  try {
    await fs.link(temp, lockPath);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') {
      return false;
    }
    // Anything else: fall through to the direct exclusive create, which
    // reports its own error if the folder really cannot be written.
  } finally {
    await unlinkQuietly(fs, temp);
  }

  // No hard links here (FAT, exFAT, some network shares): exclusive create directly.
  let handle: FileHandleLike;
  try {
    handle = await fs.open(lockPath, 'wx', VAULT_FILE_MODE);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') {
      return false;
    }
    throw createError(vaultDir, lockPath, error);
  }
  try {
    await writeSmallFile(handle, raw);
  } catch (error) {
    await unlinkQuietly(fs, lockPath);
    throw createError(vaultDir, lockPath, error);
  }
  return true;
}

/**
 * Removes the stale lock whose content is `staleRaw`, without ever removing a
 * lock someone created after we looked. Returns null when removed (or already
 * gone), or the state of what stands there instead (a fresh lock; "missing"
 * while another process is removing it).
 */
async function removeStaleLock(fs: FileSystem, lockPath: string, staleRaw: Uint8Array, bootId: string | null): Promise<LockState | null> {
  // One remover at a time, so a stale lock is read and removed with nothing in between: the earlier
  // way (rename it aside, compare, put it back if it was fresh) left `lock` absent for a moment, and a
  // third process could create its lock then, only to have the put-back replace it: two holders.
  const guard = join(dirname(lockPath), RECOVERY_GUARD);
  if (!(await takeRecoveryGuard(fs, guard))) {
    return { kind: 'missing' };
  }
  try {
    return await removeStaleLockGuarded(fs, lockPath, staleRaw, bootId);
  } finally {
    await unlinkQuietly(fs, guard);
  }
}

/** The name of the file that says a stale lock is being removed (it holds the remover's pid). */
const RECOVERY_GUARD = `.${LOCK_FILE_NAME}.recovering`;

/**
 * Creates the guard, or returns false when another process holds it. A guard
 * left by a process that died mid-removal (its pid gone) is removed, and
 * this attempt still yields: the next one takes it.
 */
async function takeRecoveryGuard(fs: FileSystem, guard: string): Promise<boolean> {
  let created = false;
  try {
    const handle = await fs.open(guard, 'wx', VAULT_FILE_MODE);
    created = true;
    await writeSmallFile(handle, new TextEncoder().encode(String(process.pid)));
    return true;
  } catch (error) {
    if (created || errnoCode(error) !== 'EEXIST') {
      if (created) {
        await unlinkQuietly(fs, guard);
      }
      throw vaultIoError('Could not recover the stale lock file', guard, error);
    }
    const holder = Number(new TextDecoder().decode((await fs.readFile(guard).catch(() => null)) ?? new Uint8Array(0)));
    if (Number.isSafeInteger(holder) && holder > 0 && !isProcessAlive(holder)) {
      await unlinkQuietly(fs, guard);
    }
    return false;
  }
}

async function removeStaleLockGuarded(fs: FileSystem, lockPath: string, staleRaw: Uint8Array, bootId: string | null): Promise<LockState | null> {
  // Under the guard nothing else removes `lock`, and nothing can replace it while it exists (locks
  // are only ever created, never written over), so the file read here is the file unlinked below.
  let current: Uint8Array | null;
  try {
    current = await readRaw(fs, lockPath);
  } catch (error) {
    throw vaultIoError('Could not read the lock file', lockPath, error);
  }
  if (current === null) {
    return null;
  }
  if (!sameBytes(current, staleRaw)) {
    // Another process recovered the stale lock and took the vault since we looked: that lock is theirs.
    return judge(current, bootId);
  }
  try {
    await fs.unlink(lockPath);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') {
      throw vaultIoError('Could not remove the stale lock file', lockPath, error);
    }
  }
  return null;
}

function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, '?').slice(0, 80);
}

function busyError(state: LockState | null, lockPath: string): LifeboatError {
  if (state?.kind !== 'live') {
    return new LifeboatError('VAULT_BUSY', 'The vault is being opened by another process; try again in a moment.');
  }
  const { pid, hostname } = state.owner;
  if (hostname === osHostname()) {
    return new LifeboatError('VAULT_BUSY', `The vault is open in another process (pid ${pid}).`);
  }
  const host = printable(hostname);
  return new LifeboatError(
    'VAULT_BUSY',
    `The vault is open in another process (pid ${pid} on host ${host}). If ${host} is no longer using it, run the command again with --break-lock (it is logged), or delete ${lockPath}.`,
  );
}

class HeldVaultLock implements VaultLock {
  private releasing: Promise<void> | undefined;

  constructor(
    readonly path: string,
    readonly owner: LockOwner,
    private readonly raw: Uint8Array,
    private readonly fs: FileSystem,
    readonly broken: LockOwner | null,
  ) {}

  release(): Promise<void> {
    // One release at a time: a second unlink could otherwise hit a newer owner's lock.
    this.releasing ??= this.removeIfOurs().catch((error: unknown) => {
      this.releasing = undefined;
      throw error;
    });
    return this.releasing;
  }

  private async removeIfOurs(): Promise<void> {
    const current = await readRaw(this.fs, this.path);
    if (current === null || !sameBytes(current, this.raw)) {
      return; // Gone, or someone else's now: not ours to remove.
    }
    try {
      await this.fs.unlink(this.path);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') {
        throw vaultIoError('Could not remove the lock file', this.path, error);
      }
    }
  }
}

/**
 * Takes the vault's writer lock for this process, recovering a stale one.
 * Throws VAULT_BUSY if another live process holds it, VAULT_NOT_FOUND if the
 * folder does not exist, VAULT_IO if the folder cannot be written.
 */
export async function acquireVaultLock(vaultDir: string, options: VaultLockOptions = {}): Promise<VaultLock> {
  const fs = options.fs ?? nodeFileSystem;
  const graceMs = options.corruptGraceMs ?? DEFAULT_CORRUPT_GRACE_MS;
  const bootId = options.bootId === undefined ? currentBootId() : options.bootId;
  const lockPath = join(vaultDir, LOCK_FILE_NAME);
  const owner: LockOwner = {
    pid: process.pid,
    hostname: osHostname(),
    startedAt: new Date().toISOString(),
    nonce: randomBytes(16).toString('hex'),
    ...(bootId === null ? {} : { bootId }),
  };
  const raw = encodeOwner(owner);
  let broken: LockOwner | null = null;

  // First try, then at most one retry after recovering a stale (or breaking a foreign) lock.
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (await createLockFile(fs, vaultDir, lockPath, raw)) {
      return new HeldVaultLock(lockPath, owner, raw, fs, broken);
    }
    const state = await readLockState(fs, lockPath, graceMs, bootId);
    if (attempt === 2 || (state.kind === 'live' && !(options.breakLock && mayBreak(state.owner, bootId)))) {
      throw busyError(state, lockPath);
    }
    if (state.kind !== 'missing') {
      const putBackState = await removeStaleLock(fs, lockPath, state.raw, bootId);
      if (putBackState !== null) {
        throw busyError(putBackState, lockPath);
      }
      broken = state.kind === 'live' ? state.owner : null;
    }
  }
  throw busyError(null, lockPath);
}

/** --break-lock takes a lock this host cannot check (another host); a live process here is never broken. */
function mayBreak(owner: LockOwner, bootId: string | null): boolean {
  return owner.hostname !== osHostname() || (bootId !== null && owner.bootId !== undefined && owner.bootId !== bootId);
}

/** True if the vault's lock names a live process other than this one (or one on another host). */
export async function isLockedByOtherProcess(vaultDir: string, options: VaultLockOptions = {}): Promise<boolean> {
  const fs = options.fs ?? nodeFileSystem;
  const bootId = options.bootId === undefined ? currentBootId() : options.bootId;
  const state = await readLockState(fs, join(vaultDir, LOCK_FILE_NAME), options.corruptGraceMs ?? DEFAULT_CORRUPT_GRACE_MS, bootId);
  if (state.kind !== 'live') {
    return false;
  }
  return !(state.owner.pid === process.pid && state.owner.hostname === osHostname());
}
