/**
 * Evidence reports of an ended exercise or incident, as files or on a
 * terminal. The export is logged before the report leaves the engine (it
 * says who revealed what), so the destination is checked first: no
 * "exported" event for a file that was never written.
 */
import type { ReportFormat } from '../../shared/recovery.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { sessionReport } from '../recovery/evidence-report.js';
import { exportReport } from '../recovery/report-export.js';
import { reportMarkdown } from '../recovery/report-render.js';
import type { VaultSession } from '../vault/vault-session.js';
import { requireFileDestination } from './output-paths.js';

export { markRotated, sessionReport } from '../recovery/evidence-report.js';

/** The file names a typed report path may have, by format (a Markdown report never lands in ~/.bashrc). */
export const REPORT_EXTENSIONS: Readonly<Record<ReportFormat, readonly string[]>> = {
  markdown: ['.md', '.markdown'],
  pdf: ['.pdf'],
  json: ['.json'],
};

export async function exportEvidenceReport(
  session: VaultSession,
  input: { id: string; format: ReportFormat; path: string },
  printer: PdfPrinter | undefined,
): Promise<{ path: string; bytes: number }> {
  await requireFileDestination(input.path);
  return exportReport(session, input.id, input.format, input.path, printer);
}

/** The Markdown report for a terminal: logged like a file export, with "stdout" as its destination. */
export async function evidenceReportMarkdown(session: VaultSession, id: string): Promise<string> {
  const report = sessionReport(session, id);
  await session.log({ type: 'session.report-exported', details: { sessionId: id, format: 'markdown', to: 'stdout' } });
  return reportMarkdown(report);
}
