/**
 * Members: add, remove (which rekeys), change passphrase. Every change is
 * logged first, then written (header, then snapshot).
 *
 * Rekey ordering (docs/vault-format.md, "Rekey"): log the removal; write a
 * snapshot under the new epoch's key; write the header (the commit point);
 * log "vault.rekeyed" under the new epoch and snapshot again. The new-epoch
 * snapshot is announced (`vault.rekey-started`, old epoch) before it is
 * written, so a crash before the header write leaves a snapshot the signed
 * log vouches for: skipped as uncommitted at the next unlock, while a
 * planted one is refused.
 */
import { LifeboatError } from '../../shared/errors.js';
import { QUORUM_MEMBER } from '../../shared/record-kinds.js';
import { ROLES, type Member, type Role } from '../../shared/records.js';
import { sealKeyring, sealSigningKey, type EpochKeys } from './keys/epoch-keys.js';
import { defaultKdfParams } from './keys/kdf-params.js';
import { auditorPayload, deriveSubKeys, zeroKeys } from './keys/key-hierarchy.js';
import { validateMemberName, validatePassphrase } from './member-names.js';
import { b64decode, b64encode, signHeader, succeeding, writeHeader, type SlotRecord, type VaultHeader } from './keys/vault-header.js';
import { resealAll } from './records/vault-records.js';
import type { VaultSession } from './vault-session.js';
import { pruneSnapshotsBefore, type KnownSnapshot } from './storage/snapshot-file.js';
import { REKEY_STARTED } from './audit/audit-log.js';
import {
  createSlot,
  openSlot,
  renewSlot,
  resealSlot,
  rewrapLegacySlot,
  zeroOpened,
  type IdentityKeys,
  type OpenedSlot,
  type WrapKey,
} from './keys/vault-slots.js';
import { certifyMembers, epochKeyCheck, rotationLink, signEpoch } from './keys/vault-identity.js';
import type { Sodium } from './keys/crypto-runtime.js';
import { anchorSession } from './anchor/local-anchor.js';

/** What a member of `role` is sealed for an epoch: the vault key, or an auditor's audit ‖ header key. */
export function payloadFor(role: Role, keys: EpochKeys): Uint8Array {
  if (role === 'auditor') {
    return auditorPayload({ content: new Uint8Array(32), audit: keys.audit, header: keys.header });
  }
  if (!keys.vaultKey) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only a full member can grant vault keys.');
  }
  return keys.vaultKey;
}

export function unsigned(header: VaultHeader): Omit<VaultHeader, 'mac'> {
  const { mac, ...rest } = header;
  return rest;
}

/** The key slot that recovery shares open (quorum/quorum-shares.ts); not a person. */
export { QUORUM_MEMBER };

/**
 * The vault identity as this session holds it: the public key always (format
 * 2), the secret key only for an owner. A format-1 vault has none until an
 * owner's unlock upgrades it (format-upgrade.ts).
 */
export function sessionIdentity(state: { header: VaultHeader; keys: EpochKeys; sodium: Sodium }): IdentityKeys {
  const identity = state.header.identity;
  if (!identity) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'This vault is still in the previous format: an owner upgrades it by unlocking it once.');
  }
  return { publicKey: b64decode(state.sodium, identity.publicKey, 'the vault identity'), secretKey: state.keys.identity };
}

/**
 * Writes the next header: serial one up, MAC'd with the epoch's header key.
 * An owner's write also certifies the member set as it now stands (which
 * drops the members' rotation links): no other path signs it.
 */
export async function saveHeader(session: VaultSession, next: Omit<VaultHeader, 'mac'>): Promise<void> {
  const state = session.internals();
  let body = next;
  if (state.keys.identity && next.identity) {
    // The public key from the secret the session holds: the certificate is always the identity's own.
    const identity = { publicKey: state.sodium.crypto_sign_ed25519_sk_to_pk(state.keys.identity), secretKey: state.keys.identity };
    const certified = certifyMembers(state.sodium, next.vaultId, identity, next.slots);
    body = { ...next, slots: certified.slots, identity: certified.identity };
  }
  const signed = signHeader(state.sodium, succeeding(state.sodium, state.header, body), state.keys.header);
  await writeHeader(state.dir, signed);
  state.header = signed;
  await anchorSession(state);
}

export interface AddMemberInput {
  name: string;
  role: Role;
  passphrase: string;
}

export async function addMember(session: VaultSession, input: AddMemberInput): Promise<Member> {
  session.require('members.manage');
  const state = session.internals();
  const name = validateMemberName(input.name);
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `"${input.role}" is not a role: use ${ROLES.join(', ')}.`);
  }
  validatePassphrase(input.passphrase);
  if (name.toLowerCase() === QUORUM_MEMBER) {
    throw new LifeboatError('VAULT_BAD_INPUT', `"${QUORUM_MEMBER}" is reserved for the recovery shares' key slot.`);
  }
  if (state.header.slots.some((slot) => slot.member.toLowerCase() === name.toLowerCase())) {
    throw new LifeboatError('VAULT_BAD_INPUT', `There is already a member called ${name}.`);
  }
  const slot = createSlot(state.sodium, {
    vaultId: state.header.vaultId,
    member: name,
    role: input.role,
    passphrase: input.passphrase,
    kdf: defaultKdfParams(state.sodium, state.header.insecureFastKdf),
    epoch: state.keys.epoch,
    epochKeys: payloadFor(input.role, state.keys),
    identity: sessionIdentity(state),
  });
  await session.log({ type: 'member.added', details: { member: name, role: input.role } });
  await saveHeader(session, { ...unsigned(state.header), slots: [...state.header.slots, slot] });
  await session.commit();
  return { name, role: input.role };
}

/**
 * A new passphrase, on fresh key pairs: an old header.json with the old
 * passphrase opens nothing sealed from now on. An owner certifies the new
 * keys; anyone else vouches for them with their previous signing key (a
 * rotation link, keys/vault-identity.ts).
 */
export async function changePassphrase(session: VaultSession, currentPassphrase: string, newPassphrase: string): Promise<void> {
  session.assertOpen();
  const state = session.internals();
  const { sodium, header, keys } = state;
  validatePassphrase(newPassphrase);
  const opened = openSlot(sodium, header, session.member.name, currentPassphrase);
  try {
    const kdf = defaultKdfParams(sodium, header.insecureFastKdf);
    const slot = header.identity
      ? renewedSlot(state, opened, { passphrase: newPassphrase, kdf })
      : rewrapLegacySlot(sodium, header.vaultId, opened, newPassphrase, kdf);
    if (keys.signingSecret) {
      await session.log({ type: 'member.passphrase-changed', details: { member: session.member.name } });
    }
    await saveHeader(session, {
      ...unsigned(header),
      slots: header.slots.map((s) => (s.slotId === slot.slotId ? slot : s)),
    });
    if (state.store) {
      await session.commit();
    }
  } finally {
    zeroOpened(sodium, opened);
  }
}

/**
 * The member's slot on fresh key pairs with the identity pinned; unless this
 * session can certify (an owner), with the link that vouches for the move.
 */
export function renewedSlot(
  state: { header: VaultHeader; keys: EpochKeys; sodium: Sodium },
  opened: Pick<OpenedSlot, 'slot' | 'signingSecret'>,
  key: WrapKey,
): SlotRecord {
  const { sodium, header, keys } = state;
  const renewed = renewSlot(sodium, header.vaultId, opened.slot, key, keys.epoch, payloadFor(opened.slot.role, keys), sessionIdentity(state));
  if (keys.identity) {
    return renewed;
  }
  const link = rotationLink(
    sodium,
    header.vaultId,
    opened.slot.slotId,
    { publicKey: opened.slot.publicKey, signingKey: opened.slot.signingKey ?? null },
    { publicKey: renewed.publicKey, signingKey: renewed.signingKey ?? '' },
    opened.signingSecret ? { signingSecret: opened.signingSecret } : { headerKey: keys.header },
  );
  return { ...renewed, rotations: [...(opened.slot.rotations ?? []), link] };
}

export async function removeMember(session: VaultSession, name: string): Promise<void> {
  session.require('members.manage');
  const state = session.internals();
  const target = state.header.slots.find((slot) => slot.member === name);
  if (!target) {
    throw new LifeboatError('VAULT_NOT_FOUND', `There is no member called ${name}.`);
  }
  if (target.member === session.member.name) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'You cannot remove yourself; ask another owner.');
  }
  if (target.member === QUORUM_MEMBER) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'The recovery quorum is not removed like a member: revoke or rotate the recovery shares instead.');
  }
  const remaining = state.header.slots.filter((slot) => slot.slotId !== target.slotId);
  if (!remaining.some((slot) => slot.role === 'owner' && slot.member !== QUORUM_MEMBER)) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'A vault needs at least one owner.');
  }
  await session.log({ type: 'member.removed', details: { member: name, role: target.role } });
  await rekey(session, remaining);
}

/** Logs `vault.rekey-started` under the old epoch's keys: the header on disk still names that epoch. */
async function announceRekey(session: VaultSession, old: EpochKeys, written: KnownSnapshot, bytes: Uint8Array): Promise<void> {
  const { sodium, log, member } = session.internals();
  if (!old.signingSecret) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only a full member can rekey the vault.');
  }
  await log.append(
    {
      type: REKEY_STARTED,
      actor: member.name,
      role: member.role,
      details: { epoch: written.keyEpoch, generation: written.generation, snapshotHash: sodium.to_hex(sodium.crypto_generichash(32, bytes, null)) },
    },
    { epoch: old.epoch, auditKey: old.audit, signingSecretKey: old.signingSecret },
  );
}

/**
 * New vault key, audit key and signing key for everyone in `slots`; the old
 * keys are zeroed. `transform` may change the new header before its single
 * write (a share rotation adds the new quorum slot, sealed with the new keys,
 * in the same commit). If a write fails, the session is abandoned: its
 * in-memory keys no longer match the disk.
 */
export async function rekey(
  session: VaultSession,
  slots: SlotRecord[],
  transform?: (next: Omit<VaultHeader, 'mac'>, keys: EpochKeys) => Omit<VaultHeader, 'mac'>,
): Promise<void> {
  const state = session.internals();
  const { sodium, header } = state;
  const old = state.keys;
  if (!old.content) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only a full member can rekey the vault.');
  }
  if (header.identity && !old.identity) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only an owner can rekey the vault: a new key epoch is signed by the vault identity.');
  }
  const epoch = old.epoch + 1;
  const vaultKey = sodium.crypto_kdf_keygen();
  const sub = deriveSubKeys(sodium, vaultKey);
  const signing = sodium.crypto_sign_keypair();
  const keyring = new Map(old.keyring);
  keyring.set(old.epoch, old.audit.slice());
  const next: EpochKeys = {
    epoch,
    vaultKey,
    content: sub.content,
    audit: sub.audit,
    header: sub.header,
    signingSecret: signing.privateKey,
    keyring,
    identity: old.identity ? old.identity.slice() : null,
  };
  const identity = header.identity ? sessionIdentity({ header, keys: next, sodium }) : null;
  const epochEntry = { epoch, publicKey: b64encode(sodium, signing.publicKey) };
  resealAll(session, old.content, sub.content);
  const resealed: Omit<VaultHeader, 'mac'> = {
    ...unsigned(header),
    keyEpoch: epoch,
    auditPublicKeys: [
      ...header.auditPublicKeys,
      identity?.secretKey
        ? signEpoch(sodium, header.vaultId, identity.secretKey, {
            ...epochEntry,
            keyCheck: epochKeyCheck(sodium, header.vaultId, epoch, sub.audit, sub.header),
          })
        : epochEntry,
    ],
    auditSigningKey: sealSigningKey(sodium, header.vaultId, epoch, sub.content, signing.privateKey),
    auditKeyring: sealKeyring(sodium, header.vaultId, epoch, sub.audit, keyring),
    slots: slots.map((slot) => resealSlot(sodium, header.vaultId, slot, epoch, payloadFor(slot.role, next), identity)),
  };
  const nextHeader = transform ? transform(resealed, next) : resealed;
  // Snapshot under the new key first; the header write below commits it.
  // Before that snapshot is written, the old epoch announces it in the log
  // (its generation and hash): after a crash before the header write, that
  // signed record is what tells the file from a planted one.
  state.keys = next;
  try {
    await session.commit({
      beforeWrite: async (written, bytes) => {
        await announceRekey(session, old, written, bytes);
      },
    });
    await saveHeader(session, nextHeader);
  } catch (error) {
    // commit() abandons on its own failure; a failed header write must too:
    // the session holds keys of an epoch the header on disk does not know.
    zeroKeys(sodium, old.vaultKey, old.content, old.audit, old.header, old.signingSecret, old.identity);
    await session.abandon();
    throw error;
  }
  zeroKeys(sodium, old.vaultKey, old.content, old.audit, old.header, old.signingSecret, old.identity);
  // Older epochs' snapshots open only with keys the removed member had; no
  // current member needs them (doctor restores within an epoch). Gone.
  state.snapshots = await pruneSnapshotsBefore(state.dir, epoch, state.snapshots);
  await session.log({ type: 'vault.rekeyed', details: { epoch } });
  await session.commit();
}
