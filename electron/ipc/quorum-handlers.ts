/**
 * Recovery shares, quorum unlock and the emergency kit over IPC. Created
 * shares go straight from the engine to the sheets on disk; only file names
 * come back to the renderer.
 */
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { chosenDestination, type DestinationTokens } from '../operations/destination-tokens.js';
import { checkShare, createShares, exportEmergencyKit, openVaultByQuorum, practiceQuorum, revokeShares, sharesStatus } from '../operations/quorum.js';
import type { VaultService } from '../operations/vault-service.js';
import type { Handlers } from './router.js';
import { oneAtATime } from './vault-handlers.js';

type QuorumChannels = 'shares:status' | 'shares:create' | 'shares:revoke' | 'shares:check' | 'shares:practice' | 'vault:unlock-quorum' | 'kit:export';

export function createQuorumHandlers(service: VaultService, printPdf?: PdfPrinter, tokens: DestinationTokens | null = null): Pick<Handlers, QuorumChannels> {
  return oneAtATime(service, {
    'shares:status': () => sharesStatus(service.current()),
    'shares:create': async ({ threshold, custodians, to }) => {
      const session = service.current();
      const outDir = await chosenDestination(tokens, to, 'sheets-folder', { vaultDir: session.dir });
      const { set, sheets } = await createShares(session, { threshold, custodians, outDir }, printPdf);
      return { set, files: sheets };
    },
    'shares:revoke': async () => {
      await revokeShares(service.current());
      return { ok: true } as const;
    },
    'shares:check': ({ dir, share }) => checkShare(dir, share),
    'shares:practice': ({ dir, shares }) => practiceQuorum(dir, shares, { stateDir: service.stateDir }),
    'vault:unlock-quorum': async ({ dir, shares, reason }) =>
      service.replace(await openVaultByQuorum(dir, { shares, reason, stateDir: service.stateDir }), dir),
    'kit:export': async ({ to }) => {
      const session = service.current();
      const path = await chosenDestination(tokens, to, 'kit', { vaultDir: session.dir, extensions: ['.pdf'] });
      const { path: written, bytes } = await exportEmergencyKit(session, path, printPdf);
      return { path: written, bytes };
    },
  });
}
