/**
 * Recovery shares, quorum unlock and the emergency kit over IPC. Created
 * shares go straight from the engine to the sheets on disk; only file names
 * come back to the renderer.
 */
import { LifeboatError } from '../../shared/errors.js';
import type { RecoverySetView } from '../../shared/quorum-contract.js';
import { exportKit } from '../quorum/emergency-kit.js';
import { writeRecoverySheets, type WrittenSheet } from '../quorum/share-sheet.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { checkShare, createRecoveryShares, openVaultByQuorum, practiceQuorum, revokeRecoveryShares } from '../quorum/quorum-shares.js';
import type { RecoverySet } from '../vault/keys/vault-header.js';
import type { Handlers } from './router.js';
import { oneAtATime, type VaultService } from './vault-handlers.js';

type QuorumChannels = 'shares:status' | 'shares:create' | 'shares:revoke' | 'shares:check' | 'shares:practice' | 'vault:unlock-quorum' | 'kit:export';

function view(set: RecoverySet): RecoverySetView {
  return { setId: set.setId, threshold: set.threshold, custodians: set.custodians, createdAt: set.createdAt, createdBy: set.createdBy };
}

export function createQuorumHandlers(service: VaultService, printPdf?: PdfPrinter): Pick<Handlers, QuorumChannels> {
  return oneAtATime(service, {
    'shares:status': () => {
      const recovery = service.current().header.recovery;
      return recovery ? view(recovery) : null;
    },
    'shares:create': async ({ threshold, custodians, outDir }) => {
      const session = service.current();
      if (!printPdf) {
        throw new LifeboatError('ENGINE_UNAVAILABLE', 'Recovery sheets are printed to PDF, which needs Chromium here. Nothing was created.');
      }
      let files: WrittenSheet[] = [];
      await createRecoveryShares(session, { threshold, custodians }, async (set) => {
        files = await writeRecoverySheets(session, set, outDir, printPdf);
      });
      const recovery = session.header.recovery;
      if (!recovery) {
        throw new LifeboatError('INTERNAL', 'The new share set is missing from the header.');
      }
      return { set: view(recovery), files };
    },
    'shares:revoke': async () => {
      await revokeRecoveryShares(service.current());
      return { ok: true } as const;
    },
    'shares:check': ({ dir, share }) => checkShare(dir, share),
    'shares:practice': ({ dir, shares }) => practiceQuorum(dir, shares),
    'vault:unlock-quorum': async ({ dir, shares, reason }) => service.replace(await openVaultByQuorum(dir, { shares, reason }), dir),
    'kit:export': ({ path }) => exportKit(service.current(), path, printPdf),
  });
}
