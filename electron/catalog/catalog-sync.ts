/**
 * A sync, in the order the rules give: read with limits and verify the
 * signature and every file hash; refuse an untrusted publisher; refuse a
 * version not newer than the last applied (unless an owner allows a
 * downgrade, logged); parse every file and report all problems at once;
 * compute the diff; find records of unsigned imports a signed catalog may
 * adopt (catalog-adopt.ts); refuse to archive more than a quarter of the
 * catalog's records unconfirmed; unless a dry run, log one "catalog.synced"
 * event and apply everything in one transaction and one snapshot.
 */
import { LifeboatError } from '../../shared/errors.js';
import { withResolvedSecrets } from '../vault/records/two-person.js';
import type { VaultSession } from '../vault/vault-session.js';
import { findAdoptable, heldUnderId } from './catalog-adopt.js';
import { applyDiff, type ApplyCounts, type ConflictChoice } from './catalog-apply.js';
import type { CatalogImage } from './catalog-images.js';
import { catalogProblemsError, parseCatalogContent, type CatalogSkip, type CatalogWarning } from './catalog-content.js';
import { archiveShare, diffCatalog, type SyncChange, type SyncDiff } from './catalog-diff.js';
import { readCatalogFolder } from './catalog-folder.js';
import { keptLocalDecisions } from './catalog-kept-local.js';
import { verifyCatalog } from './catalog-manifest.js';
import { checkPublisherPin, checkVersionJump, refuseUnsignedOverSigned, type PinDecision } from './catalog-pins.js';
import { appliedVersions, findPublisher } from './catalog-trust.js';
import { decodeBase64 } from './publisher-key.js';

export type SyncSource = { kind: 'signed'; bytes: Uint8Array; label: string } | { kind: 'unsigned'; dir: string; catalogId: string };

export interface SyncOptions {
  dryRun?: boolean;
  /** Owners only, logged: a version not newer than the one applied (a deliberate rollback of the catalog). */
  allowDowngrade?: boolean;
  /** Why the downgrade is deliberate; logged with it (the window asks for one). */
  downgradeReason?: string;
  /** Owners only, logged: accept a version more than MAX_VERSION_JUMP above the last applied one. */
  allowVersionJump?: boolean;
  /** Owners only, logged: the catalog id moved to another publisher's key; pin it to this one. */
  repin?: boolean;
  /** How to settle conflicts (a local edit and a catalog change); keep-local unless told. */
  conflicts?: ConflictChoice | ((change: SyncChange) => ConflictChoice);
  /** Owners only, logged, signed catalogs only: take over the records of unsigned imports that hold the same entries (catalog-adopt.ts). */
  adopt?: boolean;
  /** Confirms a sync that archives more than a quarter of the catalog's records (CLI --yes). */
  confirmArchive?: boolean;
  progress?: (done: number, total: number, label: string) => void;
}

export interface SyncReport {
  catalogId: string;
  catalogVersion: number;
  publisher: string;
  signature: 'verified' | 'unsigned';
  previousVersion: number | null;
  dryRun: boolean;
  diff: SyncDiff;
  /**
   * New signed entries that records of an unsigned import already hold (null
   * when none): adopted with `adopt`, else added as duplicates unless adopted.
   */
  adoption: { entries: SyncChange[]; from: string[]; adopted: boolean } | null;
  /** How many of the catalog's live records this sync archives; more than a quarter needs confirmArchive. */
  archive: { archiving: number; of: number; needsConfirmation: boolean };
  /** Files (or YAML documents) that are not catalog entities: left out, never an error. */
  skipped: CatalogSkip[];
  /** What the publisher should fix (empty pages, generic or shared titles, missing or oversized images); the sync goes ahead. */
  warnings: CatalogWarning[];
  /** The images the catalog carries (catalog-images.ts), compared with those the vault holds for its id: paths, and the bytes carried. */
  images: ImageChanges;
  applied: ApplyCounts | null;
}

export interface ImageChanges {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  /** Bytes of all the images the catalog carries. */
  bytes: number;
}

function compareImages(held: ReadonlyMap<string, string>, images: readonly CatalogImage[]): ImageChanges {
  const carried = new Set(images.map((image) => image.path));
  const changes: ImageChanges = { added: [], changed: [], removed: [], unchanged: 0, bytes: 0 };
  for (const image of images) {
    const before = held.get(image.path);
    if (before === undefined) {
      changes.added.push(image.path);
    } else if (before !== image.sha256) {
      changes.changed.push(image.path);
    } else {
      changes.unchanged += 1;
    }
    changes.bytes += image.bytes.length;
  }
  changes.removed = [...held.keys()].filter((path) => !carried.has(path)).sort();
  return changes;
}

interface Loaded {
  catalogId: string;
  catalogVersion: number;
  publisher: string;
  signature: 'verified' | 'unsigned';
  /** The signing key's id (empty for an unsigned folder). */
  keyId: string;
  /** When the publisher packed it (the signed manifest's createdAt); absent for an unsigned folder. */
  signedAt?: string;
  files: Map<string, Uint8Array>;
  /** A folder's files of other types, not read (listed as skipped). */
  others?: string[];
  /** A folder's images over the size limit, not read (a warning each, if a page shows it). */
  oversized?: { path: string; size: number }[];
}

async function loadSource(session: VaultSession, source: SyncSource, report: (label: string) => void): Promise<Loaded> {
  if (source.kind === 'unsigned') {
    session.require('members.manage');
    report('Reading the folder');
    const folder = await readCatalogFolder(source.dir);
    return {
      catalogId: source.catalogId,
      catalogVersion: 0,
      publisher: `unsigned folder ${source.dir}`,
      signature: 'unsigned',
      keyId: '',
      files: new Map(folder.files.map((f) => [f.path, f.bytes])),
      others: folder.others,
      oversized: folder.oversized,
    };
  }
  report('Reading and checking the catalog');
  // One pass over the archive: the manifest names its publisher, the vault's trust list gives the
  // key, and only then are the signature and every file's hash checked.
  let trusted = '';
  const verified = await verifyCatalog(source.bytes, {
    label: source.label,
    keyFor: (claimed) => {
      const publisher = findPublisher(session, claimed.keyId);
      const key = publisher ? decodeBase64(publisher.publicKey) : undefined;
      if (!publisher || !key) {
        throw new LifeboatError(
          'CATALOG_UNTRUSTED',
          `${source.label}: signed by publisher "${claimed.name}" (key ${claimed.keyId}), which this vault does not trust. An owner can add it with \`lifeboat trust add\`.`,
        );
      }
      trusted = publisher.name;
      report('Verifying the signature and every file');
      return key;
    },
  });
  return {
    catalogId: verified.manifest.catalogId,
    catalogVersion: verified.manifest.catalogVersion,
    publisher: trusted,
    signature: 'verified',
    keyId: verified.manifest.publisher.keyId,
    signedAt: verified.manifest.createdAt,
    files: verified.files,
  };
}

function checkVersion(session: VaultSession, loaded: Loaded, allowDowngrade: boolean): number | null {
  const previous = appliedVersions(session)[loaded.catalogId] ?? null;
  if (loaded.signature === 'unsigned' || previous === null || loaded.catalogVersion > previous) {
    return previous;
  }
  if (!allowDowngrade) {
    throw new LifeboatError(
      'CATALOG_ROLLBACK',
      `Catalog ${loaded.catalogId} version ${loaded.catalogVersion} is not newer than version ${previous}, already applied. If this is deliberate, an owner can allow it with a reason (on the Sync screen, or --allow-downgrade --reason on the command line); it is logged.`,
    );
  }
  session.require('members.manage');
  return previous;
}

/**
 * A two-person procedure's list decides which secrets need a second member:
 * a sync that would change or archive one is an owner's (issue 15, M2).
 */
function refuseTwoPersonChanges(session: VaultSession, diff: SyncDiff, choice: (change: SyncChange) => ConflictChoice): void {
  if (session.member.role === 'owner') {
    return;
  }
  const store = session.store();
  const touched = [...diff.changed, ...diff.removed, ...diff.conflicts.filter((c) => choice(c) === 'take-catalog')];
  const guarded = touched.find((change) => store.get(change.recordId ?? '')?.data['twoPerson'] === true);
  if (guarded) {
    throw new LifeboatError(
      'VAULT_FORBIDDEN',
      `This sync would change "${guarded.title}", a procedure under the two-person rule: only an owner can sync it. Nothing was changed.`,
    );
  }
}

interface Authority {
  previousVersion: number | null;
  pin: { decision: PinDecision; fromKeyId?: string };
  versionJump: boolean;
}

/** Whose catalog this id is, and whether this version may follow the last one (catalog-pins.ts). */
function checkAuthority(session: VaultSession, loaded: Loaded, options: SyncOptions): Authority {
  if (loaded.signature === 'unsigned') {
    refuseUnsignedOverSigned(session, loaded.catalogId, appliedVersions(session)[loaded.catalogId]);
    return { previousVersion: null, pin: { decision: 'same' }, versionJump: false };
  }
  const pin = checkPublisherPin(session, loaded, options.repin === true);
  const previousVersion = checkVersion(session, loaded, options.allowDowngrade === true);
  const versionJump = checkVersionJump(session, loaded.catalogId, loaded.catalogVersion, previousVersion, options.allowVersionJump === true);
  return { previousVersion, pin: { decision: pin.decision, ...(pin.previous ? { fromKeyId: pin.previous.keyId } : {}) }, versionJump };
}

/**
 * Records of unsigned imports this signed catalog could adopt. Adopting moves
 * them out of `added`, so the counts say what really happens.
 */
function adoptionFor(loaded: Loaded, diff: SyncDiff, records: Parameters<typeof findAdoptable>[2], adopt: boolean): SyncReport['adoption'] {
  if (loaded.signature === 'unsigned') {
    if (adopt) {
      throw new LifeboatError(
        'VAULT_BAD_INPUT',
        'Only a signed catalog can adopt records (--adopt): an unsigned folder never takes over records. Nothing was changed.',
      );
    }
    return null;
  }
  const found = findAdoptable(loaded.catalogId, diff.added, records);
  const held = heldUnderId(loaded.catalogId, records);
  if (found.candidates.length === 0 && held.length === 0) {
    return null;
  }
  if (adopt) {
    const taken = new Set(found.candidates.map((c) => c.key));
    diff.added = diff.added.filter((change) => !taken.has(change.key));
  }
  const from = [...new Set([...found.from, ...(held.length > 0 ? [loaded.catalogId] : [])])].sort();
  return { entries: [...found.candidates, ...held], from, adopted: adopt };
}

/** A signed catalog takes over an unsigned folder's records under its own id only when an owner adopts them. */
function refuseUnadoptedTakeover(loaded: Loaded, held: readonly SyncChange[], adopt: boolean): void {
  if (held.length > 0 && !adopt) {
    throw new LifeboatError(
      'CATALOG_ADOPTION_REQUIRED',
      `Catalog id ${loaded.catalogId} holds ${held.length} record${held.length === 1 ? '' : 's'} synced from an unsigned folder: this signed catalog would rewrite or archive ${held.length === 1 ? 'it' : 'them'}. If it should take ${held.length === 1 ? 'it' : 'them'} over, an owner can adopt ${held.length === 1 ? 'it' : 'them'} (--adopt, logged); else the publisher should use another catalog id. Nothing was changed.`,
    );
  }
}

/** Issue 17: a wrong folder or id must not hide a catalog's runbooks by accident. */
function refuseUnconfirmedArchive(report: SyncReport, loaded: Loaded, confirmed: boolean): void {
  const { archiving, of, needsConfirmation } = report.archive;
  if (needsConfirmation && !confirmed) {
    throw new LifeboatError(
      'CATALOG_ARCHIVE_UNCONFIRMED',
      `This sync would archive ${archiving} of the ${of} records of catalog ${loaded.catalogId}, more than a quarter: check that ${loaded.signature === 'unsigned' ? 'the folder and its id are' : 'the catalog file is'} the right one. Nothing was changed. If those records really left the catalog, confirm it (--yes on the command line).`,
    );
  }
}

function choose(option: SyncOptions['conflicts']): (change: SyncChange) => ConflictChoice {
  if (typeof option === 'function') {
    return option;
  }
  const fixed = option ?? 'keep-local';
  return () => fixed;
}

/** Lets main's event loop run (IPC, the idle timer, progress events) between a sync's phases. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The phases a sync reports with counts (issue 19): files read, verified,
 * parsed, compared, then (unless a dry run) changes applied. `progress` gets
 * (phases done, phases, label) between phases, the apply's own
 * (changes done, changes, label) inside it, and 'Done' last.
 */
function phaseReporter(options: SyncOptions) {
  const phases = options.dryRun ? 4 : 5;
  let done = 0;
  return {
    /** Says what is starting, at the current count. */
    starting: (label: string): void => options.progress?.(done, phases, label),
    /** One phase over: its counts, then main's loop gets a turn. */
    finished: async (label: string): Promise<void> => {
      done += 1;
      options.progress?.(done, phases, label);
      await breathe();
    },
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export async function syncCatalog(session: VaultSession, source: SyncSource, options: SyncOptions = {}): Promise<SyncReport> {
  session.require('records.write');
  const phase = phaseReporter(options);
  const loaded = await loadSource(session, source, phase.starting);
  await phase.finished(`Read ${plural(loaded.files.size, 'file')}`);
  await phase.finished(
    loaded.signature === 'verified'
      ? `Verified the signature and ${plural(loaded.files.size, 'file hash', 'file hashes')}`
      : 'Unsigned folder: nothing to verify (flagged unsigned)',
  );
  const { previousVersion, pin, versionJump } = checkAuthority(session, loaded, options);

  phase.starting('Parsing every file');
  const { entries, problems, skipped, warnings, images } = parseCatalogContent(loaded.files, loaded.others, loaded.oversized);
  if (problems.length > 0) {
    throw catalogProblemsError(problems);
  }
  await phase.finished(`Parsed ${plural(entries.length, 'entry', 'entries')}`);

  phase.starting('Comparing with the vault');
  // A procedure's secrets are named by title in a catalog; the vault keeps them by id where one secret has that title.
  const resolved = entries.map((entry) => ({ ...entry, data: withResolvedSecrets(session.store(), entry.type, entry.data, 'catalog') }));
  const records = session.store().all();
  const diff = diffCatalog(session.sodium, loaded.catalogId, resolved, records, loaded.signature === 'verified', keptLocalDecisions(session));
  const adoption = adoptionFor(loaded, diff, records, options.adopt === true);
  const report: SyncReport = {
    catalogId: loaded.catalogId,
    catalogVersion: loaded.catalogVersion,
    publisher: loaded.publisher,
    signature: loaded.signature,
    previousVersion,
    dryRun: options.dryRun === true,
    diff,
    adoption,
    archive: archiveShare(loaded.catalogId, diff, records),
    skipped,
    warnings,
    images: compareImages(session.store().catalogImageHashes(loaded.catalogId), images),
    applied: null,
  };
  await phase.finished(
    `Compared ${plural(entries.length, 'entry', 'entries')} with the vault: ${plural(diff.added.length + diff.changed.length + diff.removed.length + diff.conflicts.length, 'change')}`,
  );
  if (options.dryRun) {
    options.progress?.(1, 1, 'Done');
    return report;
  }
  refuseUnconfirmedArchive(report, loaded, options.confirmArchive === true);
  const held = loaded.signature === 'verified' ? heldUnderId(loaded.catalogId, records) : [];
  refuseUnadoptedTakeover(loaded, held, options.adopt === true);
  const heldIds = new Set(held.map((h) => h.recordId));
  // Those held under this id are rewritten by the diff itself (changed or archived); the others are adopted by path.
  const adopted = adoption?.adopted ? adoption.entries.filter((e) => !heldIds.has(e.recordId)) : [];
  if (adopted.length > 0 || held.length > 0) {
    session.require('members.manage');
  }

  const conflictChoice = choose(options.conflicts);
  refuseTwoPersonChanges(session, diff, conflictChoice);
  if (pin.decision === 'repin') {
    await session.log({
      type: 'catalog.publisher-repinned',
      details: { catalogId: loaded.catalogId, fromKeyId: pin.fromKeyId ?? '', toKeyId: loaded.keyId, publisher: loaded.publisher },
    });
  }
  await session.log({
    type: 'catalog.synced',
    details: {
      catalogId: loaded.catalogId,
      version: loaded.catalogVersion,
      publisher: loaded.publisher,
      signature: loaded.signature,
      added: diff.added.length,
      changed: diff.changed.length,
      removed: diff.removed.length,
      conflicts: diff.conflicts.length,
      ...(adopted.length + held.length > 0 ? { adopted: adopted.length + held.length, adoptedFrom: adoption?.from.join(', ') ?? '' } : {}),
      ...(report.archive.needsConfirmation ? { archiveConfirmed: true } : {}),
      ...(images.length > 0 || report.images.removed.length > 0 ? { images: images.length } : {}),
      ...(loaded.keyId ? { keyId: loaded.keyId } : {}),
      ...(pin.decision === 'first' ? { pinned: true } : {}),
      ...(versionJump ? { versionJumpFrom: previousVersion ?? 0 } : {}),
      ...(previousVersion !== null && loaded.catalogVersion <= previousVersion && loaded.signature === 'verified'
        ? { downgradeFrom: previousVersion, ...(options.downgradeReason?.trim() ? { downgradeReason: options.downgradeReason.trim() } : {}) }
        : {}),
    },
  });
  phase.starting('Applying the changes in one transaction');
  try {
    report.applied = await applyDiff(session, {
      catalogId: loaded.catalogId,
      catalogVersion: loaded.catalogVersion,
      publisher: loaded.publisher,
      ...(loaded.signedAt ? { signedAt: loaded.signedAt } : {}),
      unsigned: loaded.signature === 'unsigned',
      ...(pin.decision === 'same' ? {} : { pinKeyId: loaded.keyId }),
      diff,
      images,
      adopted,
      conflictChoice,
      progress: (done, total) => options.progress?.(done, total, `Applied ${done} of ${plural(total, 'change')}`),
    });
    report.applied.adopted += held.length;
    await session.commit();
  } catch (error) {
    // The database transaction rolled back, or the snapshot was not written:
    // either way the in-memory state must not outlive the failure (a normal
    // lock would save it). The vault stays as it was before the sync; the
    // log says so next to the catalog.synced event (best effort: the failure
    // may be the disk itself).
    await session.log({ type: 'catalog.sync-failed', details: { catalogId: loaded.catalogId, version: loaded.catalogVersion } }).catch(() => undefined);
    await session.abandon();
    throw error;
  }
  options.progress?.(1, 1, 'Done');
  return report;
}

/** The report without the parsed entries: what the CLI prints as JSON and IPC returns. */
export function briefReport(report: SyncReport) {
  const brief = (changes: SyncChange[]) =>
    changes.map(({ key, type, title, file, fields, recordId }) => ({ key, type, title, file, fields, ...(recordId ? { recordId } : {}) }));
  return {
    ...report,
    diff: {
      added: brief(report.diff.added),
      changed: brief(report.diff.changed),
      removed: brief(report.diff.removed),
      conflicts: brief(report.diff.conflicts),
      unchanged: report.diff.unchanged,
      keptLocal: report.diff.keptLocal,
    },
    adoption: report.adoption ? { ...report.adoption, entries: brief(report.adoption.entries) } : null,
  };
}
