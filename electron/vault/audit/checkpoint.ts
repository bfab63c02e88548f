/**
 * Checkpoints (docs/vault-format.md, "Checkpoints"): the log's lines are the
 * leaves of an RFC 6962 Merkle tree; a checkpoint is a C2SP signed note
 * (origin, tree size, root hash) signed by the epoch's audit key. Signed from
 * the session's state, so the session can write one at every lock without an
 * import circle.
 */
import { join } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { b64decode, headerSerial } from '../keys/vault-header.js';
import type { SessionState } from '../session-state.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import { leafHash, MerkleFrontier } from './merkle-tree.js';
import { formatCheckpointBody, signNote } from './signed-note.js';

export const CHECKPOINT_FILE = 'checkpoint';

export function checkpointOrigin(vaultId: string): string {
  return `lifeboat/vault/${vaultId}`;
}

export function checkpointKeyName(vaultId: string, epoch: number): string {
  return `lifeboat-audit-${vaultId}-e${epoch}`;
}

export function logLeaves(sodium: Sodium, lines: readonly string[]): Uint8Array[] {
  const encoder = new TextEncoder();
  return lines.map((line) => leafHash(sodium, encoder.encode(line)));
}

/** Each log's lines (the array an AuditLog appends to) with the frontier of their tree, as far as it was read. */
const frontiers = new WeakMap<readonly { line: string }[], { frontier: MerkleFrontier; last: string | undefined }>();

/**
 * The RFC 6962 root of the whole log, from the frontier kept for these very
 * lines, extended by the lines appended since (MerkleFrontier): a log only
 * grows, and one whose last line read is no longer where it was is read
 * again from its start.
 */
export function currentRoot(sodium: Sodium, lines: readonly { line: string }[]): LogRoot {
  let kept = frontiers.get(lines);
  if (!kept || kept.frontier.size > lines.length || (kept.frontier.size > 0 && lines[kept.frontier.size - 1]?.line !== kept.last)) {
    kept = { frontier: new MerkleFrontier(), last: undefined };
    frontiers.set(lines, kept);
  }
  const encoder = new TextEncoder();
  for (let i = kept.frontier.size; i < lines.length; i += 1) {
    const line = lines[i]?.line ?? '';
    kept.frontier.append(sodium, leafHash(sodium, encoder.encode(line)));
    kept.last = line;
  }
  return { size: lines.length, root: kept.frontier.root(sodium) };
}

/** The RFC 6962 root of a whole log, computed ahead (while Argon2id runs) for checkStoredCheckpoint. */
export interface LogRoot {
  size: number;
  root: Uint8Array;
}

/**
 * What the vault looked like when a checkpoint was signed, as its one
 * extension line (c2sp.org/tlog-checkpoint allows them; verifiers that do
 * not know it ignore it): `lifeboat-state snapshot=<generation> header=<serial>`,
 * the newest snapshot generation and the header serial. Signed with the
 * log's root, so neither can be rolled back below it unnoticed.
 */
export interface CheckpointState {
  generation: number;
  headerSerial: number;
}

const STATE_LINE = /^lifeboat-state snapshot=(0|[1-9][0-9]{0,15}) header=(0|[1-9][0-9]{0,15})$/;

export function checkpointStateLine(state: CheckpointState): string {
  return `lifeboat-state snapshot=${state.generation} header=${state.headerSerial}`;
}

/** The state a checkpoint's extension lines record; null for checkpoints written before it. */
export function checkpointState(extensions: readonly string[]): CheckpointState | null {
  for (const line of extensions) {
    const match = STATE_LINE.exec(line);
    if (match) {
      return { generation: Number(match[1]), headerSerial: Number(match[2]) };
    }
  }
  return null;
}

/** A fresh checkpoint signed now (full members), over the whole log. */
export function signCheckpointFor(state: Pick<SessionState, 'sodium' | 'header' | 'keys' | 'log' | 'generation'>): string {
  const { sodium, header, keys } = state;
  if (!keys.signingSecret) {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only a full member can sign a checkpoint.');
  }
  const { size, root } = currentRoot(sodium, state.log.lines);
  const body = formatCheckpointBody(checkpointOrigin(header.vaultId), size, root, [
    checkpointStateLine({ generation: state.generation, headerSerial: headerSerial(header) }),
  ]);
  const publicKey = b64decode(sodium, header.auditPublicKeys.find((k) => k.epoch === keys.epoch)?.publicKey ?? '');
  return signNote(sodium, body, checkpointKeyName(header.vaultId, keys.epoch), keys.signingSecret, publicKey);
}

/** Writes the current checkpoint to the vault folder (at lock and at export). */
export async function writeCheckpointFor(state: Pick<SessionState, 'sodium' | 'header' | 'keys' | 'log' | 'dir' | 'generation'>): Promise<string> {
  const note = signCheckpointFor(state);
  await writeFileAtomic(join(state.dir, CHECKPOINT_FILE), note);
  return note;
}
