/**
 * Creating a vault and unlocking one. Both take the process lock first, so
 * a second process gets "vault is open in another process (pid N)".
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import type { Role } from '../../shared/records.js';
import { ensureVaultDir, removeStaleTemps, writeFileAtomic } from './storage/atomic-file.js';
import { readVaultText } from './storage/vault-files.js';
import { secureVaultFolder } from './storage/vault-folder.js';
import { AUDIT_FILE, AuditLog, cutTornTail, linesByteLength } from './audit/audit-log.js';
import { currentRoot } from './audit/checkpoint.js';
import { checkStoredCheckpoint, writeCheckpoint } from './audit/vault-audit.js';
import type { CheckpointState } from './audit/checkpoint.js';
import { loadSodium, type Sodium } from './keys/crypto-runtime.js';
import { openEpochKeys, publicKeyMap, sealKeyring, sealSigningKey, zeroEpochKeys, type EpochKeys } from './keys/epoch-keys.js';
import { defaultKdfParams, insecureFastKdfRequested } from './keys/kdf-params.js';
import { deriveSubKeys, zeroKeys } from './keys/key-hierarchy.js';
import { RecordStore } from './records/record-store.js';
import { loadNewestSnapshot } from './newest-snapshot.js';
import {
  HEADER_FILE,
  HEADER_FORMAT,
  HEADER_VERSION,
  b64encode,
  headerSerial,
  readHeader,
  signHeader,
  verifyHeaderMac,
  writeHeader,
  type VaultHeader,
} from './keys/vault-header.js';
import { acquireVaultLock, isProcessAlive, type VaultLock } from './storage/vault-lock.js';
import { checkAtUnlock, describeRegressions, LocalAnchor, rollbackDetails, type AnchorAtUnlock, type DiskState } from './anchor/local-anchor.js';
import { defaultStateDir } from './anchor/state-dir.js';
import { VaultSession } from './vault-session.js';
import { vaultNameFor } from './vault-name.js';
import { prewarmKdf, WORKER_MIN_MEMLIMIT } from './keys/kdf-worker.js';
import { createSlot, openSlotAsync, type OpenedSlot } from './keys/vault-slots.js';
import { certifyMembers, epochKeyCheck, signEpoch, verifyVaultIdentity } from './keys/vault-identity.js';
import { upgradeAtUnlock, type SlotUpgrade } from './format-upgrade.js';
import { validateMemberName, validatePassphrase } from './member-names.js';

const ATTEMPTS_FILE = 'attempts.json';

export interface CreateVaultInput {
  owner: string;
  passphrase: string;
  /** The vault's name; the folder's name (without .lifeboat) unless given (vault-name.ts). */
  name?: string;
  /** Defaults to LIFEBOAT_INSECURE_FAST_KDF=1 in the environment. */
  insecureFastKdf?: boolean;
  /** Take the folder even if a lock of another host is in it (logged); see storage/vault-lock.ts. */
  breakLock?: boolean;
  /** This laptop's state folder, where the vault's local anchor is kept; anchor/state-dir.ts by default. */
  stateDir?: string;
}

export { validateMemberName, validatePassphrase } from './member-names.js';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function createVault(dir: string, input: CreateVaultInput): Promise<VaultSession> {
  const sodium = await loadSodium();
  const owner = validateMemberName(input.owner);
  validatePassphrase(input.passphrase);
  // A bad name is refused before the folder is made: nothing is left behind.
  vaultNameFor(dir, input.name);
  if (await exists(join(dir, HEADER_FILE))) {
    throw new LifeboatError('VAULT_EXISTS', `There is already a vault at ${dir}.`);
  }
  await ensureVaultDir(dir).catch(async (error: unknown) => {
    // An empty folder made for the vault is fine to use.
    if (!(await exists(dir))) {
      throw error;
    }
  });
  // Created 0700; a folder that already existed is checked and tightened the same way.
  const folderNote = await secureVaultFolder(dir);
  const lock = await acquireVaultLock(dir, { breakLock: input.breakLock === true });
  try {
    return await initialise(sodium, dir, lock, owner, input, folderNote);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function initialise(
  sodium: Sodium,
  dir: string,
  lock: VaultLock,
  owner: string,
  input: CreateVaultInput,
  folderNote: string | null,
): Promise<VaultSession> {
  const insecureFastKdf = input.insecureFastKdf ?? insecureFastKdfRequested();
  const vaultId = sodium.to_hex(sodium.randombytes_buf(16));
  const epoch = 1;
  const vaultKey = sodium.crypto_kdf_keygen();
  const sub = deriveSubKeys(sodium, vaultKey);
  const signing = sodium.crypto_sign_keypair();
  const keys: EpochKeys = {
    epoch,
    vaultKey,
    content: sub.content,
    audit: sub.audit,
    header: sub.header,
    signingSecret: signing.privateKey,
    keyring: new Map(),
    identity: null,
  };
  // The vault identity: pinned in every slot, held by owners, signs the member set and each epoch.
  const identity = sodium.crypto_sign_keypair();
  keys.identity = identity.privateKey;
  const slot = createSlot(sodium, {
    vaultId,
    member: owner,
    role: 'owner',
    passphrase: input.passphrase,
    kdf: defaultKdfParams(sodium, insecureFastKdf),
    epoch,
    epochKeys: vaultKey,
    identity: { publicKey: identity.publicKey, secretKey: identity.privateKey },
  });
  const certified = certifyMembers(sodium, vaultId, { publicKey: identity.publicKey, secretKey: identity.privateKey }, [slot]);
  const header = signHeader(
    sodium,
    {
      format: HEADER_FORMAT,
      version: HEADER_VERSION,
      vaultId,
      name: vaultNameFor(dir, input.name),
      createdAt: new Date().toISOString(),
      insecureFastKdf,
      keyEpoch: epoch,
      serial: 1,
      auditPublicKeys: [
        signEpoch(sodium, vaultId, identity.privateKey, {
          epoch,
          publicKey: b64encode(sodium, signing.publicKey),
          keyCheck: epochKeyCheck(sodium, vaultId, epoch, sub.audit, sub.header),
        }),
      ],
      auditSigningKey: sealSigningKey(sodium, vaultId, epoch, sub.content, signing.privateKey),
      auditKeyring: sealKeyring(sodium, vaultId, epoch, sub.audit, new Map()),
      identity: certified.identity,
      slots: certified.slots,
    },
    sub.header,
  );
  await writeHeader(dir, header);
  await writeFileAtomic(join(dir, 'audit.log'), '');
  // This laptop saw the vault from its first record on (anchor/local-anchor.ts).
  const { anchor, note: anchorNote } = LocalAnchor.open(input.stateDir ?? defaultStateDir(), vaultId);
  const store = await RecordStore.open();
  const session = new VaultSession({
    sodium,
    dir,
    header,
    lock,
    member: { name: owner, role: 'owner' },
    keys,
    log: AuditLog.empty(sodium, dir, vaultId),
    store,
    generation: 0,
    failedAttemptsBefore: 0,
    sealedHead: null,
    snapshots: [],
    folderNote,
    anchor,
    anchorNote,
  });
  await session.log({ type: 'vault.created', details: { insecureFastKdf } });
  await logBrokenLock(session, lock);
  await session.commit();
  // From the first moment there is a checkpoint, so a missing one means deletion.
  await writeCheckpoint(session);
  return session;
}

/**
 * A checkpoint is written only after the snapshot that seals as much, and
 * records the newest generation and the header serial it was signed with:
 * a vault behind it had its newest snapshots removed or an older header put
 * back (a rollback inside the folder).
 */
function checkAgainstCheckpoint(
  header: VaultHeader,
  generation: number,
  sealedHead: { size: number } | null,
  checkpoint: { treeSize: number; state: CheckpointState | null },
): void {
  if (sealedHead && checkpoint.treeSize > sealedHead.size) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `Newer database snapshots are missing: the last checkpoint covers ${checkpoint.treeSize} audit records, the newest snapshot only ${sealedHead.size}. Run \`lifeboat doctor\`.`,
    );
  }
  if (checkpoint.state && checkpoint.state.generation > generation) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `Newer database snapshots are missing: the last checkpoint was signed at snapshot ${checkpoint.state.generation}, the newest here is ${generation}. Run \`lifeboat doctor\`.`,
    );
  }
  if (checkpoint.state && checkpoint.state.headerSerial > headerSerial(header)) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `header.json is older than the last checkpoint (header ${headerSerial(header)}, the checkpoint was signed at header ${checkpoint.state.headerSerial}): an earlier header was put back. Run \`lifeboat doctor\`.`,
    );
  }
}

interface Attempts {
  count: number;
  last: string;
}

async function readAttempts(dir: string): Promise<Attempts> {
  try {
    // Through the vault-file reader: a FIFO planted here must not hang the unlock (it reads as no attempts).
    const parsed = JSON.parse(await readVaultText(join(dir, ATTEMPTS_FILE))) as Partial<Attempts>;
    return { count: Number.isSafeInteger(parsed.count) ? Number(parsed.count) : 0, last: typeof parsed.last === 'string' ? parsed.last : '' };
  } catch {
    return { count: 0, last: '' };
  }
}

/** Failed attempts are counted in plaintext (no key yet) and sealed into the log at the next unlock. */
async function countFailedAttempt(dir: string): Promise<void> {
  const attempts = await readAttempts(dir);
  await writeFileAtomic(join(dir, ATTEMPTS_FILE), JSON.stringify({ count: attempts.count + 1, last: new Date().toISOString() }));
}

export interface UnlockInput {
  member: string;
  passphrase: string;
  /** Added to the `vault.unlocked` event (a quorum unlock's reason and custodians). */
  event?: { reason: string; details: Record<string, string | number | boolean> };
  /**
   * Take the vault even if its lock names another host (a computer that is
   * gone); never a live process on this one. Logged as `vault.lock-broken`.
   */
  breakLock?: boolean;
  /** This laptop's state folder, where the vault's local anchor is kept; anchor/state-dir.ts by default. */
  stateDir?: string;
  /**
   * An owner accepts that the vault is older than this laptop's anchor (a
   * backup restored on purpose): logged as `vault.rollback-accepted`, and the
   * anchor follows the disk. Only `lifeboat doctor --accept-rollback` sets it.
   */
  acceptRollback?: boolean;
}

/** Records whose lock a --break-lock removed (a full member's session; an auditor cannot sign). */
export async function logBrokenLock(session: VaultSession, lock: VaultLock): Promise<void> {
  if (!lock.broken || !session.canSign) {
    return;
  }
  const { pid, hostname, startedAt } = lock.broken;
  await session.log({ type: 'vault.lock-broken', details: { pid, hostname, startedAt } });
}

/** Counts a failed attempt when `error` is a wrong passphrase or unknown member. */
export async function noteFailedUnlock(dir: string, error: unknown): Promise<void> {
  if (error instanceof LifeboatError && error.code === 'VAULT_AUTH_FAILED') {
    await countFailedAttempt(dir).catch(() => undefined);
  }
}

export async function openVault(dir: string, input: UnlockInput): Promise<VaultSession> {
  prewarmKdf();
  const sodium = await loadSodium();
  // Read once before locking so a folder that is not a vault gets
  // VAULT_NOT_FOUND, not a stray lock file.
  await readHeader(dir);
  // Before anything is written: the folder must be this user's and private.
  const folderNote = await secureVaultFolder(dir);
  const lock = await acquireVaultLock(dir, { breakLock: input.breakLock === true });
  try {
    await removeStaleTemps(dir, isProcessAlive);
    return await unlock(sodium, dir, lock, input, folderNote);
  } catch (error) {
    await noteFailedUnlock(dir, error);
    await lock.release();
    throw error;
  }
}

export interface UnlockedKeys {
  header: VaultHeader;
  member: { name: string; role: Role };
  keys: EpochKeys;
  /**
   * Set when this unlock should move the vault or the member's slot to the
   * current format (format-upgrade.ts): the slot and the key the passphrase
   * gave, to re-wrap it without a second Argon2id. The caller zeroes it.
   */
  upgrade: SlotUpgrade | null;
}

/**
 * Passphrase → slot → epoch keys, and the header's MAC checked. Call with the
 * process lock held. `alongside` runs while Argon2id works in its thread (it
 * gets the header, unauthenticated yet); its outcome is given only once the
 * passphrase has been checked, so errors come in the same order as before.
 */
export async function unlockKeys<T = undefined>(
  sodium: Sodium,
  dir: string,
  input: UnlockInput,
  alongside?: (header: VaultHeader) => Promise<T>,
  options: { upgrade?: boolean } = {},
): Promise<UnlockedKeys & { alongside: T | undefined }> {
  // Read under the lock: another process may have changed it meanwhile.
  const header = await readHeader(dir);
  const opening = openSlotAsync(sodium, header, input.member, input.passphrase, { keepSlotKey: true });
  const side = alongside ? settle(alongside(header)) : undefined;
  let opened: OpenedSlot;
  try {
    opened = await opening;
  } catch (error) {
    // Nothing started alongside may still be touching the vault when the caller releases it.
    await side;
    throw error;
  }
  const sideOutcome = await side;
  let keys: EpochKeys | undefined;
  let upgrade: SlotUpgrade | null = null;
  try {
    keys = openEpochKeys(sodium, header, opened.slot.scope, opened.epochKeys);
    verifyHeaderMac(sodium, header, keys.header);
    checkIdentity(sodium, header, opened, keys);
    if (sideOutcome && !sideOutcome.ok) {
      throw sideOutcome.error;
    }
    // The vault (an owner's unlock) or this member's own slot still in format 1: upgraded once the session is open.
    if (options.upgrade && opened.slotKey && (header.identity ? opened.slot.signingKey === undefined : opened.slot.role === 'owner')) {
      upgrade = { slot: opened.slot, slotKey: opened.slotKey };
      opened.slotKey = null;
    }
    return { header, member: { name: opened.slot.member, role: opened.slot.role }, keys, upgrade, alongside: sideOutcome?.value };
  } catch (error) {
    if (keys) {
      zeroEpochKeys(sodium, keys);
    }
    throw error;
  } finally {
    zeroKeys(sodium, opened.secretKey, opened.signingSecret, opened.identitySecret, opened.slotKey);
  }
}

/**
 * A format-2 vault: everything that decides who can do what must chain to
 * the identity pinned in this member's slot (keys/vault-identity.ts); an
 * owner's session takes the identity secret key over. A format-1 header
 * while the slot pins an identity is a downgrade.
 */
function checkIdentity(sodium: Sodium, header: VaultHeader, opened: OpenedSlot, keys: EpochKeys): void {
  if (!header.identity) {
    if (opened.pinnedIdentity) {
      throw new LifeboatError(
        'VAULT_TAMPERED',
        'The vault header (header.json) has been altered: it is in the previous format, but your key slot was made for a vault with an identity key. Run `lifeboat doctor`.',
      );
    }
    return;
  }
  verifyVaultIdentity(sodium, header, {
    pinned: opened.pinnedIdentity,
    epoch: keys.epoch,
    audit: keys.audit,
    header: keys.header,
    identitySecret: opened.identitySecret,
  });
  if (opened.identitySecret && opened.slot.role === 'owner') {
    keys.identity = opened.identitySecret;
    opened.identitySecret = null;
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/**
 * The largest audit log read while Argon2id runs. Anything held then adds to
 * the unlock's peak memory on top of Argon2id's 256 MiB, and a log costs
 * about five times its size in memory while it is parsed: 4 MiB (some 7,000
 * records) keeps that under 20 MiB and saves up to ~100 ms; a longer log is read
 * after Argon2id has given its memory back.
 */
const LOG_READ_ALONGSIDE_MAX_BYTES = 4 * 1024 * 1024;

async function unlock(sodium: Sodium, dir: string, lock: VaultLock, input: UnlockInput, folderNote: string | null): Promise<VaultSession> {
  // While Argon2id runs (when it takes long enough to hide anything), a short
  // log, which needs no key, is read and its chain and root checked.
  // Read-only until the passphrase is proven: a wrong one changes nothing on disk.
  const unlocked = await unlockKeys(
    sodium,
    dir,
    input,
    async (claimed) => {
      const slot = claimed.slots.find((s) => s.member === input.member);
      if (!slot || slot.kdf.memlimit < WORKER_MIN_MEMLIMIT) {
        return undefined;
      }
      const bytes = await stat(join(dir, AUDIT_FILE)).then(
        (info) => info.size,
        () => Infinity,
      );
      if (bytes > LOG_READ_ALONGSIDE_MAX_BYTES) {
        return undefined;
      }
      const loaded = await AuditLog.load(sodium, dir, claimed.vaultId, { readOnly: true });
      return {
        vaultId: claimed.vaultId,
        log: loaded,
        // Kept for these very lines (checkpoint.ts): the session's checkpoints at lock and export extend it.
        root: currentRoot(sodium, loaded.lines),
      };
    },
    { upgrade: true },
  );
  const { header, member, keys, alongside } = unlocked;
  let upgrade = unlocked.upgrade;
  let anchorInUse: LocalAnchor | null = null;
  try {
    // The header's MAC has been checked since: the vault id the log was read for must still be its own.
    const ahead = alongside?.vaultId === header.vaultId ? alongside : undefined;
    const log = ahead?.log ?? (await AuditLog.load(sodium, dir, header.vaultId, { readOnly: true }));
    const { store, generation, sealedHead, snapshots, chain } = await loadNewestSnapshot(sodium, dir, header, keys, log);
    let checkpoint: Awaited<ReturnType<typeof checkStoredCheckpoint>>;
    try {
      checkpoint = await checkStoredCheckpoint(
        sodium,
        dir,
        header.vaultId,
        publicKeyMap(sodium, header),
        log.lines.map((l) => l.line),
        // The session's checkpoints at lock and export extend this root's frontier (checkpoint.ts currentRoot).
        ahead?.root ?? currentRoot(sodium, log.lines),
      );
      checkAgainstCheckpoint(header, generation, sealedHead, checkpoint);
    } catch (error) {
      // Closing zeroes the decrypted database.
      store?.close();
      throw error;
    }
    // This laptop's anchor, after the folder's own checks (so theirs are the words for what they catch)
    // and before anything is written: it catches older files put back consistently (anchor/local-anchor.ts).
    const disk: DiskState = { headerSerial: headerSerial(header), generation, generationAuthenticated: keys.content !== null, log };
    let anchored: AnchorAtUnlock;
    try {
      if (input.acceptRollback === true && (member.role !== 'owner' || !keys.signingSecret)) {
        throw new LifeboatError('VAULT_FORBIDDEN', 'Only an owner can accept that the vault went back to older files.');
      }
      anchored = await checkAtUnlock(input.stateDir ?? defaultStateDir(), header.vaultId, disk, input.acceptRollback === true);
    } catch (error) {
      store?.close();
      throw error;
    }
    anchorInUse = anchored.anchor;
    // Only now that the log's records are verified may its torn tail (a crash mid-append) be cut.
    try {
      await cutTornTail(dir, linesByteLength(log.lines));
    } catch (error) {
      store?.close();
      throw error;
    }
    const attempts = await readAttempts(dir);
    const session = new VaultSession({
      sodium,
      dir,
      header,
      lock,
      member,
      keys,
      log,
      store,
      generation,
      failedAttemptsBefore: attempts.count,
      sealedHead,
      snapshots,
      chain,
      folderNote,
      anchor: anchored.anchor,
      anchorNote: anchored.note,
      rollbackAccepted: anchored.accepted.length > 0 ? describeRegressions(anchored.accepted) : null,
    });
    if (anchored.seen && anchored.accepted.length > 0) {
      // Logged first, then the anchor follows the disk: a crash in between asks the owner again.
      await session.log({ type: 'vault.rollback-accepted', details: rollbackDetails(anchored.seen, disk, anchored.accepted) });
      await anchored.anchor?.reset({ headerSerial: disk.headerSerial, generation, logSize: log.size, logHash: log.headHash() });
    }
    if (keys.signingSecret) {
      await session.log({
        type: 'vault.unlocked',
        ...(input.event ? { reason: input.event.reason } : {}),
        details: {
          ...input.event?.details,
          failedAttemptsSinceLastUnlock: attempts.count,
          ...(attempts.last ? { lastFailedAttemptAt: attempts.last } : {}),
        },
      });
      if (attempts.count > 0) {
        await rm(join(dir, ATTEMPTS_FILE), { force: true });
      }
      await logBrokenLock(session, lock);
    }
    if (upgrade) {
      // Hands the slot key over: zeroed there, whatever happens.
      const handed = upgrade;
      upgrade = null;
      await upgradeAtUnlock(session, handed);
    }
    return session;
  } catch (error) {
    zeroEpochKeys(sodium, keys);
    zeroKeys(sodium, upgrade?.slotKey);
    await anchorInUse?.close();
    throw error;
  }
}
