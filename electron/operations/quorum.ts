/**
 * Quorum operations, as the window and the CLI offer them: create (and
 * rotate) the shares with their printed sheets, show, revoke, check one,
 * drill, unlock by quorum, and print the emergency kit. One place decides the
 * order: the output is checked before any share exists, the sheets are
 * written before the set is committed, and only file names come back.
 */
import { LifeboatError } from '../../shared/errors.js';
import { requirePlainLine } from '../../shared/terminal-text.js';
import type { RecoverySetView } from '../../shared/quorum-contract.js';
import { exportKit } from '../quorum/emergency-kit.js';
import { checkShareFor, createRecoveryShares, openVaultByQuorum as engineOpenByQuorum, revokeRecoveryShares } from '../quorum/quorum-shares.js';
import { writeRecoverySheets, type WrittenSheet } from '../quorum/share-sheet.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { readHeader, type RecoverySet } from '../vault/keys/vault-header.js';
import type { VaultSession } from '../vault/vault-session.js';
import { requireFileDestination, requireOutputFolder } from './output-paths.js';

export { checkShare, practiceQuorum, quorumUnlocksToReview, type QuorumUnlock } from '../quorum/quorum-shares.js';

/** A quorum unlock; its reason goes into the log and onto every owner's screen, so it must be plain text (issue 15, M6). */
export async function openVaultByQuorum(dir: string, input: { shares: readonly string[]; reason: string; stateDir?: string }): Promise<VaultSession> {
  requirePlainLine(input.reason.trim(), 'A reason');
  return engineOpenByQuorum(dir, input);
}
export type { WrittenSheet } from '../quorum/share-sheet.js';

/** The set as people see it: no key check value, which is of no use outside the engine. */
export function shareSetView(set: RecoverySet): RecoverySetView {
  return { setId: set.setId, threshold: set.threshold, custodians: set.custodians, createdAt: set.createdAt, createdBy: set.createdBy };
}

export function sharesStatus(session: VaultSession): RecoverySetView | null {
  session.assertOpen();
  const recovery = session.header.recovery;
  return recovery ? shareSetView(recovery) : null;
}

export interface CreatedShares {
  set: RecoverySetView;
  sheets: WrittenSheet[];
  /** The set this one replaced, whose sheets now open nothing. */
  rotated: string | null;
}

/**
 * Creates (or rotates) the shares and writes each custodian's sheet (PDF and
 * text) to `outDir`. The folder and the printer are checked before any share
 * exists; if a sheet cannot be written the vault keeps its previous set.
 */
export async function createShares(
  session: VaultSession,
  input: { threshold: number; custodians: readonly string[]; outDir: string },
  printer: PdfPrinter | undefined,
): Promise<CreatedShares> {
  if (!printer) {
    throw new LifeboatError('ENGINE_UNAVAILABLE', 'Recovery sheets are printed to PDF, which needs Chromium here. Nothing was created.');
  }
  await requireOutputFolder(input.outDir, 'recovery sheets');
  const rotated = session.header.recovery?.setId ?? null;
  let sheets: WrittenSheet[] = [];
  await createRecoveryShares(session, { threshold: input.threshold, custodians: input.custodians }, async (created) => {
    sheets = await writeRecoverySheets(session, created, input.outDir, printer);
  });
  const recovery = session.header.recovery;
  if (!recovery) {
    throw new LifeboatError('INTERNAL', 'The new share set is missing from the header.');
  }
  return { set: shareSetView(recovery), sheets, rotated };
}

/** Revokes the current set (every sheet opens nothing; the vault is rekeyed). Returns its id. */
export async function revokeShares(session: VaultSession): Promise<string> {
  const current = session.header.recovery?.setId ?? '';
  await revokeRecoveryShares(session);
  return current;
}

/** The emergency kit as PDF: the destination is checked before the export is logged. */
export async function exportEmergencyKit(
  session: VaultSession,
  path: string,
  printer: PdfPrinter | undefined,
): Promise<{ path: string; bytes: number; fingerprint: string }> {
  await requireFileDestination(path);
  const written = await exportKit(session, path, printer);
  return { ...written, fingerprint: session.fingerprint };
}

/**
 * Checks shares against the vault's current set before any is combined, each
 * under its own label (the file it came from), so a typo, a rotated sheet or
 * the same sheet twice is named by where it came from. The engine checks them
 * all again when it combines them.
 */
export async function checkLabelledShares(
  dir: string,
  shares: readonly { label: string; text: string }[],
): Promise<{ label: string; index: number; custodian: string }[]> {
  const sodium = await loadSodium();
  const header = await readHeader(dir);
  const checked = shares.map(({ label, text }) => {
    const { index, custodian, payload } = checkShareFor(sodium, header, text, `The share in ${label}`);
    sodium.memzero(payload.share);
    return { label, index, custodian };
  });
  checked.forEach((share, i) => {
    const twin = checked.findIndex((other, j) => j < i && other.index === share.index);
    if (twin >= 0) {
      throw new LifeboatError(
        'SHARE_REJECTED',
        `${checked[twin]?.label ?? '?'} and ${share.label} hold the same sheet (custodian ${share.index}, ${share.custodian}); each custodian counts once.`,
      );
    }
  });
  return checked;
}
