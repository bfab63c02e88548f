/**
 * A SIEM copy matched back to the evidence of record: every line of a
 * JSON Lines, OCSF or CEF file (siem-formats.ts) must be exactly what the
 * signed audit export renders for the record with the same sequence number
 * (docs/audit-formats.md, "Matching a SIEM copy"). JSON lines are compared as
 * values (key order and spacing do not matter), CEF lines as text. A line
 * whose seq lies beyond the export is "not covered", not an error: the SIEM
 * may hold events newer than the export you have.
 */
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { identityFingerprint } from '../keys/vault-fingerprint.js';
import type { AuditEvent } from './audit-log.js';
import { lineHash } from './audit-log.js';
import { detectLineFormat, parseCef, siemLine, type SiemFormat, type SiemRecord, type SiemVault } from './siem-formats.js';
import type { AuditExport } from './vault-audit.js';

/** The vault a (verified) export is from; the device is the vault's name (docs/audit-formats.md, "Device"). */
export function siemVaultOf(sodium: Sodium, doc: Pick<AuditExport, 'vaultId' | 'vaultName' | 'identityKey'>): SiemVault {
  return {
    vaultId: doc.vaultId,
    fingerprint: doc.identityKey === undefined ? null : identityFingerprint(sodium, doc.vaultId, doc.identityKey),
    vaultName: doc.vaultName,
    device: doc.vaultName,
  };
}

/** Record i of an export with its event and chain hash. The export must be verified first. */
export function siemRecordAt(sodium: Sodium, doc: Pick<AuditExport, 'records' | 'events'>, index: number): SiemRecord {
  const line = doc.records[index] ?? '';
  const record = JSON.parse(line) as { seq: number; time: string; epoch: number; prev: string };
  return {
    seq: record.seq,
    time: record.time,
    epoch: record.epoch,
    chainHash: lineHash(sodium, line),
    prevHash: record.prev,
    event: doc.events[index] as unknown as AuditEvent,
  };
}

export interface SiemMatchReport {
  format: SiemFormat;
  lines: number;
  matched: number;
  /** Lines whose seq is beyond the export (newer than it). */
  notCovered: number;
  /** The lowest and highest seq the file holds (null for an empty file). */
  seqRange: [number, number] | null;
  /** Export records within the file's seq range that no line carries (the copy may have been thinned). */
  missing: number[];
}

function differs(path: string, lineNumber: number, seq: number | null, what: string): LifeboatError {
  const where = seq === null ? `line ${lineNumber}` : `line ${lineNumber} (seq ${seq})`;
  return new LifeboatError('AUDIT_BROKEN', `${path} ${where} does not match the signed export: ${what}.`);
}

/** The first path at which two JSON values differ, "metadata.uid"; null when equal. */
function firstDifference(actual: unknown, expected: unknown, at = ''): string | null {
  if (typeof actual !== 'object' || actual === null || typeof expected !== 'object' || expected === null) {
    return Object.is(actual, expected) ? null : at || '(the whole line)';
  }
  if (Array.isArray(actual) !== Array.isArray(expected)) {
    return at || '(the whole line)';
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])];
  for (const key of keys) {
    const path = at ? `${at}.${key}` : key;
    if (!(key in a)) {
      return `${path} is missing`;
    }
    if (!(key in e)) {
      return `${path} was added`;
    }
    const found = firstDifference(a[key], e[key], path);
    if (found !== null) {
      return found;
    }
  }
  return null;
}

function seqOf(format: SiemFormat, line: string): { seq: number | null; value: unknown } {
  if (format === 'cef') {
    const parsed = parseCef(line);
    const text = parsed?.extension.get('externalId');
    return { seq: text !== undefined && /^\d+$/.test(text) ? Number(text) : null, value: parsed };
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { seq: null, value: undefined };
  }
  const object = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const seq = format === 'jsonl' ? object['seq'] : (object['metadata'] as Record<string, unknown> | undefined)?.['sequence'];
  return { seq: Number.isSafeInteger(seq) && (seq as number) >= 0 ? (seq as number) : null, value };
}

function cefDifference(actual: string, expected: string): string {
  const a = parseCef(actual);
  const e = parseCef(expected);
  if (!a || !e) {
    return 'it is not a well-formed CEF line';
  }
  const names = ['version', 'vendor', 'product', 'device version', 'signature id', 'name', 'severity'];
  for (let i = 0; i < 7; i++) {
    if (a.header[i] !== e.header[i]) {
      return `header field ${names[i] ?? i} differs`;
    }
  }
  for (const [key, value] of e.extension) {
    if (a.extension.get(key) !== value) {
      return `${key} differs`;
    }
  }
  for (const key of a.extension.keys()) {
    if (!e.extension.has(key)) {
      return `${key} was added`;
    }
  }
  return 'its text differs (spacing or escaping)';
}

/**
 * Checks every line of `text` (the SIEM file at `path`) against the export.
 * Throws AUDIT_BROKEN naming the first line that differs (or is not one of
 * ours); VAULT_BAD_INPUT if the file holds no line of any format.
 */
export function matchSiemText(sodium: Sodium, doc: AuditExport, text: string, path: string): SiemMatchReport {
  const rawLines = text.split('\n');
  const firstLine = rawLines.findIndex((l) => l.trim() !== '');
  if (firstLine < 0) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is empty: no SIEM line to check.`);
  }
  const format = detectLineFormat((rawLines[firstLine] ?? '').replace(/\r$/, ''));
  if (format === null) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} line ${firstLine + 1} is not a Lifeboat JSON Lines, OCSF or CEF line: cannot tell the file's format.`);
  }
  const vault = siemVaultOf(sodium, doc);
  const report: SiemMatchReport = { format, lines: 0, matched: 0, notCovered: 0, seqRange: null, missing: [] };
  const seen = new Set<number>();
  rawLines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      return;
    }
    const lineNumber = index + 1;
    report.lines++;
    const { seq, value } = seqOf(format, line);
    if (seq === null) {
      throw differs(path, lineNumber, null, `it is not a Lifeboat ${format} line with a sequence number`);
    }
    seen.add(seq);
    report.seqRange = report.seqRange ? [Math.min(report.seqRange[0], seq), Math.max(report.seqRange[1], seq)] : [seq, seq];
    if (seq >= doc.records.length) {
      report.notCovered++;
      return;
    }
    const expected = siemLine(format, vault, siemRecordAt(sodium, doc, seq));
    if (format === 'cef') {
      if (line !== expected) {
        throw differs(path, lineNumber, seq, cefDifference(line, expected));
      }
    } else {
      const difference = firstDifference(value, JSON.parse(expected));
      if (difference !== null) {
        throw differs(
          path,
          lineNumber,
          seq,
          `${difference} differs`.replace(/ is missing differs$| was added differs$/, (m) => m.replace(' differs', '')),
        );
      }
    }
    report.matched++;
  });
  if (report.seqRange) {
    const top = Math.min(report.seqRange[1], doc.records.length - 1);
    for (let seq = report.seqRange[0]; seq <= top; seq++) {
      if (!seen.has(seq)) {
        report.missing.push(seq);
      }
    }
  }
  return report;
}
