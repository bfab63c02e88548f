/**
 * The PDF printer for the commands that write one (shares create, kit,
 * session report --format pdf). Chromium (via playwright-core) is loaded only
 * when a PDF is printed: every other command starts faster.
 */
import type { PdfPrinter } from '../printing/pdf-printer.js';

export async function pdfPrinter(env: NodeJS.ProcessEnv): Promise<PdfPrinter> {
  const { chromiumPdfPrinter } = await import('../chromium/chromium-pdf-printer.js');
  return chromiumPdfPrinter(env);
}
