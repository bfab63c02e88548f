/**
 * Catalog operations both hosts offer: sync a signed catalog file (or, for
 * owners, an unsigned folder), trust a publisher's key, and the sync status.
 * Files are read here, with an error naming the path, before the engine
 * sees any byte.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import { syncCatalog, type SyncOptions, type SyncReport, type SyncSource } from '../catalog/catalog-sync.js';
import { lastSync, trustedPublishers, trustPublisher, type LastSync, type TrustedPublisher } from '../catalog/catalog-trust.js';
import { encodeBase64, keyIdWith, parsePublicKey } from '../catalog/publisher-key.js';
import type { VaultSession } from '../vault/vault-session.js';

export { briefReport, type SyncReport } from '../catalog/catalog-sync.js';
export { packCatalog, verifyCatalog } from '../catalog/catalog-manifest.js';
export { formatPublicKey, generatePublisherKey, parsePublicKey, writePublisherKey } from '../catalog/publisher-key.js';
export { trustedPublishers } from '../catalog/catalog-trust.js';

/** What to sync: a signed catalog file, or an owner's unsigned folder under a catalog id. */
export type CatalogInput = { file: string } | { unsignedFolder: string; catalogId?: string | undefined };

/** A named file's bytes; one that cannot be read is VAULT_NOT_FOUND, naming it. */
export async function readCatalogFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    throw new LifeboatError('VAULT_NOT_FOUND', `Could not read ${path}.`);
  }
}

/**
 * Reads the file (or checks the folder) named for a sync, so a wrong path is
 * refused before any passphrase is asked or the vault is touched.
 */
export async function catalogSource(input: CatalogInput): Promise<SyncSource> {
  if ('file' in input) {
    return { kind: 'signed', bytes: await readCatalogFile(input.file), label: basename(input.file) };
  }
  const folder = resolve(input.unsignedFolder);
  if (!(await stat(folder).catch(() => null))?.isDirectory()) {
    throw new LifeboatError('VAULT_NOT_FOUND', `${input.unsignedFolder} is not a folder.`);
  }
  return { kind: 'unsigned', dir: folder, catalogId: input.catalogId ?? basename(folder) };
}

/** Syncs a catalog read by catalogSource (diff, conflicts, apply; logged first). */
export function syncCatalogSource(session: VaultSession, source: SyncSource, options: SyncOptions = {}): Promise<SyncReport> {
  return syncCatalog(session, source, options);
}

/** Reads and syncs in one step, for a host that has nothing to ask in between (the window). */
export async function syncCatalogFrom(session: VaultSession, input: CatalogInput, options: SyncOptions = {}): Promise<SyncReport> {
  return syncCatalog(session, await catalogSource(input), options);
}

/** Trusts a publisher by the public key text they gave (`catalog keygen` prints it). Owners only. */
export async function trustPublisherKey(session: VaultSession, input: { publicKey: string; name: string }): Promise<TrustedPublisher> {
  const key = parsePublicKey(input.publicKey);
  return trustPublisher(session, { name: input.name, keyId: keyIdWith(session.sodium, key), publicKey: encodeBase64(key) });
}

export interface CatalogStatus {
  last: LastSync | null;
  publishers: { name: string; keyId: string; addedAt: string; addedBy: string }[];
}

export function catalogStatus(session: VaultSession): CatalogStatus {
  return {
    last: lastSync(session),
    publishers: trustedPublishers(session).map(({ name, keyId, addedAt, addedBy }) => ({ name, keyId, addedAt, addedBy })),
  };
}
