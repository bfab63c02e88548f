/**
 * A signed catalog: `lifeboat-catalog.json` (the manifest), its Ed25519
 * detached signature `lifeboat-catalog.sig` (64 raw bytes over the exact
 * manifest bytes), and the content files it lists with size and SHA-256.
 *
 * `verifyCatalog` applies the reading rules in order: the archive is read
 * under its limits with its path rules (`catalog-archive.ts`); then, given a
 * trusted key, the signature is checked over the raw manifest bytes before
 * they are parsed; then the manifest is validated (errors name the field);
 * then the archive must hold exactly the listed files, each with its size
 * and hash. Without a trusted key the signature is reported 'unverified':
 * the manifest's key id is a claim, and only the key can check it.
 */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { LifeboatError } from '../../shared/errors.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { CATALOG_LIMITS, catalogPathProblem, openCatalogArchive, readCatalogArchive, writeCatalogArchive, type CatalogLimits } from './catalog-archive.js';
import { catalogProblemsError, parseCatalogContent, type CatalogSkip, type CatalogWarning } from './catalog-content.js';
import { readCatalogFolder } from './catalog-folder.js';
import { isImagePath } from './catalog-images.js';
import { describeIssue, keyIdWith, PUBLIC_KEY_BYTES, readPublisherKey } from './publisher-key.js';

export {
  formatPublicKey,
  generatePublisherKey,
  parsePublicKey,
  publisherKeyId,
  readPublisherKey,
  writePublisherKey,
  type PublisherKey,
} from './publisher-key.js';
export { unpackedFolderFiles } from './catalog-folder.js';

export const MANIFEST_PATH = 'lifeboat-catalog.json';
export const SIGNATURE_PATH = 'lifeboat-catalog.sig';
export const CATALOG_FORMAT = 'lifeboat-catalog';
export const CATALOG_FORMAT_VERSION = 1;
const SIGNATURE_BYTES = 64;

const noControlCharacters = (text: string): boolean => !/\p{Cc}/u.test(text);

export const CatalogIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'expected 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const CatalogFileEntrySchema = z
  .object({
    path: z.string().superRefine((path, ctx) => {
      const problem = catalogPathProblem(path) ?? (path === MANIFEST_PATH || path === SIGNATURE_PATH ? 'the name is reserved' : undefined);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
      }
    }),
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  })
  .strict();

export const CatalogManifestSchema = z
  .object({
    format: z.literal(CATALOG_FORMAT),
    version: z.literal(CATALOG_FORMAT_VERSION),
    catalogId: CatalogIdSchema,
    /** Strictly increasing per catalog id; a sync refuses anything not newer. */
    catalogVersion: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    createdAt: z.iso.datetime(),
    publisher: z
      .object({
        name: z.string().min(1).max(200).refine(noControlCharacters, 'contains a control character'),
        keyId: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lowercase hex digits'),
      })
      .strict(),
    files: z.array(CatalogFileEntrySchema).superRefine((files, ctx) => {
      const seen = new Set<string>();
      files.forEach((file, i) => {
        if (seen.has(file.path)) {
          ctx.addIssue({ code: 'custom', path: [i, 'path'], message: `"${file.path}" is listed more than once` });
        }
        seen.add(file.path);
      });
    }),
  })
  .strict();

export type CatalogManifest = z.output<typeof CatalogManifestSchema>;
export type CatalogFileEntry = z.output<typeof CatalogFileEntrySchema>;

/** Parses and validates manifest bytes; refusals name the field. */
export function parseCatalogManifest(bytes: Uint8Array, label = 'catalog'): CatalogManifest {
  const refuse = (why: string): LifeboatError => new LifeboatError('VAULT_BAD_INPUT', `${label}: ${MANIFEST_PATH}: ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw refuse('it is not UTF-8 JSON');
  }
  const parsed = CatalogManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw refuse(describeIssue(parsed.error.issues[0]));
  }
  return parsed.data;
}

export interface PackCatalogOptions {
  srcDir: string;
  keyPath: string;
  catalogVersion: number;
  /** Defaults to the folder's name. */
  catalogId?: string;
  /** Defaults to the key file's name, else the key id. */
  publisherName?: string;
  /** The manifest's createdAt; now unless given (fix it for reproducible packs). */
  now?: Date;
}

export interface PackedCatalog {
  bytes: Uint8Array;
  manifest: CatalogManifest;
  /** What a vault will leave out (files of other types are not packed at all). */
  skipped: CatalogSkip[];
  /** What a vault will warn about when it syncs this catalog. */
  warnings: CatalogWarning[];
}

/**
 * Walks `srcDir`, reads its files as a vault will (parseCatalogContent: a
 * catalog a vault would refuse is refused here, with the same problems),
 * builds and signs the manifest, returns the `.lbcat` bytes. Writes nothing.
 */
export async function packCatalog(options: PackCatalogOptions): Promise<PackedCatalog> {
  const srcDir = resolve(options.srcDir);
  const key = await readPublisherKey(options.keyPath);
  const sodium = await loadSodium();
  const folder = await readCatalogFolder(srcDir, CATALOG_LIMITS, 2);
  if (!folder.files.some((f) => !isImagePath(f.path))) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${srcDir}: there are no .yaml, .yml, .md, .markdown, .ics or .pagerduty.json files to pack.`);
  }
  const content = parseCatalogContent(new Map(folder.files.map((f) => [f.path, f.bytes])), folder.others, folder.oversized);
  if (content.problems.length > 0) {
    throw catalogProblemsError(content.problems, srcDir, 'nothing was packed');
  }
  // Images travel only when a page shows them and they are within the limits (catalog-images.ts).
  const carried = new Set(content.images.map((image) => image.path));
  const files = folder.files.filter((f) => !isImagePath(f.path) || carried.has(f.path));
  const draft = {
    format: CATALOG_FORMAT,
    version: CATALOG_FORMAT_VERSION,
    catalogId: options.catalogId ?? basename(srcDir),
    catalogVersion: options.catalogVersion,
    createdAt: (options.now ?? new Date()).toISOString(),
    publisher: { name: options.publisherName ?? key.name ?? key.keyId, keyId: key.keyId },
    files: files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: sodium.to_hex(sodium.crypto_hash_sha256(f.bytes)) })),
  };
  const parsed = CatalogManifestSchema.safeParse(draft);
  if (!parsed.success) {
    const hint =
      parsed.error.issues[0]?.path[0] === 'catalogId' && options.catalogId === undefined ? ' (the folder name is the default; give a catalog id)' : '';
    throw new LifeboatError('VAULT_BAD_INPUT', `${srcDir}: ${MANIFEST_PATH}: ${describeIssue(parsed.error.issues[0])}${hint}`);
  }
  const manifest = parsed.data;
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  const signature = sodium.crypto_sign_detached(manifestBytes, key.secretKey);
  const bytes = writeCatalogArchive([...files, { path: MANIFEST_PATH, bytes: manifestBytes }, { path: SIGNATURE_PATH, bytes: signature }]);
  // The packer never emits what the reader refuses (the ratio guard, above all).
  readCatalogArchive(bytes, CATALOG_LIMITS, srcDir);
  return { bytes, manifest, skipped: content.skipped, warnings: content.warnings };
}

export interface VerifyCatalogOptions {
  /** The publisher's 32-byte Ed25519 public key, from the vault's trust list. */
  trustedKey?: Uint8Array;
  /**
   * Instead of trustedKey: called with the manifest's (as yet unverified)
   * publisher to look the key up, so a sync reads, inflates and hashes the
   * archive once, not once to find the publisher and again to verify. It may
   * throw (an untrusted publisher); what it returns is checked like trustedKey.
   */
  keyFor?: (publisher: CatalogManifest['publisher']) => Uint8Array;
  /** Names the archive in refusals (e.g. its file name); "catalog" unless given. */
  label?: string;
  limits?: CatalogLimits;
}

export interface VerifiedCatalog {
  manifest: CatalogManifest;
  /** The content files (not the manifest or signature), in manifest order. */
  files: Map<string, Uint8Array>;
  /** 'verified' only when checked with a trusted key; the key id in the manifest proves nothing. */
  signature: 'verified' | 'unverified';
  /** Whether the manifest's publisher key id names the trusted key; null without one. */
  publicKeyMatches: boolean | null;
}

/** Reads, checks and (given a trusted key) authenticates a `.lbcat`. */
export async function verifyCatalog(bytes: Uint8Array, options: VerifyCatalogOptions = {}): Promise<VerifiedCatalog> {
  const label = options.label ?? 'catalog';
  // Every entry's name and declared size are checked, but only the manifest and the signature are
  // inflated before the signature is checked: an unsigned or forged catalog costs no inflation.
  const archive = openCatalogArchive(bytes, options.limits ?? CATALOG_LIMITS, label);
  const manifestBytes = archive.paths.includes(MANIFEST_PATH) ? archive.read(MANIFEST_PATH) : undefined;
  const signature = archive.paths.includes(SIGNATURE_PATH) ? archive.read(SIGNATURE_PATH) : undefined;
  if (!manifestBytes) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${label}: ${MANIFEST_PATH}: missing; this is not a Lifeboat catalog.`);
  }
  if (!signature) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${label}: ${SIGNATURE_PATH}: missing; the catalog is not signed.`);
  }
  if (signature.length !== SIGNATURE_BYTES) {
    throw new LifeboatError(
      'VAULT_BAD_INPUT',
      `${label}: ${SIGNATURE_PATH}: ${signature.length} bytes is not an Ed25519 signature (${SIGNATURE_BYTES} bytes).`,
    );
  }

  const sodium = await loadSodium();
  // With a lookup, the manifest must be read before its signature can be checked; with a key, after.
  const unverifiedManifest = options.keyFor ? parseCatalogManifest(manifestBytes, label) : undefined;
  const trustedKey = unverifiedManifest && options.keyFor ? options.keyFor(unverifiedManifest.publisher) : options.trustedKey;
  let trustedKeyId: string | undefined;
  if (trustedKey !== undefined) {
    if (trustedKey.length !== PUBLIC_KEY_BYTES) {
      throw new LifeboatError('VAULT_BAD_INPUT', `The trusted publisher key is ${trustedKey.length} bytes; an Ed25519 public key is ${PUBLIC_KEY_BYTES}.`);
    }
    trustedKeyId = keyIdWith(sodium, trustedKey);
    if (!sodium.crypto_sign_verify_detached(signature, manifestBytes, trustedKey)) {
      throw new LifeboatError('VAULT_TAMPERED', `${label}: ${SIGNATURE_PATH}: the signature does not verify with publisher ${trustedKeyId}.`);
    }
  }

  const manifest = unverifiedManifest ?? parseCatalogManifest(manifestBytes, label);
  const tampered = (path: string, why: string): LifeboatError => new LifeboatError('VAULT_TAMPERED', `${label}: ${path}: ${why}`);
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of archive.paths) {
    if (path !== MANIFEST_PATH && path !== SIGNATURE_PATH && !listed.has(path)) {
      throw tampered(path, 'it is in the archive but not listed in the manifest.');
    }
  }
  const present = new Set(archive.paths);
  for (const entry of manifest.files) {
    if (!present.has(entry.path)) {
      throw tampered(entry.path, 'it is listed in the manifest but missing from the archive.');
    }
  }
  // The runbooks are inflated in a worker thread, only now that the signature verified.
  const inflated = await archive.inflate(manifest.files.map((entry) => entry.path));
  const files = new Map<string, Uint8Array>();
  for (const entry of manifest.files) {
    const content = inflated.get(entry.path) ?? new Uint8Array(0);
    if (content.length !== entry.size) {
      throw tampered(entry.path, `it is ${content.length} bytes; the manifest says ${entry.size}.`);
    }
    // Node's SHA-256 (native) rather than libsodium's WebAssembly: the same digest, 19 MiB of runbooks hashed several times faster.
    if (createHash('sha256').update(content).digest('hex') !== entry.sha256) {
      throw tampered(entry.path, 'its SHA-256 does not match the manifest; the file was changed after signing.');
    }
    files.set(entry.path, content);
  }
  return {
    manifest,
    files,
    signature: trustedKeyId === undefined ? 'unverified' : 'verified',
    publicKeyMatches: trustedKeyId === undefined ? null : manifest.publisher.keyId === trustedKeyId,
  };
}
