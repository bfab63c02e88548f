/**
 * The printed binder over IPC: thin adapters over operations/binder.ts. The
 * preview hands back the contents page (what the binder will hold), not the
 * page itself; the print writes where main's dialog (or, in the browser host,
 * the checked typed path) says.
 */
import { chosenDestination, type DestinationTokens } from '../operations/destination-tokens.js';
import { previewBinder, printBinder, verifyBinderPage } from '../operations/binder.js';
import type { VaultService } from '../operations/vault-service.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import type { Handlers } from './router.js';
import { oneAtATime } from './vault-handlers.js';

type BinderChannels = 'binder:preview' | 'binder:print' | 'binder:verify';

export function createBinderHandlers(service: VaultService, printPdf?: PdfPrinter, tokens: DestinationTokens | null = null): Pick<Handlers, BinderChannels> {
  return oneAtATime(service, {
    'binder:preview': async ({ choice }) => {
      const { summary, entries, waves } = await previewBinder(service.current(), choice);
      return { summary, entries, waves };
    },
    'binder:print': async ({ choice, to }) => {
      const session = service.current();
      const path = await chosenDestination(tokens, to, 'binder', { vaultDir: session.dir, extensions: ['.pdf'] });
      return printBinder(session, choice, path, printPdf);
    },
    'binder:verify': ({ code }) => verifyBinderPage(service.current(), code),
  });
}
