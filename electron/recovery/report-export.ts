/**
 * Writes an ended session's evidence report to a file, as Markdown, PDF or
 * signed JSON. The export is logged first (it carries who revealed what),
 * then written atomically. PDF needs a printer from the host: Chromium's
 * print-to-PDF, through Electron's webContents or through playwright-core.
 */
import { LifeboatError } from '../../shared/errors.js';
import type { ReportFormat } from '../../shared/recovery.js';
import { writeFileAtomic } from '../vault/storage/atomic-file.js';
import type { VaultSession } from '../vault/vault-session.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { sessionReport } from './evidence-report.js';
import { reportHtml, reportMarkdown } from './report-render.js';
import { signReport } from './report-signing.js';

export async function exportReport(
  session: VaultSession,
  id: string,
  format: ReportFormat,
  path: string,
  printer?: PdfPrinter,
): Promise<{ path: string; bytes: number }> {
  const report = sessionReport(session, id);
  if (format === 'pdf' && !printer) {
    throw new LifeboatError('ENGINE_UNAVAILABLE', 'No PDF printer is available here (it needs Chromium). Export Markdown or JSON instead.');
  }
  // Rendered first (in memory: nothing leaves the engine yet), so a printer
  // that fails leaves no "exported" event for a file that never existed.
  let bytes: Uint8Array | string;
  if (format === 'markdown') {
    bytes = reportMarkdown(report);
  } else if (format === 'pdf') {
    bytes = await (printer as PdfPrinter)(reportHtml(report));
  } else {
    bytes = '';
  }
  await session.log({ type: 'session.report-exported', details: { sessionId: id, format, to: path } });
  if (format === 'json') {
    // The report's checkpoint covers the export event, and never more of the log than a snapshot seals.
    await session.commit();
    bytes = `${JSON.stringify(signReport(session, report), null, 1)}\n`;
  }
  await writeFileAtomic(path, bytes);
  return { path, bytes: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length };
}
