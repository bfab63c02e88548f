/**
 * The audit log as members and auditors use it: read, verify, checkpoint,
 * export, and verify what left the vault (an audit export or a signed
 * evidence report) with no key at all.
 */
import { isAccessReportDocument, verifyAccessReport } from '../recovery/access-report-signing.js';
import { isCollectionSummary } from '../vault/audit/collection-summary.js';
import { isReportDocument, verifySignedReport } from '../recovery/report-signing.js';
import { exportAudit as engineExport, readJsonFile, verifyExportDocumentOnThreads } from '../vault/audit/vault-audit.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import type { VaultSession } from '../vault/vault-session.js';
import { verifyCollectionDocument, type CollectionCheck } from './audit-formats.js';
import { requireFileDestination } from './output-paths.js';

export { auditEntries, currentCheckpoint, verifyAudit, verifyAuditOnThreads, verifySince, type AuditEntry } from '../vault/audit/vault-audit.js';
export type { AuditEvent } from '../vault/audit/audit-log.js';

/** Writes the audit export; the destination is checked before the export is logged. */
export async function exportAudit(session: VaultSession, path: string): Promise<{ records: number }> {
  await requireFileDestination(path);
  return engineExport(session, path);
}

export type ExportVerification =
  | { kind: 'evidence-report'; vaultId: string; fingerprint: string | null; sessionId: string; scenario: string; checks: string[] }
  | { kind: 'audit-export'; vaultId: string; fingerprint: string | null; records: number; checks: string[] }
  | ({ kind: 'collection'; vaultId: string } & CollectionCheck)
  | {
      kind: 'access-report';
      vaultId: string;
      fingerprint: string | null;
      period: { from: string | null; to: string | null };
      reveals: number;
      checks: string[];
    };

/**
 * An audit export, a signed evidence report, an access report or a signed
 * collection summary (its `format` says which).
 * Neither needs a vault key; any alteration is AUDIT_BROKEN, keys that do
 * not chain to the fingerprint given (or to the identity named) VAULT_TAMPERED.
 */
export async function verifyExportedFile(path: string, pinnedFingerprint?: string): Promise<ExportVerification> {
  const doc = await readJsonFile(path);
  const sodium = await loadSodium();
  if (isCollectionSummary(doc)) {
    const checked = await verifyCollectionDocument(doc, path, pinnedFingerprint);
    return { kind: 'collection', vaultId: checked.summary.signed ? checked.summary.signer.vaultId : '', ...checked };
  }
  if (isAccessReportDocument(doc)) {
    return { kind: 'access-report', ...verifyAccessReport(sodium, doc, path, pinnedFingerprint) };
  }
  if (isReportDocument(doc)) {
    const verified = verifySignedReport(sodium, doc, path, pinnedFingerprint);
    return {
      kind: 'evidence-report',
      vaultId: verified.vaultId,
      fingerprint: verified.fingerprint,
      sessionId: verified.sessionId,
      scenario: verified.scenario,
      checks: verified.checks,
    };
  }
  const report = await verifyExportDocumentOnThreads(sodium, doc, path, pinnedFingerprint);
  return { kind: 'audit-export', vaultId: report.vaultId, fingerprint: report.fingerprint, records: report.records, checks: report.checks };
}
