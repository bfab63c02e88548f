/**
 * An unlocked vault: the one object through which the CLI, the IPC handlers
 * and tests read and change a vault. It holds the process lock, the keys and
 * the database for as long as it is open; lock() zeroes the keys.
 *
 * Ordering rules (docs/vault-format.md, "Write ordering"):
 * - an open or reveal is appended (fsynced) to the audit log before any
 *   content leaves the engine; if the append fails, nothing is shown;
 * - a change is logged, then committed as a new snapshot that seals the log
 *   head, so a truncated or rolled-back log is caught at the next unlock.
 */
import { LifeboatError } from '../../shared/errors.js';
import { can, type Permission } from '../../shared/permissions.js';
import type { Member } from '../../shared/records.js';
import type { AuditEvent } from './audit/audit-log.js';
import type { Sodium } from './keys/crypto-runtime.js';
import { zeroEpochKeys } from './keys/epoch-keys.js';
import { vaultFingerprint } from './keys/vault-fingerprint.js';
import type { RecordStore } from './records/record-store.js';
import { BLOCK_BYTES, chainAfter, planSave } from './storage/snapshot-chain.js';
import {
  encryptDeltaSnapshot,
  encryptSnapshot,
  newSnapshotId,
  snapshotFileName,
  writeSnapshot,
  type KnownSnapshot,
  type SnapshotMeta,
} from './storage/snapshot-file.js';
import { headerHash, headerSerial, type VaultHeader } from './keys/vault-header.js';
import { writeCheckpointFor } from './audit/checkpoint.js';
import type { SessionState } from './session-state.js';
import { anchorSession } from './anchor/local-anchor.js';

export type { SessionState };

/** Appended to a failed save's sentence: the session was closed without saving (commit). */
export const UNSAVED_LOCK_NOTE = 'The vault was locked without saving, so nothing half-done lingers: unlock it again.';

export class VaultSession {
  private closed = false;

  constructor(private readonly state: SessionState) {
    // Every append, once fsynced, moves this laptop's anchor before it returns (docs/vault-format.md, "Local anchor").
    const anchor = state.anchor;
    if (anchor) {
      state.log.follow((log) => anchor.advance({ log }));
    }
  }

  get member(): Member {
    return this.state.member;
  }

  get vaultId(): string {
    return this.state.header.vaultId;
  }

  get header(): VaultHeader {
    return this.state.header;
  }

  get insecureFastKdf(): boolean {
    return this.state.header.insecureFastKdf;
  }

  /** A note for the person about the folder (a file system without permissions), once; else null. */
  get folderNote(): string | null {
    return this.state.folderNote ?? null;
  }

  /** A note for the person about this laptop's anchor (it cannot be kept, or was started afresh); else null. */
  get anchorNote(): string | null {
    return this.state.anchor?.note ?? this.state.anchorNote ?? null;
  }

  /** What went backwards, when this unlock accepted a rollback (doctor --accept-rollback); else null. */
  get rollbackAccepted(): string | null {
    return this.state.rollbackAccepted ?? null;
  }

  get failedAttemptsBefore(): number {
    return this.state.failedAttemptsBefore;
  }

  /** The vault folder this session holds. */
  get dir(): string {
    return this.state.dir;
  }

  /** libsodium, loaded (hashing and random ids for callers); holds no key. */
  get sodium(): Sodium {
    return this.state.sodium;
  }

  /** What people compare to tell this vault from a swapped one (keys/vault-fingerprint.ts). */
  get fingerprint(): string {
    return vaultFingerprint(this.state.sodium, this.state.header);
  }

  /** A full member holds this epoch's signing key: they log, save and sign; an auditor only reads. */
  get canSign(): boolean {
    return !this.closed && this.state.keys.signingSecret !== null;
  }

  /**
   * Signs a document with this epoch's audit signing key (Ed25519, detached),
   * for what leaves the vault and must be verifiable without it (evidence
   * reports). The caller builds the exact bytes; full members only.
   */
  signDetached(message: Uint8Array, refusal: string): { epoch: number; signature: Uint8Array } {
    this.assertOpen();
    const { sodium, keys } = this.state;
    if (!keys.signingSecret) {
      throw new LifeboatError('VAULT_FORBIDDEN', refusal);
    }
    return { epoch: keys.epoch, signature: sodium.crypto_sign_detached(message, keys.signingSecret) };
  }

  /** For engine modules (records, members, audit) acting on this session; never called outside electron/vault/. */
  internals(): SessionState {
    this.assertOpen();
    return this.state;
  }

  assertOpen(): void {
    if (this.closed) {
      throw new LifeboatError('VAULT_LOCKED', 'The vault is locked. Unlock it again to continue.');
    }
  }

  require(permission: Permission): void {
    this.assertOpen();
    if (!can(this.state.member.role, permission)) {
      const role = this.state.member.role;
      const article = /^[aeiou]/.test(role) ? 'An' : 'A';
      throw new LifeboatError('VAULT_FORBIDDEN', `${article} ${role} cannot do this (${permission.replace('.', ' ')}).`);
    }
  }

  /** The decrypted database; auditors never have one. */
  store(): RecordStore {
    this.assertOpen();
    const store = this.state.store;
    if (!store) {
      throw new LifeboatError('VAULT_FORBIDDEN', 'An auditor cannot read or change vault content.');
    }
    return store;
  }

  members(): Member[] {
    this.assertOpen();
    return this.state.header.slots.map((slot) => ({ name: slot.member, role: slot.role, slotFormat: slot.signingKey === undefined ? 1 : 2 }));
  }

  /** Appends an event, fsynced, signed by this epoch's key. Full members only. */
  async log(event: Omit<AuditEvent, 'salt' | 'actor' | 'role'>): Promise<void> {
    this.assertOpen();
    const { keys, log, member } = this.state;
    if (!keys.signingSecret) {
      throw new LifeboatError('VAULT_FORBIDDEN', 'An auditor reads the audit log but cannot add to it.');
    }
    await log.append({ ...event, actor: member.name, role: member.role }, { epoch: keys.epoch, auditKey: keys.audit, signingSecretKey: keys.signingSecret });
  }

  /**
   * Commits the database as a new snapshot generation that seals the log
   * head: only the blocks changed since the last generation (a delta) when
   * the chain allows it, else the whole database (storage/snapshot-chain.ts).
   * `beforeWrite` runs once the file's bytes exist and before they are
   * written (a rekey announces them in the log there; always a full
   * snapshot); if it fails, nothing is written.
   */
  async commit(options: { beforeWrite?: (written: KnownSnapshot, bytes: Uint8Array) => Promise<void> } = {}): Promise<void> {
    this.assertOpen();
    const { sodium, store, keys, header, log, dir } = this.state;
    if (!store || !keys.content) {
      throw new LifeboatError('VAULT_FORBIDDEN', 'An auditor cannot change the vault.');
    }
    const generation = this.state.generation + 1;
    const sealed = { size: log.size, hash: log.headHash() };
    const chain = options.beforeWrite ? null : (this.state.chain ?? null);
    // Only the blocks changed since the last save; none, without reading the database back, when nothing was written.
    const writes = store.writeCount();
    const plan = planSave(chain, keys.epoch, writes, () => store.export());
    let next: SessionState['chain'] = null;
    try {
      const meta: SnapshotMeta = {
        vaultId: header.vaultId,
        generation,
        keyEpoch: keys.epoch,
        savedAt: new Date().toISOString(),
        savedBy: this.state.member.name,
        auditHead: sealed,
        header: { serial: headerSerial(header), hash: headerHash(sodium, header) },
        dbBytes: plan.dbBytes,
        snapshotId: newSnapshotId(sodium),
      };
      const snapshotId = meta.snapshotId as string;
      const base = chain && plan.changed ? chain.tip : null;
      const bytes =
        base && plan.changed
          ? encryptDeltaSnapshot(
              sodium,
              keys.content,
              { ...meta, snapshotId, base, blockBytes: BLOCK_BYTES, blocks: plan.changed.length },
              plan.db,
              plan.changed,
            )
          : // A full snapshot always has the exported image: without one, the plan is a delta of no block.
            encryptSnapshot(sodium, keys.content, meta, plan.db as Uint8Array);
      next = chainAfter(chain, plan, keys.epoch, { generation, snapshotId }, writes);
      const written: KnownSnapshot = { generation, keyEpoch: keys.epoch, file: snapshotFileName(generation), base: base?.generation ?? null };
      await options.beforeWrite?.(written, bytes);
      this.state.snapshots = await writeSnapshot(dir, written, bytes, this.state.snapshots);
    } catch (error) {
      // The change is in memory but not on disk. Keeping the session would let
      // the next save or lock write it after the member was told it failed:
      // close without saving, so what is on disk stays the truth.
      await this.abandon();
      if (error instanceof LifeboatError) {
        throw new LifeboatError(error.code, `${error.message} ${UNSAVED_LOCK_NOTE}`, { cause: error.cause });
      }
      throw error;
    } finally {
      plan.db?.fill(0);
    }
    this.state.generation = generation;
    this.state.sealedHead = sealed;
    this.state.chain = next;
    // After the snapshot's rename and folder fsync: the anchor never leads the disk.
    await anchorSession(this.state);
  }

  /** Logs the lock, zeroes every key, closes the database, releases the vault. */
  async lock(options: { beforeClose?: () => Promise<void> } = {}): Promise<void> {
    if (this.closed) {
      return;
    }
    try {
      if (this.state.keys.signingSecret) {
        await this.log({ type: 'vault.locked' });
        // Seal the head again: opens and reveals since the last save would
        // otherwise be removable from the end of the log unnoticed.
        if (this.state.store) {
          await this.commit();
        }
        // A fresh checkpoint at every lock: checked at the next unlock, and
        // what an auditor saves to prove later that the log only grew.
        await writeCheckpointFor(this.state);
      }
      await options.beforeClose?.();
    } finally {
      this.closed = true;
      zeroEpochKeys(this.state.sodium, this.state.keys);
      this.state.store?.close();
      this.state.store = null;
      this.state.chain = null;
      await this.state.anchor?.close();
      await this.state.lock.release();
    }
  }

  /**
   * Closes without logging or saving anything: for when the in-memory
   * database may hold changes that failed to commit and must not be saved
   * by a normal lock. The next unlock sees the last committed state.
   */
  async abandon(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    zeroEpochKeys(this.state.sodium, this.state.keys);
    this.state.store?.close();
    this.state.store = null;
    this.state.chain = null;
    await this.state.anchor?.close();
    await this.state.lock.release();
  }

  get isLocked(): boolean {
    return this.closed;
  }
}
