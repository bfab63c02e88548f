/**
 * Catalog operations both hosts offer: sync a signed catalog file (or, for
 * owners, an unsigned folder), trust a publisher's key, and the sync status.
 * Files are read here, with an error naming the path, before the engine
 * sees any byte.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import { syncCatalog, type SyncOptions, type SyncReport } from '../catalog/catalog-sync.js';
import { lastSync, trustedPublishers, trustPublisher, type LastSync } from '../catalog/catalog-trust.js';
import { encodeBase64, keyIdWith, parsePublicKey } from '../catalog/publisher-key.js';
import type { VaultSession } from '../vault/vault-session.js';

export { briefReport, type SyncReport } from '../catalog/catalog-sync.js';
export { packCatalog, verifyCatalog } from '../catalog/catalog-manifest.js';
export { formatPublicKey, generatePublisherKey, writePublisherKey } from '../catalog/publisher-key.js';
export { trustedPublishers } from '../catalog/catalog-trust.js';

/** What to sync: a signed catalog file, or an owner's unsigned folder under a catalog id. */
export type CatalogSource = { file: string } | { unsignedFolder: string; catalogId?: string | undefined };

export async function readCatalogFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    throw new LifeboatError('VAULT_NOT_FOUND', `Could not read ${path}.`);
  }
}

export async function syncCatalogFrom(session: VaultSession, source: CatalogSource, options: SyncOptions = {}): Promise<SyncReport> {
  if ('file' in source) {
    const bytes = await readCatalogFile(source.file);
    return syncCatalog(session, { kind: 'signed', bytes, label: basename(source.file) }, options);
  }
  const folder = resolve(source.unsignedFolder);
  if (!(await stat(folder).catch(() => null))?.isDirectory()) {
    throw new LifeboatError('VAULT_NOT_FOUND', `${source.unsignedFolder} is not a folder.`);
  }
  return syncCatalog(session, { kind: 'unsigned', dir: folder, catalogId: source.catalogId ?? basename(folder) }, options);
}

/** Trusts a publisher by the public key text they gave (`catalog keygen` prints it). Owners only. */
export async function trustPublisherKey(session: VaultSession, input: { publicKey: string; name: string }): Promise<{ name: string; keyId: string }> {
  const key = parsePublicKey(input.publicKey);
  const entry = await trustPublisher(session, { name: input.name, keyId: keyIdWith(session.sodium, key), publicKey: encodeBase64(key) });
  return { name: entry.name, keyId: entry.keyId };
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
