/**
 * The anchor file: `<state dir>/anchors/<vault id>.anchor`, 1,024 bytes,
 * two slots of 512 (docs/vault-format.md, "Local anchor"). Each slot is one
 * line of canonical JSON padded with spaces:
 *
 *   {"check":"32 hex","generation":N,"headerSerial":N,"logHash":"64 hex","logSize":N,"v":1,"vaultId":"32 hex","write":N}
 *
 * `write` counts the writes of the file; write w goes to slot w mod 2, in
 * place, followed by fdatasync. A write torn by a power cut spoils only the
 * slot it was writing, and the other slot still holds the previous state:
 * the anchor falls behind the disk, never ahead of it. `check` (the first 16
 * bytes of SHA-256 of the slot's canonical JSON without `check`, in hex)
 * tells a torn slot from a whole one. A reader takes the valid slot with the
 * highest `write`.
 *
 * The file is kept open for as long as a session is: an update is one
 * pwrite, no open, rename or folder fsync. The pwrite is made before the
 * caller goes on: once it returns the kernel holds the slot, and the process
 * dying (the app killed after a reveal) cannot undo it. Making it durable
 * against a power cut takes an fdatasync, a second flush of the disk per
 * audit append, which more than doubled an append's time on a busy disk
 * (bench/README.md, "Local anchor"); so an append's write is flushed within
 * FLUSH_AFTER_MS, one flush for however many writes came meanwhile, while a
 * snapshot's or header's (rare, and already several fsyncs) and closing the
 * file flush at once. A power cut before the flush can only lose the newest
 * slots: the anchor is then behind the disk, never ahead of it (every write
 * describes what was already durable when it was made), and at worst both
 * slots are torn and the anchor starts afresh, said once.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fdatasync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import { errnoCode } from '../storage/io-errors.js';
import { O_NOFOLLOW, O_NONBLOCK } from '../storage/open-flags.js';

export const ANCHORS_DIR = 'anchors';
const SLOT_BYTES = 512;
const SLOTS = 2;
const STATE_DIR_MODE = 0o700;
/** How long an append's anchor write may wait for its fdatasync (coalesced with the writes after it). */
export const FLUSH_AFTER_MS = 1_000;
const ANCHOR_FILE_MODE = 0o600;
const HEX64 = /^[0-9a-f]{64}$/;
const VAULT_ID = /^[0-9a-f]{32}$/;

/** What this laptop last saw of a vault. */
export interface AnchorState {
  /** header.json's `serial` (keys/vault-header.ts headerSerial). */
  headerSerial: number;
  /** The newest committed snapshot generation (0: none seen yet). */
  generation: number;
  /** Records in audit.log. */
  logSize: number;
  /** Hex BLAKE2b-256 of record logSize − 1 (AuditLog.headHash; 64 zeros for an empty log). */
  logHash: string;
}

export function anchorPath(stateDir: string, vaultId: string): string {
  return join(stateDir, ANCHORS_DIR, `${vaultId}.anchor`);
}

function checkOf(fields: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex').slice(0, 32);
}

export function encodeSlot(vaultId: string, write: number, state: AnchorState): Buffer {
  const fields = { v: 1, vaultId, write, ...state };
  const line = canonicalJson({ ...fields, check: checkOf(fields) });
  const slot = Buffer.alloc(SLOT_BYTES, 0x20);
  slot.write(line, 0, 'utf8');
  slot[SLOT_BYTES - 1] = 0x0a;
  return slot;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The slot's state and write number, or null when it is empty, torn or not this vault's. */
export function decodeSlot(slot: Uint8Array, vaultId: string): { write: number; state: AnchorState } | null {
  const text = Buffer.from(slot)
    .toString('utf8')
    .replace(/[\s\0]+$/, '');
  if (text === '') {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return null;
  }
  const { check, ...fields } = value as Record<string, unknown>;
  const { v, vaultId: id, write, headerSerial, generation, logSize, logHash } = fields;
  const wellFormed =
    v === 1 &&
    id === vaultId &&
    Number.isSafeInteger(write) &&
    (write as number) > 0 &&
    isCount(headerSerial) &&
    isCount(generation) &&
    isCount(logSize) &&
    typeof logHash === 'string' &&
    HEX64.test(logHash) &&
    Object.keys(fields).length === 7;
  if (!wellFormed || check !== checkOf(fields)) {
    return null;
  }
  return { write: write as number, state: { headerSerial, generation, logSize, logHash } };
}

/** Why the anchor file cannot be used: a sentence fragment for the note the unlock shows. */
export class AnchorUnavailable extends Error {}

function describeFailure(path: string, error: unknown): string {
  const code = errnoCode(error);
  const why =
    code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
      ? 'it is read-only or not writable'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'the disk is full'
        : code === 'ELOOP' || code === 'EMLINK'
          ? 'a symbolic link is in its place'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'something that is not a folder is in its path'
            : `the file system reported ${code ?? 'an unexpected error'}`;
  return `${path}: ${why}`;
}

/** fsync of a folder, where the platform allows it (not Windows). */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY);
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EISDIR, EPERM, EINVAL: no folder fsync on this platform; nothing more durable to do.
  } finally {
    closeSync(fd);
  }
}

const READ_WRITE = constants.O_RDWR | O_NOFOLLOW | O_NONBLOCK;
const CREATE = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;

/** Opens without following a link, and only a regular file (as vault files are: storage/vault-files.ts). */
function openAnchorFd(path: string, flags: number, mode?: number): number {
  const fd = openSync(path, flags, mode);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new AnchorUnavailable(`${path}: something that is not a regular file is in its place`);
  }
  return fd;
}

export class AnchorFile {
  private closed = false;
  /** The last fdatasync, in flight or done; never rejects (a failure is kept in `flushFailure`). */
  private flushed: Promise<void> = Promise.resolve();
  private flushFailure: unknown = null;
  /** Writes one at a time, in call order. */
  private writing: Promise<unknown> = Promise.resolve();
  /** A write not yet flushed, and the timer that will flush it. */
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly fd: number,
    readonly path: string,
    private readonly vaultId: string,
    private write: number,
  ) {}

  /**
   * Opens the vault's anchor file for reading and writing, creating the
   * state folders (0700) and the file (0600) when missing. Returns the state
   * it holds (null: none yet, or no whole slot; `damaged` when the file had
   * bytes but no whole slot of this vault). Throws AnchorUnavailable, saying
   * why, when the file cannot be used.
   */
  static open(stateDir: string, vaultId: string): { file: AnchorFile; state: AnchorState | null; damaged: boolean } {
    if (!VAULT_ID.test(vaultId)) {
      throw new AnchorUnavailable(`the vault id ${JSON.stringify(vaultId)} cannot name a file`);
    }
    const folder = join(stateDir, ANCHORS_DIR);
    const path = anchorPath(stateDir, vaultId);
    let fd: number;
    try {
      mkdirSync(folder, { recursive: true, mode: STATE_DIR_MODE });
      try {
        fd = openAnchorFd(path, READ_WRITE);
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') {
          throw error;
        }
        fd = openAnchorFd(path, CREATE, ANCHOR_FILE_MODE);
        // The name must survive a crash as well as the bytes written into it later.
        syncFolder(folder);
      }
    } catch (error) {
      if (error instanceof AnchorUnavailable) {
        throw error;
      }
      throw new AnchorUnavailable(describeFailure(path, error));
    }
    try {
      const { newest, empty } = readSlots(fd, vaultId);
      return { file: new AnchorFile(fd, path, vaultId, newest?.write ?? 0), state: newest?.state ?? null, damaged: !newest && !empty };
    } catch (error) {
      closeSync(fd);
      throw new AnchorUnavailable(describeFailure(path, error));
    }
  }

  /** Reads the vault's anchor without creating anything (doctor, no key): null when there is none. */
  static peek(stateDir: string, vaultId: string): AnchorState | null {
    if (!VAULT_ID.test(vaultId)) {
      return null;
    }
    let fd: number;
    try {
      fd = openAnchorFd(anchorPath(stateDir, vaultId), constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch {
      return null;
    }
    try {
      return readSlots(fd, vaultId).newest?.state ?? null;
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Writes `state` into the slot that does not hold the newest one. The
   * pwrite is synchronous on purpose: it is in the kernel before the caller
   * goes on (an open or a reveal is shown only after this), without a trip
   * through libuv's thread pool. `flush`: 'now' waits for an fdatasync;
   * 'soon' leaves it to one within FLUSH_AFTER_MS.
   */
  store(state: AnchorState, flush: 'now' | 'soon'): Promise<void> {
    const run = this.writing.then(() => this.storeNow(state, flush));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async storeNow(state: AnchorState, flush: 'now' | 'soon'): Promise<void> {
    if (this.closed) {
      return;
    }
    this.throwIfFlushFailed();
    const write = this.write + 1;
    const slot = encodeSlot(this.vaultId, write, state);
    try {
      let offset = 0;
      while (offset < SLOT_BYTES) {
        const written = writeSync(this.fd, slot, offset, SLOT_BYTES - offset, (write % SLOTS) * SLOT_BYTES + offset);
        if (written <= 0) {
          throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        }
        offset += written;
      }
    } catch (error) {
      throw new AnchorUnavailable(describeFailure(this.path, error));
    }
    this.write = write;
    this.dirty = true;
    if (flush === 'now') {
      await this.flush();
      this.throwIfFlushFailed();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, FLUSH_AFTER_MS).unref();
    }
  }

  /** A flush that failed (in the background, or just now) stops the anchor. */
  private throwIfFlushFailed(): void {
    if (this.flushFailure !== null) {
      throw new AnchorUnavailable(describeFailure(this.path, this.flushFailure));
    }
  }

  /** One fdatasync for every write since the last one (none if nothing was written). */
  private flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) {
      return this.flushed;
    }
    this.dirty = false;
    const previous = this.flushed;
    this.flushed = previous.then(
      () =>
        new Promise((resolve) => {
          fdatasync(this.fd, (error) => {
            if (error) {
              this.flushFailure = error;
            }
            resolve();
          });
        }),
    );
    return this.flushed;
  }

  /** Waits for the writes under way, flushes them, then closes the file. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.writing;
      await this.flush();
      closeSync(this.fd);
    }
  }
}

function readSlots(fd: number, vaultId: string): { newest: { write: number; state: AnchorState } | null; empty: boolean } {
  const bytes = Buffer.alloc(SLOT_BYTES * SLOTS);
  let read = 0;
  while (read < bytes.length) {
    const got = readSync(fd, bytes, read, bytes.length - read, read);
    if (got === 0) {
      break;
    }
    read += got;
  }
  let newest: { write: number; state: AnchorState } | null = null;
  for (let index = 0; index < SLOTS; index += 1) {
    const slot = decodeSlot(bytes.subarray(index * SLOT_BYTES, (index + 1) * SLOT_BYTES), vaultId);
    if (slot && (!newest || slot.write > newest.write)) {
      newest = slot;
    }
  }
  return { newest, empty: bytes.subarray(0, read).every((byte) => byte === 0 || byte === 0x20 || byte === 0x0a) };
}
