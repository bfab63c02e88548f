/**
 * `lifeboat doctor`: what is on disk, and — with an owner's passphrase and
 * explicit confirmation — a logged way back to the newest good snapshot when
 * the newest one is damaged. Unlock never falls back silently; this does, on
 * purpose, in front of a person.
 */
import { readdir } from 'node:fs/promises';
import { LifeboatError } from '../../../shared/errors.js';
import { AuditLog, readAuditLines } from '../audit/audit-log.js';
import { loadSodium } from '../keys/crypto-runtime.js';
import { zeroEpochKeys } from '../keys/epoch-keys.js';
import { RecordStore } from '../records/record-store.js';
import { decryptSnapshot, listGenerations, readSnapshotBytes, readSnapshotPrefix } from './snapshot-file.js';
import { readHeader } from '../keys/vault-header.js';
import { acquireVaultLock } from './vault-lock.js';
import { noteFailedUnlock, unlockKeys, type UnlockInput } from '../vault-open.js';
import { VaultSession } from '../vault-session.js';

export interface GenerationReport {
  generation: number;
  file: string;
  keyEpoch: number | null;
  bytes: number;
  /** Only known when checked with an owner's keys. */
  status: 'unchecked' | 'ok' | 'damaged' | 'other-epoch';
  savedAt?: string;
  savedBy?: string;
  detail?: string;
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
}

/** What anyone can see without a key. */
export async function inspectVault(dir: string): Promise<DoctorReport> {
  const header = await readHeader(dir);
  const generations: GenerationReport[] = [];
  for (const entry of await listGenerations(dir)) {
    const bytes = await readSnapshotBytes(dir, entry.file);
    const prefix = readSnapshotPrefix(bytes);
    generations.push({ ...entry, keyEpoch: prefix?.keyEpoch ?? null, bytes: bytes.length, status: 'unchecked' });
  }
  let auditRecords = -1;
  try {
    auditRecords = (await readAuditLines(dir)).length;
  } catch {
    auditRecords = -1;
  }
  return {
    vaultId: header.vaultId,
    name: header.name,
    keyEpoch: header.keyEpoch,
    members: header.slots.length,
    insecureFastKdf: header.insecureFastKdf,
    auditRecords,
    generations,
    files: (await readdir(dir)).sort(),
  };
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
  const report = await inspectVault(dir);
  const lock = await acquireVaultLock(dir);
  let unlocked: Awaited<ReturnType<typeof unlockKeys>> | undefined;
  try {
    unlocked = await unlockKeys(sodium, dir, input);
    if (unlocked.member.role !== 'owner' || !unlocked.keys.content) {
      throw new LifeboatError('VAULT_FORBIDDEN', 'Only an owner can check and restore snapshots.');
    }
    const content = unlocked.keys.content;
    const decrypted = new Map<number, Uint8Array>();
    for (const generation of report.generations) {
      if (generation.keyEpoch !== unlocked.header.keyEpoch) {
        generation.status = 'other-epoch';
        continue;
      }
      try {
        const { meta, db } = decryptSnapshot(sodium, content, await readSnapshotBytes(dir, generation.file), generation.file);
        generation.status = 'ok';
        generation.savedAt = meta.savedAt;
        generation.savedBy = meta.savedBy;
        if (generation.generation === input.restore) {
          decrypted.set(generation.generation, db);
        } else {
          sodium.memzero(db);
        }
      } catch (error) {
        generation.status = 'damaged';
        generation.detail = error instanceof Error ? error.message : String(error);
      }
    }
    if (input.restore === undefined) {
      return report;
    }
    const chosen = report.generations.find((g) => g.generation === input.restore);
    const db = decrypted.get(input.restore);
    if (!chosen || chosen.status !== 'ok' || !db) {
      throw new LifeboatError('VAULT_BAD_INPUT', `Generation ${input.restore} is not a readable snapshot of this vault: pick one marked ok.`);
    }
    const newestBad = report.generations.find((g) => g.status === 'damaged');
    const log = await AuditLog.load(sodium, dir, unlocked.header.vaultId);
    const session = new VaultSession({
      sodium,
      dir,
      header: unlocked.header,
      lock,
      member: unlocked.member,
      keys: unlocked.keys,
      log,
      store: await RecordStore.open(db),
      generation: report.generations[0]?.generation ?? input.restore,
      failedAttemptsBefore: 0,
      sealedHead: null,
    });
    sodium.memzero(db);
    unlocked = undefined; // the session owns the keys now
    await session.log({
      type: 'doctor.restored',
      details: { restoredGeneration: input.restore, ...(newestBad ? { damagedGeneration: newestBad.generation } : {}) },
    });
    await session.commit();
    await session.lock();
    return await inspectVault(dir);
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
