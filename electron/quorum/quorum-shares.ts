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
import { QUORUM_MEMBER } from '../../shared/record-kinds.js';
import { eventsForEvidence } from '../vault/audit/vault-audit.js';
import { loadSodium, type Sodium } from '../vault/keys/crypto-runtime.js';
import { zeroKeys } from '../vault/keys/key-hierarchy.js';
import { readHeader, type VaultHeader } from '../vault/keys/vault-header.js';
import { drillRecoveryKey, installQuorumSlot, matchesRecoveryKey, openWithRecoveryKey, revokeQuorumSlot } from '../vault/quorum-slot.js';
import type { VaultSession } from '../vault/vault-session.js';
import { decodeShare, encodeShare, type SharePayload } from './share-codec.js';

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
  if (!session.canSign) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only a full member can create recovery shares.');
  }
  const { sodium, header } = session;
  const custodians = validateCustodians(input.custodians, input.threshold);
  const key = sodium.randombytes_buf(32);
  let parts: Uint8Array[] = [];
  try {
    parts = await split(key, custodians.length, input.threshold);
    const setId = sodium.to_hex(sodium.randombytes_buf(8));
    const createdAt = new Date().toISOString();
    await session.log({
      type: 'recovery.shares-created',
      details: { setId, threshold: input.threshold, shares: custodians.length, custodians: custodians.join(', '), rotated: header.recovery !== undefined },
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
    await installQuorumSlot(session, {
      setId,
      threshold: input.threshold,
      custodians: custodians.map((name, i) => ({ index: i + 1, name, x: parts[i]?.[32] ?? 0 })),
      createdAt,
      key,
    });
    return set;
  } finally {
    zeroKeys(sodium, key, ...parts);
  }
}

/** Removes the quorum slot and retires the set; the vault is rekeyed. Owners only. */
export async function revokeRecoveryShares(session: VaultSession): Promise<void> {
  await revokeQuorumSlot(session);
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
    const twin = checked.findIndex((other, j) => j < i && (other.index === checked[i]?.index || other.payload.share[32] === checked[i]?.payload.share[32]));
    if (twin >= 0) {
      throw rejected(`Shares ${twin + 1} and ${i + 1} are the same sheet (custodian ${checked[i]?.index}, ${checked[i]?.custodian}).`);
    }
  }
  const threshold = header.recovery?.threshold ?? 0;
  if (checked.length < threshold) {
    const missing = threshold - checked.length;
    throw rejected(`${checked.length} of ${threshold} shares entered: ${missing} more custodian${missing === 1 ? '' : 's'} needed.`);
  }
  const key = await combine(checked.map((c) => c.payload.share));
  let matches = false;
  try {
    matches = matchesRecoveryKey(sodium, header, key);
  } finally {
    if (!matches) {
      zeroKeys(sodium, key);
    }
  }
  if (!matches) {
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
export async function openVaultByQuorum(dir: string, input: { shares: readonly string[]; reason: string; stateDir?: string }): Promise<VaultSession> {
  const reason = requireReason(input.reason);
  const sodium = await loadSodium();
  const header = await readHeader(dir);
  const { key, custodians } = await combineShares(sodium, header, input.shares);
  try {
    return await openWithRecoveryKey(
      dir,
      key,
      { reason, custodians, setId: header.recovery?.setId ?? '' },
      input.stateDir === undefined ? {} : { stateDir: input.stateDir },
    );
  } finally {
    zeroKeys(sodium, key);
  }
}

/**
 * A drill: custodians prove their sheets open the vault. The keys are
 * opened (so the shares are proven against the real slot, not only the
 * check value), a `recovery.drill` event is logged, and the keys are
 * zeroed; the database is never decrypted.
 */
export async function practiceQuorum(
  dir: string,
  shares: readonly string[],
  options: { stateDir?: string } = {},
): Promise<{ custodians: string[]; setId: string }> {
  const sodium = await loadSodium();
  const header = await readHeader(dir);
  const { key, custodians } = await combineShares(sodium, header, shares);
  try {
    await drillRecoveryKey(dir, key, custodians, options);
  } finally {
    zeroKeys(sodium, key);
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
