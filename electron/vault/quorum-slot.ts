/**
 * The engine's side of quorum unlock: a key slot named "recovery quorum"
 * (owner role) whose "passphrase" is a 32-byte recovery key R, as hex. The
 * engine knows the slot, the set recorded in the header (custodians, their
 * share x-coordinates, a key check value) and how the slot is installed,
 * retired, opened and drilled. How R is split among people, and the sheets
 * they keep, is quorum/'s business: R reaches the engine only as bytes.
 *
 * - Key check value: BLAKE2b-128 keyed with R over
 *   "lifeboat-recovery-check-v1|vaultId|setId", so a wrong combination of
 *   shares is refused before the slot is even tried.
 * - Installing a set over a previous one, or revoking one, retires the old
 *   set id and rekeys in one header write, so an old copy of the slot opens
 *   nothing new.
 */
import { LifeboatError } from '../../shared/errors.js';
import { QUORUM_MEMBER } from '../../shared/record-kinds.js';
import { LocalAnchor } from './anchor/local-anchor.js';
import { defaultStateDir } from './anchor/state-dir.js';
import { AuditLog } from './audit/audit-log.js';
import { loadSodium, type Sodium } from './keys/crypto-runtime.js';
import { zeroEpochKeys, type EpochKeys } from './keys/epoch-keys.js';
import { defaultKdfParams } from './keys/kdf-params.js';
import { b64decode, RECOVERY_KCV_BYTES, type RecoverySet, type SlotRecord, type VaultHeader } from './keys/vault-header.js';
import { createSlot } from './keys/vault-slots.js';
import { acquireVaultLock } from './storage/vault-lock.js';
import { rekey, saveHeader, sessionIdentity, unsigned } from './vault-members.js';
import { openVault, unlockKeys } from './vault-open.js';
import type { VaultSession } from './vault-session.js';

export function recoveryCheck(sodium: Sodium, vaultId: string, setId: string, key: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(RECOVERY_KCV_BYTES, `lifeboat-recovery-check-v1|${vaultId}|${setId}`, key);
}

/** A new set as quorum/ made it: who holds which share (x-coordinate), and R itself. */
export interface NewQuorumSet {
  setId: string;
  threshold: number;
  custodians: { index: number; name: string; x: number }[];
  createdAt: string;
  /** The recovery key R; the caller zeroes it. */
  key: Uint8Array;
}

/**
 * Writes the quorum slot for a new set into the header (the commit point),
 * retiring and rekeying over any previous set. Owners only; the caller has
 * logged the creation and delivered the shares first.
 */
export async function installQuorumSlot(session: VaultSession, input: NewQuorumSet): Promise<void> {
  session.require('members.manage');
  const state = session.internals();
  const { sodium, header, keys } = state;
  if (!keys.vaultKey) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only a full member can create recovery shares.');
  }
  const previous = header.recovery;
  const retired = previous ? [...(header.retiredRecoverySets ?? []), previous.setId] : header.retiredRecoverySets;
  const recovery: RecoverySet = {
    setId: input.setId,
    threshold: input.threshold,
    custodians: input.custodians,
    kcv: sodium.to_base64(recoveryCheck(sodium, header.vaultId, input.setId, input.key), sodium.base64_variants.ORIGINAL),
    createdAt: input.createdAt,
    createdBy: session.member.name,
  };
  const quorumSlot = (slotKeys: EpochKeys): SlotRecord =>
    createSlot(sodium, {
      vaultId: header.vaultId,
      member: QUORUM_MEMBER,
      role: 'owner',
      passphrase: sodium.to_hex(input.key),
      kdf: defaultKdfParams(sodium, header.insecureFastKdf),
      epoch: slotKeys.epoch,
      epochKeys: slotKeys.vaultKey as Uint8Array,
      identity: sessionIdentity({ header, keys: slotKeys, sodium }),
    });
  const others = header.slots.filter((s) => s.member !== QUORUM_MEMBER);
  if (previous) {
    // One header write commits the new set, the retired one and the new
    // epoch together: an old copy of the quorum slot opens nothing after it,
    // and a crash leaves either the old set in force or the new one, never
    // the new set on old keys.
    await rekey(session, others, (next, nextKeys) => ({
      ...next,
      slots: [...next.slots, quorumSlot(nextKeys)],
      recovery,
      retiredRecoverySets: retired ?? [],
    }));
  } else {
    await saveHeader(session, { ...unsigned(header), slots: [...others, quorumSlot(keys)], recovery });
    await session.commit();
  }
}

/** Removes the quorum slot and retires its set: logged, then one rekey. Owners only. */
export async function revokeQuorumSlot(session: VaultSession): Promise<void> {
  session.require('members.manage');
  const state = session.internals();
  const previous = state.header.recovery;
  if (!previous) {
    throw new LifeboatError('VAULT_NOT_FOUND', 'This vault has no recovery shares to revoke.');
  }
  if (session.member.name === QUORUM_MEMBER) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The recovery quorum cannot revoke itself; an owner can, after unlocking with their passphrase.');
  }
  await session.log({ type: 'recovery.shares-revoked', details: { setId: previous.setId } });
  const retired = [...(state.header.retiredRecoverySets ?? []), previous.setId];
  // One header write: the quorum slot gone, the set retired, the new epoch.
  await rekey(
    session,
    state.header.slots.filter((s) => s.member !== QUORUM_MEMBER),
    (next) => {
      const { recovery: _dropped, ...rest } = next;
      return { ...rest, retiredRecoverySets: retired };
    },
  );
}

/** Whether R is this header's current recovery key (its key check value), before any slot is tried. */
export function matchesRecoveryKey(sodium: Sodium, header: VaultHeader, key: Uint8Array): boolean {
  // readHeader refuses a kcv that is not 16 bytes of canonical base64; this guards a header built elsewhere.
  const expected = b64decode(sodium, header.recovery?.kcv ?? '', "the recovery shares' key check value");
  if (expected.length !== RECOVERY_KCV_BYTES) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `The vault header is damaged: the recovery shares' key check value holds ${expected.length} bytes, not ${RECOVERY_KCV_BYTES}.`,
    );
  }
  return sodium.memcmp(expected, recoveryCheck(sodium, header.vaultId, header.recovery?.setId ?? '', key));
}

/** Opens the vault through the quorum slot; the unlock event carries the reason and who brought shares. */
export async function openWithRecoveryKey(
  dir: string,
  key: Uint8Array,
  event: { reason: string; custodians: readonly string[]; setId: string },
  options: { stateDir?: string } = {},
): Promise<VaultSession> {
  const sodium = await loadSodium();
  return openVault(dir, {
    member: QUORUM_MEMBER,
    passphrase: sodium.to_hex(key),
    event: { reason: event.reason, details: { quorum: true, custodians: event.custodians.join(', '), setId: event.setId } },
    ...options,
  });
}

/**
 * A drill: opens the quorum slot's keys (so R is proven against the real
 * slot, not only the check value), logs `recovery.drill`, and zeroes the
 * keys; the database is never decrypted.
 */
export async function drillRecoveryKey(dir: string, key: Uint8Array, custodians: readonly string[], options: { stateDir?: string } = {}): Promise<void> {
  const sodium = await loadSodium();
  const passphrase = sodium.to_hex(key);
  const lock = await acquireVaultLock(dir);
  let anchor: LocalAnchor | null = null;
  try {
    const unlocked = await unlockKeys(sodium, dir, { member: QUORUM_MEMBER, passphrase });
    try {
      const { keys } = unlocked;
      if (!keys.signingSecret) {
        throw new LifeboatError('INTERNAL', 'The quorum slot has no signing key.');
      }
      const log = await AuditLog.load(sodium, dir, unlocked.header.vaultId);
      // The drill's record moves this laptop's anchor forward, never back: it does not check the vault against it.
      anchor = LocalAnchor.open(options.stateDir ?? defaultStateDir(), unlocked.header.vaultId).anchor;
      const following = anchor;
      log.follow(async (appended) => {
        await following?.advance({ log: appended });
      });
      await log.append(
        {
          type: 'recovery.drill',
          actor: QUORUM_MEMBER,
          role: 'owner',
          details: { custodians: custodians.join(', '), setId: unlocked.header.recovery?.setId ?? '', result: 'opened' },
        },
        { epoch: keys.epoch, auditKey: keys.audit, signingSecretKey: keys.signingSecret },
      );
    } finally {
      zeroEpochKeys(sodium, unlocked.keys);
    }
  } finally {
    await anchor?.close();
    await lock.release();
  }
}
