/**
 * Collection across laptops (docs/audit-formats.md, "Collecting exports"):
 * signed exports of several vaults, and successive exports of the same
 * vault, checked against each other and merged into one timeline.
 *
 * Successive exports of one vault must extend each other: nothing rewritten
 * between two collections. Exports carry every record, so the earlier
 * export's records are compared with the later one's, record by record (the
 * first that differs is named), and an RFC 6962 consistency proof between
 * the two exports' signed checkpoints is computed from the longer log and
 * verified, so the two signed roots themselves are shown to agree.
 *
 * The exports must each have been verified (verifyExportDocument) first.
 */
import { checkLaptopClock } from '../../../shared/clock-check.js';
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { logLeaves } from './checkpoint.js';
import { consistencyProof, verifyConsistency } from './merkle-tree.js';
import { parseNote } from './signed-note.js';
import { siemVaultOf } from './siem-match.js';
import type { SiemVault } from './siem-formats.js';
import type { AuditExport } from './vault-audit.js';

const DAY_MS = 86_400_000;

export interface CollectInput {
  path: string;
  doc: AuditExport;
  /** hex SHA-256 of the file's bytes, for the manifest. */
  sha256: string;
}

export interface CollectedVault {
  vault: SiemVault;
  /** The exports of this vault, oldest first. */
  exports: CollectInput[];
  /** What was proved between successive exports, in words. */
  consistency: string[];
}

export interface CollectResult {
  vaults: CollectedVault[];
  /** "ops-b: no export for 63 days (the last is of 2026-10-05)". */
  gaps: string[];
  warnings: string[];
  /** Every record once, all vaults, in time order: [vault index, record index]. */
  timeline: [number, number][];
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** An export's signed checkpoint: its tree size and RFC 6962 root. */
export function checkpointOf(doc: AuditExport): { size: number; root: Uint8Array } {
  // Verified already (verifyExportDocument): only its size and root are read here.
  const body = parseNote(doc.checkpoint).body.split('\n');
  return { size: Number(body[1]), root: Uint8Array.from(Buffer.from(body[2] ?? '', 'base64')) };
}

function notExtending(earlier: CollectInput, later: CollectInput, why: string): LifeboatError {
  return new LifeboatError(
    'AUDIT_BROKEN',
    `The export of ${later.doc.exportedAt} (${later.path}) does not extend the one of ${earlier.doc.exportedAt} (${earlier.path}) of vault ${later.doc.vaultName}: ${why}. Its history was rewritten or rolled back between the two collections.`,
  );
}

/** Proves `later` extends `earlier`; returns the sentence saying what was checked. */
function proveExtends(sodium: Sodium, earlier: CollectInput, later: CollectInput): string {
  const a = earlier.doc.records;
  const b = later.doc.records;
  if (b.length < a.length) {
    throw notExtending(earlier, later, `it holds ${b.length} records, the earlier export ${a.length}`);
  }
  const differing = a.findIndex((line, index) => line !== b[index]);
  if (differing >= 0) {
    throw notExtending(earlier, later, `record ${differing} differs`);
  }
  const old = checkpointOf(earlier.doc);
  const next = checkpointOf(later.doc);
  const [small, large, leaves] = old.size <= next.size ? [old, next, logLeaves(sodium, b)] : [next, old, logLeaves(sodium, a)];
  const proof = consistencyProof(sodium, leaves, small.size, large.size);
  if (!verifyConsistency(sodium, small.size, large.size, small.root, large.root, proof)) {
    throw notExtending(earlier, later, `their signed checkpoints (${small.size} and ${large.size} records) are not consistent`);
  }
  return `${day(earlier.doc.exportedAt)} → ${day(later.doc.exportedAt)}: the first ${a.length} records are identical; RFC 6962 consistency proof from the signed checkpoint at ${small.size} to the one at ${large.size} verified (${proof.length} hashes)`;
}

function normalised(fingerprint: string): string {
  return fingerprint.toLowerCase().replace(/[^0-9a-f]/g, '');
}

export interface CollectOptions {
  /** Fingerprints the exports must be from (any spacing or case); none: any vault, printed for comparison. */
  pins: readonly string[];
  /** A vault with no export for longer than this is a gap. */
  maxGapDays: number;
  now: Date;
}

/** Checks and merges verified exports; throws VAULT_TAMPERED (pins) or AUDIT_BROKEN (a rewritten history). */
export function collectExports(sodium: Sodium, inputs: readonly CollectInput[], options: CollectOptions): CollectResult {
  const pins = new Map(options.pins.map((p) => [normalised(p), p]));
  const byVault = new Map<string, CollectedVault>();
  for (const input of inputs) {
    const vault = siemVaultOf(sodium, input.doc);
    if (pins.size > 0 && (vault.fingerprint === null || !pins.has(normalised(vault.fingerprint)))) {
      throw new LifeboatError(
        'VAULT_TAMPERED',
        `${input.path} is from the vault with fingerprint ${vault.fingerprint ?? '(none: a vault without an identity key)'}, which is not one of the fingerprints given: do not trust it as any of them.`,
      );
    }
    const entry = byVault.get(vault.vaultId) ?? { vault, exports: [], consistency: [] };
    entry.exports.push(input);
    byVault.set(vault.vaultId, entry);
  }
  const gaps: string[] = [];
  const warnings: string[] = [];
  const vaults = [...byVault.values()].sort((x, y) => x.vault.device.localeCompare(y.vault.device) || x.vault.vaultId.localeCompare(y.vault.vaultId));
  for (const entry of vaults) {
    entry.exports.sort((x, y) => x.doc.exportedAt.localeCompare(y.doc.exportedAt) || x.doc.records.length - y.doc.records.length);
    entry.exports.forEach((later, index) => {
      const earlier = entry.exports[index - 1];
      if (earlier === undefined) {
        return;
      }
      entry.consistency.push(proveExtends(sodium, earlier, later));
      const days = Math.floor((Date.parse(later.doc.exportedAt) - Date.parse(earlier.doc.exportedAt)) / DAY_MS);
      if (days > options.maxGapDays) {
        gaps.push(`${entry.vault.device}: no export for ${days} days (between ${day(earlier.doc.exportedAt)} and ${day(later.doc.exportedAt)})`);
      }
    });
    // A newest export's time vouches only for itself: compare the laptop's clock with it before counting days to now.
    const newest = entry.exports.at(-1) as CollectInput;
    const clock = checkLaptopClock(options.now, [{ what: `the newest export of ${entry.vault.device}`, time: newest.doc.exportedAt }]);
    if (clock.suspect) {
      warnings.push(clock.warning ?? '');
    } else {
      const days = Math.floor((options.now.getTime() - Date.parse(newest.doc.exportedAt)) / DAY_MS);
      if (days > options.maxGapDays) {
        gaps.push(`${entry.vault.device}: no export for ${days} days (the last is of ${day(newest.doc.exportedAt)})`);
      }
    }
  }
  for (const [key, given] of pins) {
    if (!vaults.some((v) => v.vault.fingerprint !== null && normalised(v.vault.fingerprint) === key)) {
      gaps.push(`vault with fingerprint ${given}: no export given`);
    }
  }
  return { vaults, gaps, warnings, timeline: mergedTimeline(vaults) };
}

/** Each vault's longest export, every record once, ordered by time (then vault, then seq). */
function mergedTimeline(vaults: readonly CollectedVault[]): [number, number][] {
  const items: { time: string; vault: number; index: number; id: string }[] = [];
  vaults.forEach((entry, vaultIndex) => {
    const newest = entry.exports.reduce((best, e) => (e.doc.records.length > best.doc.records.length ? e : best));
    newest.doc.records.forEach((line, index) => {
      items.push({ time: (JSON.parse(line) as { time: string }).time, vault: vaultIndex, index, id: entry.vault.vaultId });
    });
  });
  items.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : x.id.localeCompare(y.id) || x.index - y.index));
  return items.map((item) => [item.vault, item.index]);
}

/** The export of a vault the timeline reads from (its longest). */
export function timelineSource(entry: CollectedVault): CollectInput {
  return entry.exports.reduce((best, e) => (e.doc.records.length > best.doc.records.length ? e : best));
}
