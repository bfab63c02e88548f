/**
 * Which catalog publishers this vault trusts, and which catalog versions it
 * has applied. Both live in the encrypted database, so only a member who can
 * unlock the vault can change them, and every change is logged.
 */
import { z } from 'zod';
import { LifeboatError } from '../../shared/errors.js';
import type { VaultSession } from '../vault/vault-session.js';

const TRUST_KEY = 'trustedPublishers';
const VERSIONS_KEY = 'appliedCatalogVersions';

export const TrustedPublisherSchema = z.object({
  name: z.string(),
  keyId: z.string(),
  /** base64 Ed25519 public key. */
  publicKey: z.string(),
  addedAt: z.string(),
  addedBy: z.string(),
});
export type TrustedPublisher = z.output<typeof TrustedPublisherSchema>;

export function trustedPublishers(session: VaultSession): TrustedPublisher[] {
  session.require('records.read');
  const raw = session.store().getMeta(TRUST_KEY);
  return raw === undefined ? [] : z.array(TrustedPublisherSchema).parse(JSON.parse(raw));
}

export function findPublisher(session: VaultSession, keyId: string): TrustedPublisher | undefined {
  return trustedPublishers(session).find((p) => p.keyId === keyId);
}

/** Owner only; logged. Re-adding the same key under a new name renames it. */
export async function trustPublisher(session: VaultSession, input: { name: string; keyId: string; publicKey: string }): Promise<TrustedPublisher> {
  session.require('members.manage');
  const name = input.name.trim();
  if (name.length === 0) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'A trusted publisher needs a name (--name).');
  }
  const entry: TrustedPublisher = { ...input, name, addedAt: new Date().toISOString(), addedBy: session.member.name };
  const others = trustedPublishers(session).filter((p) => p.keyId !== input.keyId);
  await session.log({ type: 'catalog.publisher-trusted', details: { name, keyId: input.keyId } });
  session.store().setMeta(TRUST_KEY, JSON.stringify([...others, entry]));
  await session.commit();
  return entry;
}

export function appliedVersions(session: VaultSession): Record<string, number> {
  const raw = session.store().getMeta(VERSIONS_KEY);
  return raw === undefined ? {} : (JSON.parse(raw) as Record<string, number>);
}

export interface LastSync {
  catalogId: string;
  version: number;
  publisher: string;
  at: string;
  by: string;
  /** When its publisher packed it (the signed manifest's createdAt): a time the laptop's clock cannot be before. */
  signedAt?: string;
}

const LAST_SYNC_KEY = 'lastCatalogSync';

/** Written inside the sync's transaction, never alone. */
export function recordAppliedVersion(session: VaultSession, catalogId: string, version: number | null, publisher = '', signedAt?: string): void {
  if (version !== null) {
    session.store().setMeta(VERSIONS_KEY, JSON.stringify({ ...appliedVersions(session), [catalogId]: version }));
  }
  const last: LastSync = {
    catalogId,
    version: version ?? 0,
    publisher,
    at: new Date().toISOString(),
    by: session.member.name,
    ...(signedAt ? { signedAt } : {}),
  };
  session.store().setMeta(LAST_SYNC_KEY, JSON.stringify(last));
}

/** The most recent sync, for the home screen's status line. */
export function lastSync(session: VaultSession): LastSync | null {
  session.require('records.read');
  const raw = session.store().getMeta(LAST_SYNC_KEY);
  return raw === undefined ? null : (JSON.parse(raw) as LastSync);
}
