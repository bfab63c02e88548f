/**
 * Delta snapshots (storage/snapshot-chain.ts, docs/vault-format.md
 * "Snapshots"): a save after a small edit writes only the blocks that
 * changed, the vault opens to exactly what was saved, and the attacks of
 * someone who can write to the folder — delete, replace or alter a file a
 * delta builds on — are refused by name, never mixed in.
 */
import { cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PASSPHRASES, anotherLaptop, newVault, refusal, tempVaultDir, unlockAs } from '../../../test/support/test-vault.js';
import { createRecord, editRecord, listRecords, searchRecords } from '../records/vault-records.js';
import { addMember, removeMember } from '../vault-members.js';
import type { VaultSession } from '../vault-session.js';
import { loadSodium } from '../keys/crypto-runtime.js';
import { BLOCK_BYTES, blockHashes, changedBlocks, planDelta } from './snapshot-chain.js';
import { encryptDeltaSnapshot, filesToKeep, readSnapshotPrefix, type DeltaMeta, type KnownSnapshot } from './snapshot-file.js';
import { doctorWithKeys } from './vault-doctor.js';

const open: VaultSession[] = [];
afterEach(async () => {
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

async function unlocked(dir: string, options: { stateDir?: string } = {}): Promise<VaultSession> {
  const session = await unlockAs(dir, 'alice', PASSPHRASES['alice'], options);
  open.push(session);
  return session;
}

/** Snapshot files, oldest first, with their kind (from the prefix) and size. */
async function snapshots(dir: string): Promise<{ file: string; generation: number; kind: string; bytes: number }[]> {
  const names = (await readdir(dir)).filter((f) => /^snapshot-\d{12}\.lbs$/.test(f)).sort();
  return Promise.all(
    names.map(async (file) => {
      const prefix = readSnapshotPrefix(new Uint8Array(await readFile(join(dir, file))).subarray(0, 20));
      return { file, generation: prefix?.generation ?? -1, kind: prefix?.kind ?? 'none', bytes: (await stat(join(dir, file))).size };
    }),
  );
}

const RUNBOOKS = 40;

/** A vault of 40 runbooks of 6 KiB or so each, then `edits` one-field edits, locked. */
async function editedVault(edits: number): Promise<{ dir: string; ids: string[] }> {
  const { dir, session } = await newVault();
  const ids: string[] = [];
  for (let i = 0; i < RUNBOOKS; i += 1) {
    const words = Array.from({ length: 900 }, (_, w) => `step${(i * 131 + w * 17) % 997}`).join(' ');
    const body = `## Restore service ${i}\n\nCheck the replica lag, fail over, then validate the checkout flow. ${words}`;
    ids.push((await createRecord(session, { type: 'runbook', title: `Runbook ${i}`, data: { body } })).id);
  }
  for (let e = 0; e < edits; e += 1) {
    await editRecord(session, ids[e % ids.length] ?? '', { set: { estimatedMinutes: 60 + e } });
  }
  await session.lock();
  return { dir, ids };
}

describe('a save after a small edit', () => {
  it('writes only the blocks that changed, and the vault opens to exactly what was saved', async () => {
    const { dir, ids } = await editedVault(3);
    const files = await snapshots(dir);
    const full = files.filter((f) => f.kind === 'full').at(-1);
    const deltas = files.filter((f) => f.kind === 'delta' && f.generation > (full?.generation ?? 0));
    expect(full).toBeDefined();
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    // An edit's delta is a fraction of the database (here a small one, about 450 KB: an edit rewrites
    // some 16 blocks, an index merge more); the lock's (nothing changed) holds no block at all.
    for (const delta of deltas) {
      expect(delta.bytes).toBeLessThan((full?.bytes ?? 0) / 2);
    }
    expect(deltas.at(-1)?.bytes).toBeLessThan(1024);

    const session = await unlocked(dir);
    const records = listRecords(session);
    expect(records).toHaveLength(RUNBOOKS);
    const edited = session.store().get(ids[2] ?? '');
    expect(edited?.data['estimatedMinutes']).toBe(62);
  });

  it('a lock after only reading re-seals the audit head without reading the database back; a lock after a change does', async () => {
    const { dir, ids } = await editedVault(1);
    const session = await unlocked(dir);
    const exported = vi.spyOn(session.store(), 'export');
    searchRecords(session, 'replica lag');
    session.store().get(ids[0] ?? '');
    const before = (await snapshots(dir)).at(-1)?.generation ?? 0;
    await session.lock();
    open.splice(0);
    expect(exported).not.toHaveBeenCalled();
    const sealed = (await snapshots(dir)).at(-1);
    expect(sealed).toMatchObject({ generation: before + 1, kind: 'delta' });
    expect(sealed?.bytes).toBeLessThan(1024);

    const again = await unlocked(dir);
    const exportedAgain = vi.spyOn(again.store(), 'export');
    again.store().setMeta('bench:probe', 'a write the lock must save');
    await again.lock();
    open.splice(0);
    expect(exportedAgain).toHaveBeenCalledTimes(1);
    expect((await unlocked(dir)).store().getMeta('bench:probe')).toBe('a write the lock must save');
  });

  it('writes a full snapshot again once the deltas add up, and prunes the old chain only when no kept generation needs it', async () => {
    // Each edit rewrites a few blocks; at this size a chain compacts after 1 MiB of deltas or 64 links.
    const { dir } = await editedVault(70);
    const files = await snapshots(dir);
    const fulls = files.filter((f) => f.kind === 'full');
    // Compacted during the edits (the vault's own first snapshot and the creations' chain are long gone).
    expect(fulls.at(-1)?.generation).toBeGreaterThan(RUNBOOKS + 1);
    // Pruned: what is left starts at a full snapshot (no delta kept whose base went), and is far
    // fewer than the 112 generations written.
    expect(files[0]?.kind).toBe('full');
    expect(files.length).toBeLessThan(70);
    const session = await unlocked(dir);
    expect(listRecords(session)).toHaveLength(RUNBOOKS);
  });

  it('keeps writing deltas after a rekey: the new epoch starts with a full snapshot, the old epoch’s files go', async () => {
    const { dir } = await editedVault(2);
    const session = await unlocked(dir);
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    // Removing a member rekeys the vault (a new key epoch).
    await removeMember(session, 'bob');
    const afterRekey = await snapshots(dir);
    expect(afterRekey.every((f) => f.kind === 'full' || f.generation > (afterRekey.find((g) => g.kind === 'full')?.generation ?? 0))).toBe(true);
    const epochs = new Set(await Promise.all(afterRekey.map(async (f) => new DataView((await readFile(join(dir, f.file))).buffer).getUint32(16))));
    expect(epochs.size).toBe(1);
    await createRecord(session, { type: 'contact', title: 'After the rekey', data: {} });
    expect((await snapshots(dir)).at(-1)?.kind).toBe('delta');
    await session.lock();
    open.splice(0);
    expect(listRecords(await unlocked(dir)).map((r) => r.title)).toContain('After the rekey');
  });
});

describe('attacks on a chain of deltas (someone who can write to the folder)', () => {
  it('the full snapshot the deltas build on deleted: refused, naming what is missing', async () => {
    const { dir } = await editedVault(2);
    const base = (await snapshots(dir)).filter((f) => f.kind === 'full').at(-1);
    await rm(join(dir, base?.file ?? ''));
    const error = await refusal(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(`builds on generation ${base?.generation}, which is missing`);
    expect(error.message).toContain('lifeboat doctor');
  });

  it('a delta in the middle altered by one byte: refused, naming the file', async () => {
    const { dir } = await editedVault(3);
    const files = await snapshots(dir);
    const middle = files.filter((f) => f.kind === 'delta').at(0);
    const path = join(dir, middle?.file ?? '');
    const bytes = await readFile(path);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0x01;
    await writeFile(path, bytes);
    const error = await refusal(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(middle?.file);
  });

  it('a genuine file of the same generation from a copy of the vault that went its own way: refused, never mixed in', async () => {
    const { dir, ids } = await editedVault(1);
    const fork = tempVaultDir();
    await cp(dir, fork, { recursive: true });
    // Both copies save the same generation numbers with different content.
    const mine = await unlocked(dir);
    await editRecord(mine, ids[5] ?? '', { set: { estimatedMinutes: 111 } });
    await editRecord(mine, ids[6] ?? '', { set: { estimatedMinutes: 222 } });
    await mine.lock();
    const theirs = await unlocked(fork, { stateDir: anotherLaptop() });
    await editRecord(theirs, ids[5] ?? '', { set: { estimatedMinutes: 999 } });
    await editRecord(theirs, ids[6] ?? '', { set: { estimatedMinutes: 888 } });
    await theirs.lock();
    open.splice(0);
    // Their middle delta put in place of mine: each authenticates on its own.
    const mineFiles = await snapshots(dir);
    const target = mineFiles.filter((f) => f.kind === 'delta').at(-3);
    await cp(join(fork, target?.file ?? ''), join(dir, target?.file ?? ''));
    const error = await refusal(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toMatch(/does not build on the snapshot of generation \d+ in the folder: that file was replaced/);
  });

  it('doctor restores a delta generation as a new full snapshot, and marks a delta whose base is damaged as damaged', async () => {
    const { dir, ids } = await editedVault(3);
    const files = await snapshots(dir);
    const older = files.filter((f) => f.kind === 'delta').at(-3);
    const newest = files.at(-1);
    // The newest file damaged: unlock refuses; doctor restores an older delta generation.
    const path = join(dir, newest?.file ?? '');
    const bytes = await readFile(path);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x40;
    await writeFile(path, bytes);
    expect((await refusal(unlockAs(dir, 'alice'))).code).toBe('VAULT_TAMPERED');
    const checked = await doctorWithKeys(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' });
    expect(checked.generations.find((g) => g.file === newest?.file)?.status).toBe('damaged');
    expect(checked.generations.find((g) => g.file === older?.file)?.status).toBe('ok');
    await doctorWithKeys(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '', restore: older?.generation ?? -1 });
    const restored = (await snapshots(dir)).filter((f) => f.generation > (newest?.generation ?? 0));
    expect(restored.map((f) => f.kind)).toContain('full');
    const session = await unlocked(dir);
    expect(listRecords(session)).toHaveLength(RUNBOOKS);
    expect(session.store().get(ids[0] ?? '')?.data['estimatedMinutes']).toBe(60);

    // A damaged full snapshot damages every delta on it.
    await session.lock();
    open.splice(0);
    const base = (await snapshots(dir)).filter((f) => f.kind === 'full').at(-1);
    await createRecord(await unlocked(dir), { type: 'contact', title: 'On the new base', data: {} });
    await (open.pop() as VaultSession).lock();
    const basePath = join(dir, base?.file ?? '');
    const baseBytes = await readFile(basePath);
    baseBytes[200] = (baseBytes[200] ?? 0) ^ 0x01;
    await writeFile(basePath, baseBytes);
    const report = await doctorWithKeys(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' });
    const onIt = report.generations.filter((g) => g.generation > (base?.generation ?? 0));
    expect(onIt.length).toBeGreaterThan(0);
    expect(onIt.every((g) => g.status === 'damaged' && /builds on generation/.test(g.detail ?? ''))).toBe(true);
  });
});

describe('the delta format, with the content key (what a faulty writer could produce)', () => {
  it('refuses a delta whose blocks are out of order, or that grows the database leaving a hole', async () => {
    const sodium = await loadSodium();
    const { dir, ids } = await editedVault(0);
    const session = await unlocked(dir);
    await editRecord(session, ids[0] ?? '', { set: { estimatedMinutes: 5 } });
    const state = session.internals();
    const tip = state.chain?.tip;
    expect(tip).toBeDefined();
    const image = new Uint8Array(((state.chain?.hashes.length ?? 0) / 32 + 2) * BLOCK_BYTES);
    const meta = (blocks: number): DeltaMeta => ({
      vaultId: state.header.vaultId,
      generation: state.generation + 1,
      keyEpoch: state.keys.epoch,
      savedAt: new Date().toISOString(),
      savedBy: 'alice',
      auditHead: { size: state.log.size, hash: state.log.headHash() },
      dbBytes: image.length,
      snapshotId: 'ab'.repeat(16),
      base: tip ?? { generation: 0, snapshotId: '' },
      blockBytes: BLOCK_BYTES,
      blocks,
    });
    const content = state.keys.content as Uint8Array;
    const last = image.length / BLOCK_BYTES - 1;
    // Grows by two blocks but writes only the last: the block before it would be whatever was there.
    const hole = encryptDeltaSnapshot(sodium, content, meta(1), image, Uint32Array.from([last]));
    const name = `snapshot-${String(state.generation + 1).padStart(12, '0')}.lbs`;
    await session.lock();
    open.splice(0);
    await writeFile(join(dir, name), hole);
    const error = await refusal(unlockAs(dir, 'alice', PASSPHRASES['alice'], { stateDir: anotherLaptop() }));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain('grows the database but leaves blocks of it unwritten');
  });

  it('finds exactly the changed blocks, and plans a full snapshot when the chain is heavy, long, or of another epoch', () => {
    const image = new Uint8Array(BLOCK_BYTES * 8);
    const before = blockHashes(image);
    image[BLOCK_BYTES * 3 + 7] = 1;
    const grown = new Uint8Array(BLOCK_BYTES * 9);
    grown.set(image);
    expect([...changedBlocks(before, blockHashes(grown))]).toEqual([3, 8]);
    const chain = { keyEpoch: 1, tip: { generation: 4, snapshotId: 'cd'.repeat(16) }, deltaBytes: 0, links: 1, hashes: before, writes: 0 };
    expect([...(planDelta(chain, 1, blockHashes(image), image.length) ?? [])]).toEqual([3]);
    expect(planDelta(chain, 2, blockHashes(image), image.length)).toBeNull();
    expect(planDelta({ ...chain, links: 64 }, 1, blockHashes(image), image.length)).toBeNull();
    expect(planDelta({ ...chain, deltaBytes: 1024 * 1024 }, 1, blockHashes(image), image.length)).toBeNull();
    expect(planDelta(null, 1, blockHashes(image), image.length)).toBeNull();
  });

  it('prunes to the newest four generations and every file they build on', () => {
    const at = (generation: number, base: number | null | undefined): KnownSnapshot => ({ generation, keyEpoch: 1, file: `g${generation}`, base });
    // 1 full, 2–5 deltas on it, 6 full, 7–8 deltas on 6.
    const chain = [at(1, null), at(2, 1), at(3, 2), at(4, 3), at(5, 4), at(6, null), at(7, 6), at(8, 7)];
    expect([...filesToKeep(chain, 4)].sort()).toEqual(['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8']);
    const later = [...chain, at(9, 8)];
    expect([...filesToKeep(later, 4)].sort()).toEqual(['g6', 'g7', 'g8', 'g9']);
    // A file whose base is unknown keeps everything older than it.
    expect([...filesToKeep([at(1, null), at(2, null), at(3, undefined), at(4, null), at(5, null), at(6, null)], 4)].sort()).toEqual([
      'g1',
      'g2',
      'g3',
      'g4',
      'g5',
      'g6',
    ]);
  });
});
