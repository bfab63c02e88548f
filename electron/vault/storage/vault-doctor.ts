/**
 * `lifeboat doctor`: what is on disk, and — with an owner's passphrase and
 * explicit confirmation — a logged way back to the newest good snapshot when
 * the newest one is damaged. Unlock never falls back silently; this does, on
 * purpose, in front of a person.
 */
import { lstat, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { AuditLog, lineHash, readAuditLines, ZERO_HASH } from '../audit/audit-log.js';
import { AnchorFile } from '../anchor/anchor-file.js';
import { describeRegressions, LocalAnchor, regressions, type LogView } from '../anchor/local-anchor.js';
import { defaultStateDir } from '../anchor/state-dir.js';
import { loadSodium, type Sodium } from '../keys/crypto-runtime.js';
import { zeroEpochKeys } from '../keys/epoch-keys.js';
import { RecordStore } from '../records/record-store.js';
import { syncDirectory, VAULT_DIR_MODE } from './atomic-file.js';
import { loadGeneration } from './snapshot-chain.js';
import { decryptSnapshotFile, listGenerations, readSnapshotFilePrefix, type GenerationFile, type KnownSnapshot } from './snapshot-file.js';
import { isOsLitter } from './vault-files.js';
import { headerSerial, readHeader } from '../keys/vault-header.js';
import { acquireVaultLock } from './vault-lock.js';
import { logBrokenLock, noteFailedUnlock, unlockKeys, type UnlockInput } from '../vault-open.js';
import { VaultSession } from '../vault-session.js';

/** Where a restore moves files that are named like snapshots but are not good ones. */
export const QUARANTINE_DIR = 'quarantine';

export interface GenerationReport {
  generation: number;
  file: string;
  keyEpoch: number | null;
  bytes: number;
  /**
   * `refused`: named like a snapshot but not one (not a regular file, no
   * snapshot prefix, another generation inside); the rest is only known when
   * checked with an owner's keys.
   */
  status: 'unchecked' | 'ok' | 'damaged' | 'other-epoch' | 'refused';
  savedAt?: string;
  savedBy?: string;
  detail?: string;
}

/** What this laptop last saw of the vault (its local anchor), and what on disk is older than that. */
export interface AnchorReport {
  headerSerial: number;
  generation: number;
  auditRecords: number;
  /** In words, what on disk is older than the anchor (unauthenticated: no key was used); null when nothing is. */
  olderOnDisk: string | null;
}

export interface DoctorReport {
  vaultId: string;
  name: string;
  keyEpoch: number;
  members: number;
  insecureFastKdf: boolean;
  auditRecords: number;
  generations: GenerationReport[];
  files: string[];
  /** Null when this laptop never saw the vault (or keeps no state). */
  anchor: AnchorReport | null;
}

/** What anyone can see without a key. */
export async function inspectVault(dir: string, options: { stateDir?: string } = {}): Promise<DoctorReport> {
  const header = await readHeader(dir);
  const generations: GenerationReport[] = [];
  for (const entry of await listGenerations(dir)) {
    generations.push(await inspectGeneration(dir, entry));
  }
  let lines: string[] | null = null;
  try {
    lines = await readAuditLines(dir);
  } catch {
    lines = null;
  }
  const seen = AnchorFile.peek(options.stateDir ?? defaultStateDir(), header.vaultId);
  let anchor: AnchorReport | null = null;
  if (seen) {
    const newest = Math.max(0, ...generations.filter((g) => g.status !== 'refused' && g.keyEpoch === header.keyEpoch).map((g) => g.generation));
    const older = regressions(seen, { headerSerial: headerSerial(header), generation: newest, log: linesView(await loadSodium(), lines ?? []) });
    anchor = {
      headerSerial: seen.headerSerial,
      generation: seen.generation,
      auditRecords: seen.logSize,
      olderOnDisk: older.length > 0 ? describeRegressions(older) : null,
    };
  }
  return {
    vaultId: header.vaultId,
    name: header.name,
    keyEpoch: header.keyEpoch,
    members: header.slots.length,
    insecureFastKdf: header.insecureFastKdf,
    auditRecords: lines?.length ?? -1,
    generations,
    files: (await readdir(dir)).filter((name) => !isOsLitter(name)).sort(),
    anchor,
  };
}

/** The log's lines as the anchor compares them, hashed only where asked. */
function linesView(sodium: Sodium, lines: readonly string[]): LogView {
  const hashAt = (size: number): string | undefined => {
    const line = size === 0 ? undefined : lines[size - 1];
    return size === 0 ? ZERO_HASH : line === undefined ? undefined : lineHash(sodium, line);
  };
  return { size: lines.length, headHash: () => hashAt(lines.length) ?? ZERO_HASH, hashAtSize: hashAt };
}

/** One file named like a snapshot, looked at without following a link or reading more than its prefix. */
async function inspectGeneration(dir: string, entry: GenerationFile): Promise<GenerationReport> {
  const info = await lstat(join(dir, entry.file));
  const report: GenerationReport = { ...entry, keyEpoch: null, bytes: info.size, status: 'unchecked' };
  if (Number.isNaN(entry.generation)) {
    return { ...report, generation: -1, status: 'refused', detail: 'not a snapshot name' };
  }
  try {
    const prefix = await readSnapshotFilePrefix(dir, entry.file);
    if (!prefix) {
      return { ...report, status: 'refused', detail: 'not a Lifeboat snapshot' };
    }
    if (prefix.generation !== entry.generation) {
      return { ...report, keyEpoch: prefix.keyEpoch, status: 'refused', detail: `holds generation ${prefix.generation}` };
    }
    return { ...report, keyEpoch: prefix.keyEpoch };
  } catch (error) {
    if (error instanceof LifeboatError && error.code === 'VAULT_TAMPERED') {
      return { ...report, status: 'refused', detail: error.message };
    }
    throw error;
  }
}

/**
 * The files a restore moves aside: everything named like a snapshot that is
 * neither a good snapshot of the current epoch nor an older epoch's leftover
 * older than all of them. Unlock refuses the vault while any of these is
 * there; moved into `quarantine/`, they stay for forensics and count for nothing.
 */
function toQuarantine(report: DoctorReport): GenerationReport[] {
  const ok = report.generations.filter((g) => g.status === 'ok');
  const oldestOk = Math.min(...ok.map((g) => g.generation));
  return report.generations.filter(
    (g) => g.status !== 'ok' && !(g.status === 'other-epoch' && g.keyEpoch !== null && g.keyEpoch < report.keyEpoch && g.generation < oldestOk),
  );
}

async function quarantine(dir: string, files: readonly GenerationReport[]): Promise<void> {
  if (files.length === 0) {
    return;
  }
  const folder = join(dir, QUARANTINE_DIR);
  await mkdir(folder, { recursive: true, mode: VAULT_DIR_MODE });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const g of files) {
    // rename moves a link, FIFO or device itself, never what it points to.
    await rename(join(dir, g.file), join(folder, `${stamp}-${g.file}`));
  }
  await syncDirectory(folder);
  await syncDirectory(dir);
}

export interface DoctorInput extends UnlockInput {
  /** The generation to restore; omit to only check every generation. */
  restore?: number;
}

/**
 * With an owner's passphrase: checks each generation, and restores one if
 * asked (it becomes a new, newest generation; the damaged file stays for
 * forensics until it ages out). Logged as "doctor.restored".
 */
export async function doctorWithKeys(dir: string, input: DoctorInput): Promise<DoctorReport> {
  const sodium = await loadSodium();
  const report = await inspectVault(dir, input);
  // Breaking a lock is logged, so only a restore (which writes the log) may do it.
  const lock = await acquireVaultLock(dir, { breakLock: input.breakLock === true && input.restore !== undefined });
  let unlocked: Awaited<ReturnType<typeof unlockKeys>> | undefined;
  try {
    unlocked = await unlockKeys(sodium, dir, input);
    if (unlocked.member.role !== 'owner' || !unlocked.keys.content) {
      throw new LifeboatError('VAULT_FORBIDDEN', 'Only an owner can check and restore snapshots.');
    }
    const content = unlocked.keys.content;
    const vaultId = unlocked.header.vaultId;
    // Oldest first: a delta is good only if the generation it builds on is (storage/snapshot-chain.ts).
    const good = new Map<number, { snapshotId: string | undefined; base: number | null }>();
    for (const generation of [...report.generations].reverse()) {
      if (generation.status === 'refused') {
        continue;
      }
      if (generation.keyEpoch !== unlocked.header.keyEpoch) {
        generation.status = 'other-epoch';
        continue;
      }
      try {
        const opened = decryptSnapshotFile(sodium, content, dir, generation.file);
        if (opened.kind === 'full') {
          opened.db.fill(0);
        } else {
          opened.delta.data.fill(0);
        }
        if (opened.meta.vaultId !== vaultId) {
          throw new LifeboatError('VAULT_TAMPERED', `The snapshot ${generation.file} belongs to another vault.`);
        }
        if (opened.kind === 'delta') {
          const { base } = opened.meta;
          if (good.get(base.generation)?.snapshotId !== base.snapshotId) {
            throw new LifeboatError('VAULT_TAMPERED', `It builds on generation ${base.generation}, which is missing, damaged or another file of that number.`);
          }
        }
        good.set(generation.generation, { snapshotId: opened.meta.snapshotId, base: opened.kind === 'delta' ? opened.meta.base.generation : null });
        generation.status = 'ok';
        generation.savedAt = opened.meta.savedAt;
        generation.savedBy = opened.meta.savedBy;
      } catch (error) {
        generation.status = 'damaged';
        generation.detail = error instanceof Error ? error.message : String(error);
      }
    }
    if (input.restore === undefined) {
      return report;
    }
    const keyEpoch = unlocked.header.keyEpoch;
    const known: KnownSnapshot[] = report.generations
      .filter((g) => g.status === 'ok')
      .map((g) => ({ generation: g.generation, file: g.file, keyEpoch, base: good.get(g.generation)?.base ?? null }));
    const chosen = known.find((g) => g.generation === input.restore);
    if (!chosen) {
      throw new LifeboatError('VAULT_BAD_INPUT', `Generation ${input.restore} is not a readable snapshot of this vault: pick one marked ok.`);
    }
    const { db } = loadGeneration(sodium, content, dir, vaultId, chosen, known);
    const newestBad = report.generations.find((g) => g.status === 'damaged');
    const moved = toQuarantine(report);
    const log = await AuditLog.load(sodium, dir, unlocked.header.vaultId);
    await quarantine(dir, moved);
    // The restored database is numbered above anything this laptop saw, so the anchor moves forward;
    // a log or header older than the anchor is left for --accept-rollback (the anchor never moves back here).
    const { anchor, note: anchorNote } = LocalAnchor.open(input.stateDir ?? defaultStateDir(), unlocked.header.vaultId);
    const session = new VaultSession({
      sodium,
      dir,
      header: unlocked.header,
      lock,
      member: unlocked.member,
      keys: unlocked.keys,
      log,
      store: await RecordStore.open(db),
      // Numbered after the newest good snapshot: a planted file's name decides nothing.
      generation: Math.max(...known.map((g) => g.generation), anchor?.seen?.generation ?? 0),
      failedAttemptsBefore: 0,
      sealedHead: null,
      // No chain: the restored database is written whole, as a new full snapshot.
      snapshots: known,
      anchor,
      anchorNote,
    });
    sodium.memzero(db);
    unlocked = undefined; // the session owns the keys now
    await logBrokenLock(session, lock);
    await session.log({
      type: 'doctor.restored',
      details: {
        restoredGeneration: input.restore,
        ...(newestBad ? { damagedGeneration: newestBad.generation } : {}),
        ...(moved.length > 0 ? { quarantined: moved.map((g) => g.file).join(', ') } : {}),
      },
    });
    await session.commit();
    await session.lock();
    return await inspectVault(dir, input);
  } catch (error) {
    await noteFailedUnlock(dir, error);
    throw error;
  } finally {
    if (unlocked) {
      zeroEpochKeys(sodium, unlocked.keys);
    }
    await lock.release();
  }
}
