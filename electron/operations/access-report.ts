/**
 * The emergency-access report, for the CLI (`lifeboat report access`) and the
 * auditor's window alike. Owners and auditors (audit.read) build it; an
 * auditor holds no signing key, so only a full member's build is logged
 * (audit.access-report), but either's JSON is checkable without a key:
 * it carries the signed log it was derived from (access-report-signing.ts).
 */
import { periodBound, type AccessPeriodInput, type AccessReport, type AccessReportFormat } from '../../shared/access-report.js';
import { LifeboatError } from '../../shared/errors.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { buildAccessReport } from '../recovery/access-report.js';
import { accessReportHtml, accessReportMarkdown } from '../recovery/access-report-render.js';
import { ACCESS_REPORT_FORMAT, deriveFromExport, type SignedAccessReport } from '../recovery/access-report-signing.js';
import { auditEntries, auditExportDocument } from '../vault/audit/vault-audit.js';
import { writeFileAtomic } from '../vault/storage/atomic-file.js';
import type { VaultSession } from '../vault/vault-session.js';
import { requireFileDestination } from './output-paths.js';

/** The file names a typed report path may have, by format. */
export const ACCESS_REPORT_EXTENSIONS: Readonly<Record<AccessReportFormat, readonly string[]>> = {
  pdf: ['.pdf'],
  markdown: ['.md', '.markdown'],
  json: ['.json'],
};

export interface ResolvedPeriod {
  from: string | null;
  to: string | null;
}

/** The period as typed, checked: each bound a date or an ISO time, `from` not after `to`. Nothing is read before. */
export function resolvePeriod(input: AccessPeriodInput): ResolvedPeriod {
  const bound = (text: string | undefined, side: 'from' | 'to'): string | null => {
    if (text === undefined || text.trim() === '') {
      return null;
    }
    const iso = periodBound(text, side);
    if (iso === null) {
      throw new LifeboatError('VAULT_BAD_INPUT', `--${side} "${text}" is not a date: use 2026-03-01 or 2026-03-01T09:00:00Z. Nothing was written.`);
    }
    return iso;
  };
  const from = bound(input.from, 'from');
  const to = bound(input.to, 'to');
  if (from !== null && to !== null && from > to) {
    throw new LifeboatError('VAULT_BAD_INPUT', `The period starts (${from}) after it ends (${to}). Nothing was written.`);
  }
  return { from, to };
}

/** The report as of now, for the window's preview: the same rows a saved report has. Not logged (the audit screen shows the same events). */
export function accessReportPreview(session: VaultSession, period: AccessPeriodInput): AccessReport {
  session.require('audit.read');
  const resolved = resolvePeriod(period);
  return buildAccessReport(auditEntries(session), {
    vaultId: session.header.vaultId,
    vaultName: session.header.name,
    generatedBy: session.member.name,
    generatedAt: new Date().toISOString(),
    ...resolved,
  });
}

function builtEvent(format: AccessReportFormat, path: string, period: ResolvedPeriod): Parameters<VaultSession['log']>[0] {
  return {
    type: 'audit.access-report',
    details: { format, to: path, ...(period.from === null ? {} : { from: period.from }), ...(period.to === null ? {} : { until: period.to }) },
  };
}

/**
 * Writes the report. The destination and the period are checked first; a
 * PDF is printed before the build is logged (a printer that fails leaves no
 * event for a file that never existed); the JSON's export covers its own event.
 */
export async function exportAccessReport(
  session: VaultSession,
  input: { period: AccessPeriodInput; format: AccessReportFormat; path: string },
  printer: PdfPrinter | undefined,
): Promise<{ path: string; bytes: number; reveals: number }> {
  session.require('audit.read');
  const period = resolvePeriod(input.period);
  await requireFileDestination(input.path);
  if (input.format === 'pdf' && !printer) {
    throw new LifeboatError('ENGINE_UNAVAILABLE', 'No PDF printer is available here (it needs Chromium). Save Markdown or JSON instead.');
  }
  let bytes: Uint8Array | string;
  let reveals: number;
  if (input.format === 'json') {
    const exported = await auditExportDocument(session, builtEvent('json', input.path, period));
    const report = deriveFromExport(exported, period);
    const doc: SignedAccessReport = { format: ACCESS_REPORT_FORMAT, version: 1, report, export: exported };
    bytes = `${JSON.stringify(doc, null, 1)}\n`;
    reveals = report.reveals.length;
  } else {
    const report = accessReportPreview(session, input.period);
    bytes = input.format === 'markdown' ? accessReportMarkdown(report) : await (printer as PdfPrinter)(accessReportHtml(report));
    reveals = report.reveals.length;
    if (session.canSign) {
      await session.log(builtEvent(input.format, input.path, period));
    }
  }
  await writeFileAtomic(input.path, bytes);
  return { path: input.path, bytes: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length, reveals };
}

/** The Markdown report for a terminal: logged like a file (full members), with "stdout" as its destination. */
export async function accessReportMarkdownOut(session: VaultSession, input: AccessPeriodInput): Promise<string> {
  const report = accessReportPreview(session, input);
  if (session.canSign) {
    await session.log(builtEvent('markdown', 'stdout', resolvePeriod(input)));
  }
  return accessReportMarkdown(report);
}
