/**
 * The auditor's window: the filtered timeline, and the emergency-access
 * report's preview and save. Thin: each calls one operation.
 */
import { ACCESS_REPORT_EXTENSIONS, accessReportPreview, exportAccessReport } from '../operations/access-report.js';
import { queryAudit } from '../operations/audit-query.js';
import { chosenDestination, type DestinationTokens } from '../operations/destination-tokens.js';
import type { VaultService } from '../operations/vault-service.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import type { Handlers } from './router.js';
import { oneAtATime } from './vault-handlers.js';

type AccessChannels = 'audit:query' | 'audit:access-report' | 'audit:access-report-save';

export function createAccessHandlers(service: VaultService, printPdf?: PdfPrinter, tokens: DestinationTokens | null = null): Pick<Handlers, AccessChannels> {
  return oneAtATime(service, {
    'audit:query': ({ filter, offset, limit }) => queryAudit(service.current(), filter, offset, limit),
    'audit:access-report': (period) => accessReportPreview(service.current(), period),
    'audit:access-report-save': async ({ period, format, to }) => {
      const session = service.current();
      const path = await chosenDestination(tokens, to, 'report', { vaultDir: session.dir, extensions: ACCESS_REPORT_EXTENSIONS[format] });
      return exportAccessReport(session, { period, format, path }, printPdf);
    },
  });
}
