/**
 * Catalog operations both hosts offer: sync a signed catalog file (or, for
 * owners, an unsigned folder), trust a publisher's key, and the sync status.
 * Files are read here, with an error naming the path, before the engine
 * sees any byte.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { GENERIC_FOLDER_NAMES, isGenericFolderName } from '../../shared/catalog-ids.js';
import { LifeboatError } from '../../shared/errors.js';
import { CATALOG_LIMITS, openCatalogArchive } from '../catalog/catalog-archive.js';
import { CatalogIdSchema, MANIFEST_PATH, parseCatalogManifest } from '../catalog/catalog-manifest.js';
import { briefReport, syncCatalog, type SyncOptions, type SyncReport, type SyncSource } from '../catalog/catalog-sync.js';
import { lastSync, trustedPublishers, trustPublisher, type LastSync, type TrustedPublisher } from '../catalog/catalog-trust.js';
import { encodeBase64, keyIdWith, parsePublicKey } from '../catalog/publisher-key.js';
import type { VaultSession } from '../vault/vault-session.js';
import { rememberCatalogId, rememberedCatalogId } from './catalog-folder-ids.js';
import { contentDiffs } from './sync-content-diff.js';

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
 * The catalog id of an unsigned folder (issue 17): the one given, else the
 * folder's name unless that is too generic (shared/catalog-ids.ts), which is
 * refused (CATALOG_ID_REQUIRED) so a second repository's `docs/` cannot
 * archive the first one's runbooks. Also the default of `catalog pack`.
 */
export function folderCatalogId(folder: string, given: string | undefined, option = '--id'): string {
  const name = basename(resolve(folder));
  if (given === undefined || given.trim() === '') {
    if (isGenericFolderName(name)) {
      throw new LifeboatError(
        'CATALOG_ID_REQUIRED',
        `${folder}: "${name}" is too generic to be a catalog id (many repositories have one, and a second one synced under it would archive this one's records). Give the catalog an id of its own with ${option}, for example the repository's name. Too generic: ${GENERIC_FOLDER_NAMES.join(', ')}.`,
      );
    }
    return checkedCatalogId(name, `${folder}: the folder's name`, option);
  }
  return checkedCatalogId(given.trim(), option, option);
}

function checkedCatalogId(id: string, what: string, option: string): string {
  if (!CatalogIdSchema.safeParse(id).success) {
    throw new LifeboatError(
      'VAULT_BAD_INPUT',
      `${what} "${id}" is not a catalog id: expected 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit${what === option ? '' : ` (give one with ${option})`}.`,
    );
  }
  return id;
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
  return { kind: 'unsigned', dir: folder, catalogId: folderCatalogId(input.unsignedFolder, input.catalogId) };
}

/** Syncs a catalog read by catalogSource (diff, conflicts, apply; logged first). */
export function syncCatalogSource(session: VaultSession, source: SyncSource, options: SyncOptions = {}): Promise<SyncReport> {
  return syncCatalog(session, source, options);
}

/** Reads and syncs in one step, for a host that has nothing to ask in between (the window). */
export async function syncCatalogFrom(session: VaultSession, input: CatalogInput, options: SyncOptions = {}): Promise<SyncReport> {
  return syncCatalog(session, await catalogSource(input), options);
}

/**
 * The window's sync (issue 17): a file is a signed catalog; a folder is an
 * owner's unsigned one, under the id given, else the one remembered for that
 * folder (catalog-folder-ids.ts), else its name unless too generic
 * (CATALOG_ID_REQUIRED: the window then asks). An id given is remembered once
 * a sync with it is applied, so the window asks once per folder.
 */
export async function syncFromWindow(
  session: VaultSession,
  stateDir: string,
  request: { path: string; catalogId?: string | undefined },
  options: SyncOptions = {},
): Promise<SyncReport & { catalogIdFrom?: 'given' | 'remembered' | 'folder' }> {
  requireDowngradeReason(options);
  if (!(await stat(request.path).catch(() => null))?.isDirectory()) {
    return syncCatalog(session, await catalogSource({ file: request.path }), options);
  }
  const folder = resolve(request.path);
  const given = request.catalogId?.trim() ? request.catalogId.trim() : undefined;
  const remembered = given === undefined ? await rememberedCatalogId(stateDir, folder) : undefined;
  const report = await syncCatalog(session, await catalogSource({ unsignedFolder: folder, catalogId: given ?? remembered }), options);
  if (given !== undefined && !options.dryRun) {
    await rememberCatalogId(stateDir, folder, report.catalogId);
  }
  return { ...report, catalogIdFrom: given !== undefined ? 'given' : remembered !== undefined ? 'remembered' : 'folder' };
}

/**
 * The report the window shows: the brief one, and for a check (dry run) each
 * changed record's and conflict's differing fields word by word
 * (sync-content-diff.ts), vault side → catalog side. After an apply the
 * vault side is gone, so the window keeps what its check showed.
 */
export function windowSyncReport(session: VaultSession, report: SyncReport & { catalogIdFrom?: 'given' | 'remembered' | 'folder' }) {
  const brief = { ...briefReport(report), ...(report.catalogIdFrom ? { catalogIdFrom: report.catalogIdFrom } : {}) };
  if (!report.dryRun) {
    return brief;
  }
  const diffs = contentDiffs(session.store(), [...report.diff.changed, ...report.diff.conflicts]);
  const withContent = <C extends { key: string }>(change: C) => {
    const content = diffs.get(change.key);
    return content ? { ...change, content } : change;
  };
  return { ...brief, diff: { ...brief.diff, changed: brief.diff.changed.map(withContent), conflicts: brief.diff.conflicts.map(withContent) } };
}

/**
 * In the window, an owner allows an older catalog only with a reason, logged
 * with the sync (issue 19): the window offers it from the CATALOG_ROLLBACK
 * error itself, where a click would otherwise be all it takes.
 */
function requireDowngradeReason(options: SyncOptions): void {
  if (options.allowDowngrade && !options.downgradeReason?.trim()) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Allowing an older catalog version needs a reason (it is logged with the sync). Nothing was changed.');
  }
}

/**
 * The publisher a catalog file names in its manifest: not yet verified (the
 * signature is checked by the sync, with a trusted key), so only ever used
 * to refuse a key that is not the one named.
 */
export async function claimedPublisher(path: string): Promise<{ name: string; keyId: string }> {
  const label = basename(path);
  const archive = openCatalogArchive(await readCatalogFile(path), CATALOG_LIMITS, label);
  if (!archive.paths.includes(MANIFEST_PATH)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${label}: ${MANIFEST_PATH}: missing; this is not a Lifeboat catalog.`);
  }
  return parseCatalogManifest(archive.read(MANIFEST_PATH), label).publisher;
}

/**
 * Trusting from a catalog's CATALOG_UNTRUSTED error (the window, owners):
 * the key pasted, obtained from the publisher out of band, must be the one
 * that catalog names, else nothing is trusted (a mistyped or swapped key
 * would otherwise be trusted and fail later, or worse, be another party's).
 */
export async function trustPublisherForCatalog(
  session: VaultSession,
  input: { publicKey: string; name: string; catalogPath: string },
): Promise<TrustedPublisher> {
  session.require('members.manage');
  const keyId = keyIdWith(session.sodium, parsePublicKey(input.publicKey));
  const claimed = await claimedPublisher(input.catalogPath);
  if (claimed.keyId !== keyId) {
    throw new LifeboatError(
      'CATALOG_UNTRUSTED',
      `The key given (key id ${keyId}) is not the one that signed ${basename(input.catalogPath)} (key id ${claimed.keyId}, "${claimed.name}"): nothing was trusted. Check the key with the publisher.`,
    );
  }
  return trustPublisherKey(session, input);
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
