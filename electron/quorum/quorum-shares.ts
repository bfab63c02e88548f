/**
 * Recovery shares: M-of-N Shamir shares of a recovery key that opens the
 * vault without any member's passphrase, for the day the owners cannot be
 * reached or the identity service their access depends on is down.
 *
 * - The recovery key R (32 random bytes) is the "passphrase" (as hex) of a
 *   key slot named "recovery quorum" with the owner role. Being a slot, it
 *   is re-sealed by every rekey like any member's, and listed with them.
 * - R is split with shamir-secret-sharing (audited; GF(2^8), one share per
 *   custodian) and never stored. The shares are wrapped (share-codec.ts)
 *   with the format version, a vault tag, the set id, the threshold and the
 *   custodian's number, so each is checked as it is typed.
 * - The library checks nothing when combining: too few or wrong shares give
 *   a wrong key silently. So the header keeps a key check value, BLAKE2b-128
 *   keyed with R over "lifeboat-recovery-check-v1|vaultId|setId", and a
 *   combination is compared with it before the slot is even tried.
 * - Rotating or revoking retires the set id (a share from it is refused by
 *   name) and rekeys, so an old copy of the slot opens nothing new.
 * - A quorum unlock needs a reason; its `vault.unlocked` event names the
 *   custodians. A practice run opens the keys, logs `recovery.drill`, and
 *   closes them again without loading the database.
 */
import { combine, split } from 'shamir-secret-sharing';
import { LifeboatError } from '../../shared/errors.js';
import { AuditLog } from '../vault/audit/audit-log.js';
import { loadSodium, type Sodium } from '../vault/keys/crypto-runtime.js';
import { zeroEpochKeys } from '../vault/keys/epoch-keys.js';
import { defaultKdfParams } from '../vault/keys/kdf-params.js';
import { zeroKeys } from '../vault/keys/key-hierarchy.js';
import { decodeShare, encodeShare, type SharePayload } from './share-codec.js';
import { eventsForEvidence } from '../vault/audit/vault-audit.js';
import { acquireVaultLock } from '../vault/storage/vault-lock.js';
import { b64decode, readHeader, RECOVERY_KCV_BYTES, type RecoverySet, type SlotRecord, type VaultHeader } from '../vault/keys/vault-header.js';
import { QUORUM_MEMBER, rekey, saveHeader, unsigned } from '../vault/vault-members.js';
import { openVault, unlockKeys } from '../vault/vault-open.js';
import type { VaultSession } from '../vault/vault-session.js';
import { createSlot } from '../vault/keys/vault-slots.js';

export { QUORUM_MEMBER };

export interface CustodianShare {
  custodian: string;
  index: number;
  /** The share as printed: 20 groups of 5 characters. */
  text: string;
}

export interface ShareSet {
  vaultId: string;
  vaultName: string;
  setId: string;
  threshold: number;
  createdAt: string;
  shares: CustodianShare[];
}

function recoveryCheck(sodium: Sodium, vaultId: string, setId: string, key: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(RECOVERY_KCV_BYTES, `lifeboat-recovery-check-v1|${vaultId}|${setId}`, key);
}

function validateCustodians(names: readonly string[], threshold: number): string[] {
  const custodians = names.map((name) => name.trim());
  if (custodians.some((name) => name === '')) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Every custodian needs a name.');
  }
  const seen = new Set<string>();
  for (const name of custodians) {
    if (seen.has(name.toLowerCase())) {
      throw new LifeboatError('VAULT_BAD_INPUT', `${name} is listed twice: each custodian holds one share.`);
    }
    seen.add(name.toLowerCase());
  }
  if (custodians.length < 2 || custodians.length > 255) {
    throw new LifeboatError('VAULT_BAD_INPUT', `Name between 2 and 255 custodians (got ${custodians.length}).`);
  }
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > custodians.length) {
    throw new LifeboatError('VAULT_BAD_INPUT', `The threshold must be a whole number from 2 to ${custodians.length} (the number of custodians).`);
  }
  return custodians;
}

/**
 * Creates a new set of shares (rotating any previous one: its set is
 * retired and the vault rekeyed). Owners only. The shares are stored
 * nowhere: `deliver` (writing the sheets) runs before the header is
 * written, so if it fails the vault keeps its previous set and no new one
 * exists half on paper. The set is also returned, once.
 */
export async function createRecoveryShares(
  session: VaultSession,
  input: { threshold: number; custodians: readonly string[] },
  deliver: (set: ShareSet) => Promise<unknown> = () => Promise.resolve(),
): Promise<ShareSet> {
  session.require('members.manage');
  const state = session.internals();
  const { sodium, header, keys } = state;
  if (!keys.vaultKey) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only a full member can create recovery shares.');
  }
  const custodians = validateCustodians(input.custodians, input.threshold);
  const key = sodium.randombytes_buf(32);
  let parts: Uint8Array[] = [];
  try {
    parts = await split(key, custodians.length, input.threshold);
    const setId = sodium.to_hex(sodium.randombytes_buf(8));
    const previous = header.recovery;
    const createdAt = new Date().toISOString();
    await session.log({
      type: 'recovery.shares-created',
      details: { setId, threshold: input.threshold, shares: custodians.length, custodians: custodians.join(', '), rotated: previous !== undefined },
    });
    const set: ShareSet = {
      vaultId: header.vaultId,
      vaultName: header.name,
      setId,
      threshold: input.threshold,
      createdAt,
      shares: parts.map((part, i) => ({
        custodian: custodians[i] as string,
        index: i + 1,
        text: encodeShare(sodium, { vaultTag: header.vaultId.slice(0, 8), setId, threshold: input.threshold, index: i + 1, share: part }),
      })),
    };
    await deliver(set);
    const retired = previous ? [...(header.retiredRecoverySets ?? []), previous.setId] : header.retiredRecoverySets;
    const recovery: RecoverySet = {
      setId,
      threshold: input.threshold,
      custodians: custodians.map((name, i) => ({ index: i + 1, name, x: parts[i]?.[32] ?? 0 })),
      kcv: sodium.to_base64(recoveryCheck(sodium, header.vaultId, setId, key), sodium.base64_variants.ORIGINAL),
      createdAt,
      createdBy: session.member.name,
    };
    const quorumSlot = (epoch: number, vaultKey: Uint8Array): SlotRecord =>
      createSlot(sodium, {
        vaultId: header.vaultId,
        member: QUORUM_MEMBER,
        role: 'owner',
        passphrase: sodium.to_hex(key),
        kdf: defaultKdfParams(sodium, header.insecureFastKdf),
        epoch,
        epochKeys: vaultKey,
      });
    const others = header.slots.filter((s) => s.member !== QUORUM_MEMBER);
    if (previous) {
      // One header write commits the new set, the retired one and the new
      // epoch together: an old copy of the quorum slot opens nothing after it,
      // and a crash leaves either the old set in force or the new one, never
      // the new set on old keys.
      await rekey(session, others, (next, nextKeys) => ({
        ...next,
        slots: [...next.slots, quorumSlot(nextKeys.epoch, nextKeys.vaultKey as Uint8Array)],
        recovery,
        retiredRecoverySets: retired ?? [],
      }));
    } else {
      await saveHeader(session, { ...unsigned(header), slots: [...others, quorumSlot(keys.epoch, keys.vaultKey)], recovery });
      await session.commit();
    }
    return set;
  } finally {
    zeroKeys(sodium, key, ...parts);
  }
}

/** Removes the quorum slot and retires the set; the vault is rekeyed. Owners only. */
export async function revokeRecoveryShares(session: VaultSession): Promise<void> {
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

export interface CheckedShare {
  index: number;
  custodian: string;
}

function rejected(message: string): LifeboatError {
  return new LifeboatError('SHARE_REJECTED', message);
}

/** Checks one share against the vault's current set (as it is entered, before any other). */
export function checkShareFor(sodium: Sodium, header: VaultHeader, text: string, label = 'The share'): CheckedShare & { payload: SharePayload } {
  const recovery = header.recovery;
  if (!recovery) {
    throw rejected('This vault has no recovery shares: it can only be opened with a member’s passphrase.');
  }
  const payload = decodeShare(sodium, text, label);
  if (payload.vaultTag !== header.vaultId.slice(0, 8)) {
    throw rejected(`${label} belongs to another vault (its tag is ${payload.vaultTag}; this vault's is ${header.vaultId.slice(0, 8)}).`);
  }
  if (payload.setId !== recovery.setId) {
    throw rejected(
      (header.retiredRecoverySets ?? []).includes(payload.setId)
        ? `${label} is from a set of shares that was rotated or revoked (set ${payload.setId}); only sheets of set ${recovery.setId} open this vault now.`
        : `${label} is not from this vault's current set of shares (it names set ${payload.setId}; the current one is ${recovery.setId}).`,
    );
  }
  const custodian = recovery.custodians.find((c) => c.index === payload.index);
  if (!custodian || payload.threshold !== recovery.threshold) {
    throw rejected(`${label} names custodian ${payload.index} of a ${payload.threshold}-of-N set, which this vault's set does not have.`);
  }
  // The custodian number is only a label (its checksum is unkeyed); the share's x coordinate is what
  // the set recorded for that custodian, so a relabelled sheet cannot be logged as someone else's.
  if (custodian.x !== undefined && payload.share[32] !== custodian.x) {
    throw rejected(`${label} is labelled as ${custodian.name}'s (custodian ${custodian.index}) but is not their share.`);
  }
  return { index: payload.index, custodian: custodian.name, payload };
}

/** Public form of checkShareFor for the unlock screen: reads the header itself. */
export async function checkShare(dir: string, text: string): Promise<CheckedShare & { threshold: number; custodians: number }> {
  const sodium = await loadSodium();
  const header = await readHeader(dir);
  const { index, custodian } = checkShareFor(sodium, header, text);
  return { index, custodian, threshold: header.recovery?.threshold ?? 0, custodians: header.recovery?.custodians.length ?? 0 };
}

/** Combines shares into the recovery key, or says exactly why not. The caller zeroes the key. */
export async function combineShares(sodium: Sodium, header: VaultHeader, texts: readonly string[]): Promise<{ key: Uint8Array; custodians: string[] }> {
  const checked = texts.map((text, i) => checkShareFor(sodium, header, text, `Share ${i + 1}`));
  for (let i = 0; i < checked.length; i += 1) {
    const twin = checked.findIndex(
      (other, j) => j < i && (other.index === checked[i]?.index || other.payload.share[32] === checked[i]?.payload.share[32]),
    );
    if (twin >= 0) {
      throw rejected(`Shares ${twin + 1} and ${i + 1} are the same sheet (custodian ${checked[i]?.index}, ${checked[i]?.custodian}).`);
    }
  }
  const threshold = header.recovery?.threshold ?? 0;
  if (checked.length < threshold) {
    const missing = threshold - checked.length;
    throw rejected(`${checked.length} of ${threshold} shares entered: ${missing} more custodian${missing === 1 ? '' : 's'} needed.`);
  }
  // readHeader refuses a kcv that is not 16 bytes of canonical base64; this guards a header built elsewhere.
  const expected = b64decode(sodium, header.recovery?.kcv ?? '', "the recovery shares' key check value");
  if (expected.length !== RECOVERY_KCV_BYTES) {
    throw new LifeboatError('VAULT_TAMPERED', `The vault header is damaged: the recovery shares' key check value holds ${expected.length} bytes, not ${RECOVERY_KCV_BYTES}.`);
  }
  const key = await combine(checked.map((c) => c.payload.share));
  const actual = recoveryCheck(sodium, header.vaultId, header.recovery?.setId ?? '', key);
  if (!sodium.memcmp(expected, actual)) {
    zeroKeys(sodium, key);
    throw rejected('The shares are each valid but do not combine to this vault’s recovery key; one of them was altered. Nothing was opened.');
  }
  return { key, custodians: checked.map((c) => c.custodian) };
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === '') {
    throw new LifeboatError('VAULT_BAD_INPUT', 'A quorum unlock needs a reason (the incident, and why no owner can unlock). It is logged.');
  }
  return trimmed;
}

/** Opens the vault with M shares: the session's identity is "recovery quorum", with the custodians named in the log. */
export async function openVaultByQuorum(dir: string, input: { shares: readonly string[]; reason: string }): Promise<VaultSession> {
  const reason = requireReason(input.reason);
  const sodium = await loadSodium();
  const header = await readHeader(dir);
  const { key, custodians } = await combineShares(sodium, header, input.shares);
  const passphrase = sodium.to_hex(key);
  zeroKeys(sodium, key);
  return openVault(dir, {
    member: QUORUM_MEMBER,
    passphrase,
    event: { reason, details: { quorum: true, custodians: custodians.join(', '), setId: header.recovery?.setId ?? '' } },
  });
}

/**
 * A drill: custodians prove their sheets open the vault. The keys are
 * opened (so the shares are proven against the real slot, not only the
 * check value), a `recovery.drill` event is logged, and the keys are
 * zeroed; the database is never decrypted.
 */
export async function practiceQuorum(dir: string, shares: readonly string[]): Promise<{ custodians: string[]; setId: string }> {
  const sodium = await loadSodium();
  const header = await readHeader(dir);
  const { key, custodians } = await combineShares(sodium, header, shares);
  const passphrase = sodium.to_hex(key);
  zeroKeys(sodium, key);
  const lock = await acquireVaultLock(dir);
  try {
    const unlocked = await unlockKeys(sodium, dir, { member: QUORUM_MEMBER, passphrase });
    try {
      const { keys } = unlocked;
      if (!keys.signingSecret) {
        throw new LifeboatError('INTERNAL', 'The quorum slot has no signing key.');
      }
      const log = await AuditLog.load(sodium, dir, unlocked.header.vaultId);
      await log.append(
        { type: 'recovery.drill', actor: QUORUM_MEMBER, role: 'owner', details: { custodians: custodians.join(', '), setId: unlocked.header.recovery?.setId ?? '', result: 'opened' } },
        { epoch: keys.epoch, auditKey: keys.audit, signingSecretKey: keys.signingSecret },
      );
    } finally {
      zeroEpochKeys(sodium, unlocked.keys);
    }
  } finally {
    await lock.release();
  }
  return { custodians, setId: header.recovery?.setId ?? '' };
}

export interface QuorumUnlock {
  at: string;
  custodians: string;
  reason: string;
}

/**
 * Quorum unlocks an owner or auditor has not seen yet: those logged since
 * their own previous unlock (or all of them, at their first). Shown once
 * after unlock, so a quorum opening can never pass unnoticed.
 */
export function quorumUnlocksToReview(session: VaultSession): QuorumUnlock[] {
  const { member } = session;
  if ((member.role !== 'owner' && member.role !== 'auditor') || member.name === QUORUM_MEMBER) {
    return [];
  }
  const entries = eventsForEvidence(session);
  const ownUnlocks = entries.filter((e) => e.event.type === 'vault.unlocked' && e.event.actor === member.name);
  // The newest is this very unlock; the one before it is when they last looked.
  const since = ownUnlocks.length >= 2 ? (ownUnlocks[ownUnlocks.length - 2]?.seq ?? -1) : -1;
  return entries
    .filter((e) => e.seq > since && e.event.type === 'vault.unlocked' && e.event.details?.['quorum'] === true)
    .map((e) => ({ at: e.time, custodians: String(e.event.details?.['custodians'] ?? ''), reason: e.event.reason ?? '' }));
}
