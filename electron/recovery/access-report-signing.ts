/**
 * The access report as JSON anyone can check without a key:
 *
 *   { format: "lifeboat-access-report", version: 1, report, export }
 *
 * - `export` is a complete audit export (vault-audit.ts, "lifeboat-audit-export"):
 *   every log line signed by the vault's audit keys, the decrypted events
 *   proven by their commitments, a signed checkpoint, and (when a full member
 *   built it) the exporter's signature over the whole export;
 * - `report` must be exactly what buildAccessReport derives from those
 *   events for the period it names, with `generatedBy`, `generatedAt` and the
 *   vault name equal to the export's `exportedBy`, `exportedAt` and `vaultName`.
 *
 * So the report is signed by the log it is made of: an auditor, who holds no
 * signing key, produces a report as checkable as an owner's. Changing any
 * row (a reason, a rotation, a missing reveal) makes it differ from the
 * re-derived one, and `audit verify --export` refuses it (AUDIT_BROKEN).
 * See docs/access-report.md.
 */
import { z } from 'zod';
import { AccessReportSchema, ACCESS_SECTIONS, type AccessReport } from '../../shared/access-report.js';
import { LifeboatError } from '../../shared/errors.js';
import type { AuditEvent } from '../vault/audit/audit-log.js';
import { verifyExportDocument, type AuditEntry, type AuditExport } from '../vault/audit/vault-audit.js';
import { canonicalJson } from '../vault/canonical-json.js';
import type { Sodium } from '../vault/keys/crypto-runtime.js';
import { buildAccessReport } from './access-report.js';

export const ACCESS_REPORT_FORMAT = 'lifeboat-access-report' as const;

export interface SignedAccessReport {
  format: typeof ACCESS_REPORT_FORMAT;
  version: 1;
  report: AccessReport;
  export: AuditExport;
}

const EnvelopeSchema = z.object({ format: z.literal(ACCESS_REPORT_FORMAT), version: z.literal(1), report: z.unknown(), export: z.unknown() }).strict();

/** The export's events with the sequence number and time of the signed line each belongs to. */
export function entriesOfExport(doc: Pick<AuditExport, 'records' | 'events'>): AuditEntry[] {
  return doc.records.map((line, index) => {
    const record = JSON.parse(line) as { seq: number; time: string; epoch: number };
    return { seq: record.seq, time: record.time, epoch: record.epoch, event: doc.events[index] as unknown as AuditEvent };
  });
}

/** The report every verifier derives from an export, for the period and author a report names. */
export function deriveFromExport(doc: AuditExport, period: { from: string | null; to: string | null }): AccessReport {
  return buildAccessReport(entriesOfExport(doc), {
    vaultId: doc.vaultId,
    vaultName: doc.vaultName,
    generatedBy: doc.exportedBy,
    generatedAt: doc.exportedAt,
    from: period.from,
    to: period.to,
  });
}

export interface AccessReportVerification {
  vaultId: string;
  fingerprint: string | null;
  period: { from: string | null; to: string | null };
  reveals: number;
  checks: string[];
}

/** True when a parsed JSON document claims to be an access report (for `audit verify --export`). */
export function isAccessReportDocument(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === ACCESS_REPORT_FORMAT;
}

function badInput(path: string, what: string, error: z.ZodError): LifeboatError {
  const issue = error.issues[0];
  return new LifeboatError(
    'VAULT_BAD_INPUT',
    `${path} is not a Lifeboat access report (${what}${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}).`,
  );
}

/**
 * Verifies the carried export (keys, chain, signatures, commitments,
 * checkpoint), then re-derives the report and requires it to equal the one
 * written, byte for byte in canonical JSON. Any difference is AUDIT_BROKEN,
 * naming the first section that differs.
 */
export function verifyAccessReport(sodium: Sodium, json: unknown, path: string, pinnedFingerprint?: string): AccessReportVerification {
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw badInput(path, 'envelope', envelope.error);
  }
  const report = AccessReportSchema.safeParse(envelope.data.report);
  if (!report.success) {
    throw badInput(path, 'report', report.error);
  }
  const verified = verifyExportDocument(sodium, envelope.data.export, `${path} (its audit export)`, pinnedFingerprint);
  const exportDoc = envelope.data.export as AuditExport;
  const derived = deriveFromExport(exportDoc, { from: report.data.period.from, to: report.data.period.to });
  // Compared as written, not as parsed: the schema is strict, but a reader must never be shown a row nobody derived.
  const written = envelope.data.report as Record<string, unknown>;
  if (canonicalJson(written) !== canonicalJson(derived)) {
    const keys = ['vault', 'period', ...ACCESS_SECTIONS, 'generatedAt', 'generatedBy'] as const;
    const differs = keys.find((key) => canonicalJson(written[key] ?? null) !== canonicalJson((derived as Record<string, unknown>)[key] ?? null));
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `${path}: the report does not match the signed audit log it carries${differs ? ` (its "${differs}" section differs)` : ''}; it was altered after it was built.`,
    );
  }
  return {
    vaultId: verified.vaultId,
    fingerprint: verified.fingerprint,
    period: { from: derived.period.from, to: derived.period.to },
    reveals: derived.reveals.length,
    checks: [...verified.checks, `every section re-derived from the ${verified.records} signed log records it carries, and equal to the report as written`],
  };
}
