/**
 * What an unlocked vault holds in memory: keys, header, log and database.
 * Its own module so the audit checkpoint (written at every lock) can be
 * signed from it without importing the session that holds it.
 */
import type { LocalAnchor } from './anchor/local-anchor.js';
import type { AuditLog } from './audit/audit-log.js';
import type { Member } from '../../shared/records.js';
import type { Sodium } from './keys/crypto-runtime.js';
import type { EpochKeys } from './keys/epoch-keys.js';
import type { VaultHeader } from './keys/vault-header.js';
import type { RecordStore } from './records/record-store.js';
import type { SnapshotChain } from './storage/snapshot-chain.js';
import type { AuditHead, KnownSnapshot } from './storage/snapshot-file.js';
import type { VaultLock } from './storage/vault-lock.js';

export interface SessionState {
  sodium: Sodium;
  dir: string;
  header: VaultHeader;
  lock: VaultLock;
  member: Member;
  keys: EpochKeys;
  log: AuditLog;
  /** Null for an auditor: the database is never decrypted for them. */
  store: RecordStore | null;
  generation: number;
  /** Failed unlock attempts sealed into this session's unlock event. */
  failedAttemptsBefore: number;
  /** The audit head sealed in the snapshot loaded at unlock (full members). */
  sealedHead: AuditHead | null;
  /**
   * The snapshots whose authenticity this session established (read with the
   * keys at unlock, or written since): the only ones pruning may delete.
   */
  snapshots: KnownSnapshot[];
  /**
   * The chain the newest generation ends (storage/snapshot-chain.ts): what
   * the next save needs to write only the blocks that changed. Absent or
   * null: the next save writes a full snapshot.
   */
  chain?: SnapshotChain | null;
  /** Said once: the folder's file system keeps no permissions (storage/vault-folder.ts). */
  folderNote?: string | null;
  /**
   * What this laptop last saw of the vault (anchor/local-anchor.ts), moved
   * forward after every durable write; null when the state folder cannot be used.
   */
  anchor?: LocalAnchor | null;
  /** Said once: the anchor could not be used, or was started afresh. */
  anchorNote?: string | null;
  /** What went backwards, when this unlock was an owner accepting a rollback (doctor --accept-rollback). */
  rollbackAccepted?: string | null;
}
