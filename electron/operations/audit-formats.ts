/**
 * The audit log for governance's own tools, as the window and the CLI offer
 * it (docs/audit-formats.md): an export in a SIEM format, the match check of
 * a SIEM copy against the signed export, and collection of many laptops'
 * exports into one timeline. The mapping itself lives in the engine
 * (electron/vault/audit/siem-formats.ts); here are files, ranges and words.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../../shared/audit-export-formats.js';
import { LifeboatError } from '../../shared/errors.js';
import { checkpointOf, collectExports, timelineSource, type CollectInput } from '../vault/audit/audit-collect.js';
import {
  requireCollectionSigner,
  signCollectionSummary,
  verifyCollectionSummary,
  type CollectionSummary,
  type UnsignedCollectionSummary,
} from '../vault/audit/collection-summary.js';
import { siemLine, type SiemFormat } from '../vault/audit/siem-formats.js';
import { matchSiemText, siemRecordAt, siemVaultOf, type SiemMatchReport } from '../vault/audit/siem-match.js';
import { AuditExportSchema, exportAudit, siemExportSource, verifyExportDocumentOnThreads, type AuditExport } from '../vault/audit/vault-audit.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { writeFileAtomic, writeLinesAtomic } from '../vault/storage/atomic-file.js';
import type { VaultSession } from '../vault/vault-session.js';
import { requireFileDestination } from './output-paths.js';

export interface TimeRange {
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, inclusive. */
  to?: string;
}

/**
 * `--from`/`--to`: an ISO 8601 date (`2026-10-01`: the whole day, UTC) or
 * date and time (`2026-10-01T09:30:00Z`). Anything else names the option.
 */
export function parseTimeBound(text: string, option: 'from' | 'to'): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const iso = dateOnly ? `${text}T${option === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `--${option} ${text} is not a date: give 2026-10-01 or 2026-10-01T09:30:00Z. Nothing was written.`);
  }
  return new Date(ms).toISOString();
}

export function parseExportFormat(text: string | undefined): AuditExportFormat {
  const format = text ?? 'lifeboat';
  if (!Object.hasOwn(AUDIT_EXPORT_FORMATS, format)) {
    throw new LifeboatError(
      'VAULT_BAD_INPUT',
      `--format ${format} is not a format: give ${Object.keys(AUDIT_EXPORT_FORMATS).join(', ')}. Nothing was written.`,
    );
  }
  return format as AuditExportFormat;
}

export interface FormatExportResult {
  format: AuditExportFormat;
  /** Lines (SIEM formats) or records (the signed export) written. */
  records: number;
}

function inRange(time: string, range: TimeRange): boolean {
  // Record times and the bounds are both ISO 8601 UTC, so text order is time order.
  return (range.from === undefined || time >= range.from) && (range.to === undefined || time <= range.to);
}

/** The lines of a verified export in `format`, within `range`. */
export function* siemLinesOf(sodium: Awaited<ReturnType<typeof loadSodium>>, doc: AuditExport, format: SiemFormat, range: TimeRange = {}): Generator<string> {
  const vault = siemVaultOf(sodium, doc);
  for (let index = 0; index < doc.records.length; index++) {
    const record = siemRecordAt(sodium, doc, index);
    if (inRange(record.time, range)) {
      yield siemLine(format, vault, record);
    }
  }
}

/**
 * `audit export --format`: the signed export (whole log only: its chain and
 * checkpoint need every record), or a SIEM copy rendered from the same
 * records and events a signed export made now would hold, streamed to a temp
 * file and renamed over `path`. The export is logged first (by full
 * members), with its format.
 */
export async function exportAuditAs(session: VaultSession, path: string, format: AuditExportFormat, range: TimeRange = {}): Promise<FormatExportResult> {
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new LifeboatError('VAULT_BAD_INPUT', `--from ${range.from} is after --to ${range.to}: nothing would be exported. Nothing was written.`);
  }
  if (format === 'lifeboat') {
    if (range.from !== undefined || range.to !== undefined) {
      throw new LifeboatError(
        'VAULT_BAD_INPUT',
        'The signed export is always the whole log (its chain and checkpoint need every record): --from and --to apply to --format jsonl, ocsf or cef. Nothing was written.',
      );
    }
    await requireFileDestination(path);
    return { format, ...(await exportAudit(session, path)) };
  }
  await requireFileDestination(path);
  const siemFormat: SiemFormat = format;
  const source = await siemExportSource(session, { to: path, format });
  function* lines(): Generator<string> {
    for (const record of source.records()) {
      if (inRange(record.time, range)) {
        yield siemLine(siemFormat, source.vault, record);
      }
    }
  }
  return { format, records: await writeLinesAtomic(path, lines()) };
}

async function readText(path: string): Promise<{ text: string; bytes: Buffer }> {
  try {
    const bytes = await readFile(path);
    return { text: bytes.toString('utf8'), bytes };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LifeboatError(code === 'ENOENT' ? 'VAULT_NOT_FOUND' : 'VAULT_BAD_INPUT', code === 'ENOENT' ? `No file ${path}.` : `Could not read ${path}.`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is not JSON.`);
  }
}

/** A signed export, read and verified in full (no key needed); returns it with its checks. */
async function verifiedExport(path: string, pinned?: string): Promise<{ doc: AuditExport; sha256: string; fingerprint: string | null; checks: string[] }> {
  const sodium = await loadSodium();
  const { text, bytes } = await readText(path);
  const json = parseJson(text, path);
  const report = await verifyExportDocumentOnThreads(sodium, json, path, pinned);
  return {
    doc: AuditExportSchema.parse(json),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    fingerprint: report.fingerprint,
    checks: report.checks,
  };
}

export interface SiemVerification extends SiemMatchReport {
  vaultId: string;
  fingerprint: string | null;
  exportRecords: number;
}

/**
 * `audit verify --export SIGNED.json --siem FILE`: the signed export is
 * verified in full, then every line of the SIEM file must match the record
 * with its seq (AUDIT_BROKEN, exit 4, naming the first that does not).
 */
export async function verifySiemFile(exportPath: string, siemPath: string, pinned?: string): Promise<SiemVerification> {
  const verified = await verifiedExport(exportPath, pinned);
  const { text } = await readText(siemPath);
  const report = matchSiemText(await loadSodium(), verified.doc, text, siemPath);
  return { ...report, vaultId: verified.doc.vaultId, fingerprint: verified.fingerprint, exportRecords: verified.doc.records.length };
}

export const TIMELINE_FILE = 'timeline.jsonl';
export const SUMMARY_FILE = 'summary.json';

async function requireCollectFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null);
  if (info !== null && !info.isDirectory()) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${folder} is not a folder: --out names the folder the timeline and summary go into. Nothing was written.`);
  }
  for (const name of [TIMELINE_FILE, SUMMARY_FILE]) {
    if ((await stat(join(folder, name)).catch(() => null)) !== null) {
      throw new LifeboatError(
        'VAULT_BAD_INPUT',
        `${join(folder, name)} already exists: collect into an empty folder, so no earlier collection is overwritten. Nothing was written.`,
      );
    }
  }
}

function timeOf(line: string | undefined): string | null {
  return line === undefined ? null : (JSON.parse(line) as { time: string }).time;
}

/**
 * `audit collect`: verifies every export (pinned to `pins` when given),
 * proves successive exports of one vault extend each other, merges one
 * timeline (JSON Lines) and writes the summary, signed by `signer` (a full
 * member's session of a vault the collector holds) or, without one, an
 * unsigned hash manifest that verification refuses. Nothing is written
 * unless every check passes (and the signer can sign).
 */
export async function collectAuditExports(
  paths: readonly string[],
  outFolder: string,
  options: { pins?: readonly string[]; maxGapDays?: number; now?: Date; signer?: VaultSession } = {},
): Promise<CollectionSummary> {
  if (paths.length === 0) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Name at least one audit export to collect.');
  }
  if (options.signer) {
    requireCollectionSigner(options.signer);
  }
  await requireCollectFolder(outFolder);
  const sodium = await loadSodium();
  const inputs: CollectInput[] = [];
  for (const path of paths) {
    const verified = await verifiedExport(path);
    inputs.push({ path, doc: verified.doc, sha256: verified.sha256 });
  }
  const now = options.now ?? new Date();
  const result = collectExports(sodium, inputs, { pins: options.pins ?? [], maxGapDays: options.maxGapDays ?? 31, now });
  const sources = result.vaults.map((entry) => ({ vault: entry.vault, doc: timelineSource(entry).doc }));
  const hash = createHash('sha256');
  function* lines(): Generator<string> {
    for (const [vaultIndex, index] of result.timeline) {
      const source = sources[vaultIndex];
      if (source) {
        const line = siemLine('jsonl', source.vault, siemRecordAt(sodium, source.doc, index));
        hash.update(`${line}\n`);
        yield line;
      }
    }
  }
  await mkdir(outFolder, { recursive: true });
  const count = await writeLinesAtomic(join(outFolder, TIMELINE_FILE), lines());
  const unsigned: UnsignedCollectionSummary = {
    format: 'lifeboat-audit-collection',
    version: 2,
    collectedAt: now.toISOString(),
    signed: false,
    inputs: inputs.map(({ path, sha256, doc }) => {
      const checkpoint = checkpointOf(doc);
      return {
        file: path,
        sha256,
        vaultId: doc.vaultId,
        fingerprint: siemVaultOf(sodium, doc).fingerprint,
        vaultName: doc.vaultName,
        exportedAt: doc.exportedAt,
        exportedBy: doc.exportedBy,
        exporterSigned: doc.signature !== undefined,
        records: doc.records.length,
        firstTime: timeOf(doc.records[0]),
        lastTime: timeOf(doc.records.at(-1)),
        treeSize: checkpoint.size,
        rootHash: Buffer.from(checkpoint.root).toString('hex'),
      };
    }),
    vaults: result.vaults.map((entry) => {
      const doc = timelineSource(entry).doc;
      return {
        vaultId: entry.vault.vaultId,
        fingerprint: entry.vault.fingerprint,
        device: entry.vault.device,
        exports: entry.exports.length,
        records: doc.records.length,
        firstTime: timeOf(doc.records[0]),
        lastTime: timeOf(doc.records.at(-1)),
        consistency: entry.consistency,
      };
    }),
    gaps: result.gaps,
    warnings: result.warnings,
    timeline: { file: TIMELINE_FILE, sha256: hash.digest('hex'), lines: count },
  };
  const summary = options.signer ? signCollectionSummary(options.signer, unsigned) : unsigned;
  await writeFileAtomic(join(outFolder, SUMMARY_FILE), `${JSON.stringify(summary, null, 1)}\n`);
  return summary;
}

export interface CollectionCheck {
  summary: CollectionSummary;
  fingerprint: string | null;
  checks: string[];
}

/**
 * `audit verify --export FOLDER/summary.json [--fingerprint FP]`: the
 * summary's signature (pinned to the signer vault's fingerprint when given),
 * then the timeline it names, beside it, hashed and counted. An unsigned or
 * altered summary, or an edited timeline, is AUDIT_BROKEN (exit 4); a signer
 * outside the pinned vault VAULT_TAMPERED (exit 4).
 */
export async function verifyCollectionDocument(json: unknown, path: string, pinned?: string): Promise<CollectionCheck> {
  const verified = verifyCollectionSummary(await loadSodium(), json, path, pinned);
  const { file, sha256, lines } = verified.summary.timeline;
  // The summary names a file beside it, never a path: a planted summary must not make the verifier read elsewhere.
  if (file !== basename(file) || file === '.' || file === '..' || file.includes('\\')) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path}: timeline.file must be a file name beside the summary, not ${file}.`);
  }
  const timelinePath = join(dirname(path), file);
  const { bytes } = await readText(timelinePath);
  const actual = createHash('sha256').update(bytes).digest('hex');
  let count = 0;
  for (const byte of bytes) {
    count += byte === 0x0a ? 1 : 0;
  }
  if (actual !== sha256 || count !== lines) {
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `${timelinePath} is not the timeline the signed summary names (SHA-256 ${actual.slice(0, 16)}…, ${count} lines; signed: ${sha256.slice(0, 16)}…, ${lines} lines): it was edited after collection.`,
    );
  }
  return { ...verified, checks: [...verified.checks, `${file}: SHA-256 and ${lines} lines as signed`] };
}
