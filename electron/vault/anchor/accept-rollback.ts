/**
 * `lifeboat doctor --as OWNER --accept-rollback --yes`: the genuine recovery
 * path when an owner restored an older copy of the vault on purpose (a
 * backup), which this laptop's anchor would otherwise refuse for ever. The
 * vault is unlocked with every other check as usual; what went backwards is
 * logged as `vault.rollback-accepted` (anchored and found figures), then the
 * anchor follows the disk (anchor/local-anchor.ts). Owners only.
 */
import { openVault, type UnlockInput } from '../vault-open.js';

export interface RollbackAcceptance {
  /** What went backwards, in words; null when nothing on disk was older than this laptop's anchor (nothing logged). */
  accepted: string | null;
}

export async function acceptRollback(dir: string, input: UnlockInput): Promise<RollbackAcceptance> {
  const session = await openVault(dir, { ...input, acceptRollback: true });
  try {
    return { accepted: session.rollbackAccepted };
  } finally {
    await session.lock();
  }
}
