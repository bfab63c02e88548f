/**
 * The local anchor (issue #15; docs/vault-format.md, "Local anchor"): what
 * this laptop last saw of a vault — header serial, newest snapshot
 * generation, audit log length and head — kept in the laptop's own state
 * folder, outside the vault folder. Someone who can write to the vault
 * folder but holds no key can put back older files that are consistent with
 * each other (a cut log with an older checkpoint and the older snapshots
 * the vault keeps, an older header.json); nothing inside the folder can tell.
 * The anchor can: at unlock, a vault older than the anchor is VAULT_TAMPERED.
 *
 * Two rules keep a genuine vault from ever looking tampered:
 * - the anchor is written only after what it describes is durable on disk
 *   (after the log's fsync, the snapshot's rename, the header's rename), so
 *   a crash leaves it behind the disk, never ahead of it;
 * - it only ever moves forward, field by field: a session that writes a
 *   log which does not extend the anchored one (a doctor restore on a cut
 *   log) leaves the anchored log as it was. The one way back is an owner's
 *   `lifeboat doctor --accept-rollback`, logged (anchor/accept-rollback.ts).
 *
 * A vault that moved forward (used on another laptop) simply advances it;
 * a vault this laptop never saw creates it. If the state folder cannot be
 * written, the vault opens anyway and the unlock says so once (`note`).
 */
import { LifeboatError } from '../../../shared/errors.js';
import { ZERO_HASH } from '../audit/audit-log.js';
import { headerSerial, type VaultHeader } from '../keys/vault-header.js';
import { AnchorFile, AnchorUnavailable, type AnchorState } from './anchor-file.js';

export type { AnchorState };

/** What the anchor needs of a log: its length and the hash at a length (AuditLog). */
export interface LogView {
  readonly size: number;
  headHash(): string;
  hashAtSize(size: number): string | undefined;
}

/** The vault as found on disk at unlock, after the folder's own checks. */
export interface DiskState {
  headerSerial: number;
  /** The newest snapshot generation of the header's epoch. */
  generation: number;
  /** False for an auditor: the snapshot could not be authenticated, so it is compared, never anchored. */
  generationAuthenticated: boolean;
  log: LogView;
}

/** One way the vault on disk is older than the anchor. */
export type Regression =
  | { kind: 'log-cut'; seen: number; found: number }
  | { kind: 'log-rewritten'; seen: number; found: number }
  | { kind: 'snapshots'; seen: number; found: number }
  | { kind: 'header'; seen: number; found: number };

const NONE_SEEN: AnchorState = { headerSerial: 0, generation: 0, logSize: 0, logHash: ZERO_HASH };

/** Every way `disk` is older than `seen`; [] when it is the same or newer. */
export function regressions(seen: AnchorState, disk: Omit<DiskState, 'generationAuthenticated'>): Regression[] {
  const found: Regression[] = [];
  if (disk.log.size < seen.logSize) {
    found.push({ kind: 'log-cut', seen: seen.logSize, found: disk.log.size });
  } else if (disk.log.hashAtSize(seen.logSize) !== seen.logHash) {
    found.push({ kind: 'log-rewritten', seen: seen.logSize, found: disk.log.size });
  }
  if (disk.generation < seen.generation) {
    found.push({ kind: 'snapshots', seen: seen.generation, found: disk.generation });
  }
  if (disk.headerSerial < seen.headerSerial) {
    found.push({ kind: 'header', seen: seen.headerSerial, found: disk.headerSerial });
  }
  return found;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One clause per regression, in words ("audit.log has 7 records, 3 fewer than the 10 seen here"). */
export function describeRegression(r: Regression): string {
  switch (r.kind) {
    case 'log-cut':
      return `audit.log has ${plural(r.found, 'record')}, ${r.seen - r.found} fewer than the ${r.seen} seen here`;
    case 'log-rewritten':
      return `audit.log's record ${r.seen} is not the one seen here`;
    case 'snapshots':
      return `the newest snapshot is generation ${r.found}, ${r.seen - r.found} older than the ${r.seen} seen here`;
    case 'header':
      return `header.json is serial ${r.found}, ${r.seen - r.found} older than the ${r.seen} seen here`;
  }
}

export function describeRegressions(list: readonly Regression[]): string {
  return list.map(describeRegression).join('; ');
}

/** The refusal: what went backwards, by how much, and what to do (one line, under 400 characters). */
export function rollbackError(list: readonly Regression[]): LifeboatError {
  return new LifeboatError(
    'VAULT_TAMPERED',
    `This vault is older than this laptop last saw it: ${describeRegressions(list)}. ` +
      'Keep this copy (what was opened or revealed may have been erased) and run `lifeboat doctor`; ' +
      'an owner who restored a backup on purpose accepts it with `lifeboat doctor --as OWNER --accept-rollback`.',
  );
}

/** The `vault.rollback-accepted` event's details: the anchored and found figures of what went backwards. */
export function rollbackDetails(
  seen: AnchorState,
  disk: Omit<DiskState, 'generationAuthenticated'>,
  list: readonly Regression[],
): Record<string, string | number> {
  return {
    wentBackwards: describeRegressions(list),
    anchoredRecords: seen.logSize,
    records: disk.log.size,
    anchoredGeneration: seen.generation,
    generation: disk.generation,
    anchoredHeaderSerial: seen.headerSerial,
    headerSerial: disk.headerSerial,
  };
}

export interface AnchorUpdate {
  headerSerial?: number;
  generation?: number;
  log?: LogView;
}

export class LocalAnchor {
  private failure: string | null = null;

  private constructor(
    private file: AnchorFile | null,
    private state: AnchorState | null,
  ) {}

  /**
   * The vault's anchor in `stateDir`, created if this laptop never saw the
   * vault. Never throws: when the state folder cannot be used the anchor is
   * null and `note` says why, once, for the person unlocking.
   */
  static open(stateDir: string, vaultId: string): { anchor: LocalAnchor | null; note: string | null } {
    try {
      const { file, state, damaged } = AnchorFile.open(stateDir, vaultId);
      const note = damaged ? `This laptop's record of the vault (${file.path}) was unreadable and has been started afresh.` : null;
      return { anchor: new LocalAnchor(file, state), note };
    } catch (error) {
      const why = error instanceof AnchorUnavailable ? error.message : String(error);
      return { anchor: null, note: unavailableNote(why) };
    }
  }

  /** What this laptop saw (null: never saw this vault). */
  get seen(): AnchorState | null {
    return this.state;
  }

  /** Set when a write failed after the unlock: the anchor stopped following the vault. */
  get note(): string | null {
    return this.failure;
  }

  /**
   * Moves the anchor forward to what was just made durable, field by field:
   * a larger serial or generation, a log that extends the anchored one.
   * Anything older, or a log that does not extend it, leaves that field as
   * it was. Written before it returns, when anything moved; flushed to disk
   * at once (`flush: 'now'`) or within a second (anchor-file.ts). A failing
   * write does not fail the caller's operation (that is on disk already):
   * the anchor stops, and `note` says so.
   */
  async advance(update: AnchorUpdate, flush: 'now' | 'soon' = 'soon'): Promise<void> {
    if (!this.file) {
      return;
    }
    const seen = this.state ?? NONE_SEEN;
    const next = { ...seen };
    if (update.headerSerial !== undefined && update.headerSerial > seen.headerSerial) {
      next.headerSerial = update.headerSerial;
    }
    if (update.generation !== undefined && update.generation > seen.generation) {
      next.generation = update.generation;
    }
    const log = update.log;
    if (log && log.size > seen.logSize && log.hashAtSize(seen.logSize) === seen.logHash) {
      next.logSize = log.size;
      next.logHash = log.headHash();
    }
    const moved = next.headerSerial !== seen.headerSerial || next.generation !== seen.generation || next.logSize !== seen.logSize;
    if (moved || this.state === null) {
      await this.store(next, flush);
    }
  }

  /** Makes the anchor exactly `state`, backwards included: an owner's accepted rollback only. */
  async reset(state: AnchorState): Promise<void> {
    await this.store(state, 'now');
  }

  private async store(state: AnchorState, flush: 'now' | 'soon'): Promise<void> {
    const file = this.file;
    if (!file) {
      return;
    }
    // Taken before the write (queued behind any under way): a caller right after this one builds on it.
    this.state = state;
    try {
      await file.store(state, flush);
    } catch (error) {
      this.failure = unavailableNote(error instanceof AnchorUnavailable ? error.message : String(error));
      await this.close();
    }
  }

  /** Waits for the last write's flush and closes the file; the anchor writes nothing more. */
  async close(): Promise<void> {
    const file = this.file;
    this.file = null;
    await file?.close();
  }
}

function unavailableNote(why: string): string {
  return (
    `This laptop cannot keep its record of the vault (${why}), so the vault was opened without the local anchor: ` +
    'a rollback of the vault folder to older files would not be noticed here. Set LIFEBOAT_STATE_DIR to a writable folder.'
  );
}

/** The anchor's part of an unlock: opened, compared with the disk, advanced. */
export interface AnchorAtUnlock {
  anchor: LocalAnchor | null;
  note: string | null;
  /** What went backwards, when an owner accepts it (doctor --accept-rollback); [] otherwise. */
  accepted: Regression[];
  /** The anchored state those regressions were measured from. */
  seen: AnchorState | null;
}

/**
 * At unlock, after the vault folder's own checks: refuses a vault older than
 * this laptop's anchor (VAULT_TAMPERED), unless `accept` (then the caller
 * logs the acceptance and resets the anchor); otherwise moves the anchor
 * forward to the disk. Nothing is written when it refuses.
 */
export async function checkAtUnlock(stateDir: string, vaultId: string, disk: DiskState, accept: boolean): Promise<AnchorAtUnlock> {
  const { anchor, note } = LocalAnchor.open(stateDir, vaultId);
  const seen = anchor?.seen ?? null;
  const found = seen ? regressions(seen, disk) : [];
  if (found.length > 0) {
    if (!accept) {
      await anchor?.close();
      throw rollbackError(found);
    }
    return { anchor, note, accepted: found, seen };
  }
  await anchor?.advance({ headerSerial: disk.headerSerial, log: disk.log, ...(disk.generationAuthenticated ? { generation: disk.generation } : {}) });
  return { anchor, note, accepted: [], seen };
}

/** What a session holds that the anchor follows (SessionState, structurally). */
export interface AnchoredSession {
  anchor?: LocalAnchor | null;
  header: Pick<VaultHeader, 'serial' | 'keyEpoch'>;
  keys: { epoch: number; content: Uint8Array | null };
  generation: number;
  log: LogView;
}

/**
 * After a durable write of a session (a snapshot, the header): what is now
 * on disk becomes what this laptop saw. A snapshot written under keys of an
 * epoch the header does not name yet (a rekey's first) is not committed
 * until the header write, so its generation waits for that. Only a full
 * member's generation counts: an auditor never authenticated one.
 */
export async function anchorSession(state: AnchoredSession): Promise<void> {
  const committed = state.keys.content !== null && state.keys.epoch === state.header.keyEpoch;
  // Snapshots and header writes are rare and already several fsyncs: flushed at once.
  await state.anchor?.advance({ headerSerial: headerSerial(state.header), log: state.log, ...(committed ? { generation: state.generation } : {}) }, 'now');
}
