/**
 * Attacks by someone who can write to the vault folder but holds no
 * passphrase or key (docs/security.md, "The vault folder"), each written as
 * the attack and kept: plant files, swap a file for a link or a FIFO, fake
 * an interrupted rekey. Each must end in a typed error naming the file, with
 * nothing genuine lost, and (where it applies) a `doctor` way back.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../../shared/errors.js';
import { PASSPHRASES, newVault, refusal, unlockAs } from '../../../test/support/test-vault.js';
import { auditEntries } from '../audit/vault-audit.js';
import { createRecord, listRecords } from '../records/vault-records.js';
import { removeMember, addMember } from '../vault-members.js';
import type { VaultSession } from '../vault-session.js';
import { readSnapshotPrefix, snapshotFileName } from './snapshot-file.js';
import { doctorWithKeys, QUARANTINE_DIR } from './vault-doctor.js';

const open: VaultSession[] = [];
afterEach(async () => {
  for (const session of open.splice(0)) {
    await session.lock();
  }
});

const onPosix = process.platform !== 'win32';

const caught = refusal;

async function snapshotFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith('snapshot-')).sort();
}

/** A vault with alice, bob and a runbook, saved through at least `generations` snapshots, locked. */
async function savedVault(generations = 6): Promise<{ dir: string; titles: string[] }> {
  const { dir, session } = await newVault();
  await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
  const titles: string[] = [];
  for (let i = 0; titles.length < generations; i += 1) {
    titles.push(`Runbook ${i}`);
    await createRecord(session, { type: 'runbook', title: `Runbook ${i}`, data: {} });
  }
  await session.lock();
  return { dir, titles };
}

/** A 20-byte snapshot prefix ("LBSNAP" 0 1, generation, key epoch): all the attack needs. */
function plantedPrefix(generation: number, keyEpoch: number): Uint8Array {
  const bytes = new Uint8Array(20);
  bytes.set([0x4c, 0x42, 0x53, 0x4e, 0x41, 0x50, 0x00, 0x01]);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(8, BigInt(generation));
  view.setUint32(16, keyEpoch);
  return bytes;
}

async function titlesIn(dir: string): Promise<string[]> {
  const session = await unlockAs(dir, 'alice');
  open.push(session);
  return listRecords(session)
    .map((r) => r.title)
    .sort();
}

describe('the snapshot wipe: planted future generations', () => {
  it('four 20-byte files claiming "key epoch + 1" are refused at unlock, and no genuine generation is deleted', async () => {
    const { dir, titles } = await savedVault();
    const genuine = await snapshotFiles(dir);
    // The four kept generations, and the full snapshot their deltas build on when it is older.
    expect(genuine.length).toBeGreaterThanOrEqual(4);
    for (const generation of [999_999_999_990, 999_999_999_991, 999_999_999_992, 999_999_999_993]) {
      await writeFile(join(dir, snapshotFileName(generation)), plantedPrefix(generation, 2));
    }

    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toMatch(/snapshot-99999999999\d\.lbs claims key epoch 2, newer than the header's, but the audit log announces no rekey/);
    expect(error.message).toContain('lifeboat doctor');
    // Refused a second time just the same: nothing was pruned, nothing trusted.
    expect((await caught(unlockAs(dir, 'alice'))).code).toBe('VAULT_TAMPERED');
    for (const file of genuine) {
      expect(await snapshotFiles(dir)).toContain(file);
    }

    // The way back: an owner restores the newest good generation; the planted files are moved aside.
    const newest = Number(/\d{12}/.exec(genuine.at(-1) ?? '')?.[0]);
    const report = await doctorWithKeys(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '', restore: newest });
    expect(report.generations.every((g) => g.keyEpoch === 1)).toBe(true);
    expect((await readdir(join(dir, QUARANTINE_DIR))).length).toBe(4);
    expect(await titlesIn(dir)).toEqual([...titles].sort());
    const restored = auditEntries(open[0] as VaultSession).find((e) => e.event.type === 'doctor.restored');
    expect(String(restored?.event.details?.['quarantined'])).toMatch(/snapshot-999999999990\.lbs/);
  });

  it('a planted file of the current epoch does not authenticate: refused, and pruning never counts it', async () => {
    const { dir, titles } = await savedVault();
    const genuine = await snapshotFiles(dir);
    const planted = snapshotFileName(999_999_999_999);
    await writeFile(join(dir, planted), plantedPrefix(999_999_999_999, 1));
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(planted);
    expect(await snapshotFiles(dir)).toEqual([...genuine, planted].sort());
    // An older slot planted between genuine ones is refused the same way (its metadata does not authenticate).
    await rm(join(dir, planted));
    const between = snapshotFileName(Number(/\d{12}/.exec(genuine[0] ?? '')?.[0]) - 1);
    await writeFile(join(dir, between), plantedPrefix(Number(/\d{12}/.exec(between)?.[0]), 1));
    const again = await caught(unlockAs(dir, 'alice'));
    expect(again.code).toBe('VAULT_TAMPERED');
    expect(again.message).toContain(between);
    await rm(join(dir, between));
    expect(await titlesIn(dir)).toEqual([...titles].sort());
  });

  it('a file claiming an older epoch but newer than the current ones, or an epoch two ahead: refused', async () => {
    const { dir } = await savedVault(2);
    await writeFile(join(dir, snapshotFileName(500)), plantedPrefix(500, 0));
    expect((await caught(unlockAs(dir, 'alice'))).message).toMatch(/snapshot-000000000500\.lbs claims the older key epoch 0/);
    await rm(join(dir, snapshotFileName(500)));
    await writeFile(join(dir, snapshotFileName(501)), plantedPrefix(501, 3));
    expect((await caught(unlockAs(dir, 'alice'))).message).toMatch(/snapshot-000000000501\.lbs claims key epoch 3, the header 1/);
  });

  it('a name like a snapshot that is not one, junk without a prefix, a renamed generation: refused by name', async () => {
    const { dir } = await savedVault(2);
    const cases: [string, Uint8Array, RegExp][] = [
      ['snapshot-1.lbs', plantedPrefix(1, 1), /snapshot-1\.lbs in the vault folder is named like a database snapshot but is not one/],
      [snapshotFileName(700), new Uint8Array([1, 2, 3]), /snapshot-000000000700\.lbs is not a Lifeboat snapshot/],
      [snapshotFileName(701), plantedPrefix(702, 1), /snapshot-000000000701\.lbs holds generation 702/],
    ];
    for (const [name, bytes, message] of cases) {
      await writeFile(join(dir, name), bytes);
      const error = await caught(unlockAs(dir, 'alice'));
      expect(error.code).toBe('VAULT_TAMPERED');
      expect(error.message).toMatch(message);
      await rm(join(dir, name));
    }
    await titlesIn(dir);
  });

  it('operating-system litter is ignored', async () => {
    const { dir, titles } = await savedVault(2);
    for (const name of ['.DS_Store', '._snapshot-000000000001.lbs', 'desktop.ini']) {
      await writeFile(join(dir, name), 'litter');
    }
    await mkdir(join(dir, '.Trashes'));
    await mkdir(join(dir, 'System Volume Information'));
    expect(await titlesIn(dir)).toEqual([...titles].sort());
  });
});

describe.runIf(onPosix)('links and FIFOs in place of vault files', () => {
  it('a FIFO named like a snapshot does not hang unlock: VAULT_TAMPERED naming it', async () => {
    const { dir } = await savedVault(2);
    const name = snapshotFileName(999_999_999_999);
    execFileSync('mkfifo', [join(dir, name)]);
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(`${name} in the vault folder is a named pipe (FIFO), not a regular file`);
    // The doctor's listing does not hang on it either.
    const report = await doctorWithKeys(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' });
    expect(report.generations.find((g) => g.file === name)?.status).toBe('refused');
  });

  it('header.json or the checkpoint as a FIFO: VAULT_TAMPERED, no hang', async () => {
    const { dir } = await savedVault(2);
    for (const name of ['header.json', 'checkpoint']) {
      const aside = join(dir, `${name}.aside`);
      await rename(join(dir, name), aside);
      execFileSync('mkfifo', [join(dir, name)]);
      const error = await caught(unlockAs(dir, 'alice'));
      expect(error.code).toBe('VAULT_TAMPERED');
      expect(error.message).toContain(`${name} in the vault folder is a named pipe (FIFO)`);
      await rm(join(dir, name));
      await rename(aside, join(dir, name));
    }
  });

  it('audit.log as a link to a file outside the vault: refused, and that file is neither read, appended to nor truncated', async () => {
    const { dir } = await savedVault(2);
    const victim = join(dir, '..', 'precious.txt');
    // No trailing newline: a torn-tail trim through the link would have cut it to nothing.
    await writeFile(victim, 'a file outside the vault');
    await rename(join(dir, 'audit.log'), join(dir, 'audit.log.aside'));
    await symlink(victim, join(dir, 'audit.log'));
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain('audit.log in the vault folder is a symbolic link');
    expect(await readFile(victim, 'utf8')).toBe('a file outside the vault');
  });

  it('a snapshot swapped for a link to a genuine snapshot elsewhere: refused', async () => {
    const { dir } = await savedVault(2);
    const [oldest] = await snapshotFiles(dir);
    const elsewhere = join(dir, '..', 'copy.lbs');
    await rename(join(dir, oldest ?? ''), elsewhere);
    await symlink(elsewhere, join(dir, oldest ?? ''));
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(`${oldest ?? ''} in the vault folder is a symbolic link`);
  });
});

describe('an interrupted rekey', () => {
  /**
   * Alice removes bob; the rekey's header write fails (header.json is made a
   * folder under it), as a crash between the new-epoch snapshot and the header
   * would leave it. Then the header is put back: the folder is the crash image.
   */
  async function interruptedRekey(): Promise<{ dir: string; titles: string[]; future: string }> {
    const { dir, titles } = await savedVault(3);
    const alice = await unlockAs(dir, 'alice');
    const header = await readFile(join(dir, 'header.json'));
    await rm(join(dir, 'header.json'));
    await mkdir(join(dir, 'header.json'));
    await expect(removeMember(alice, 'bob')).rejects.toBeInstanceOf(LifeboatError);
    await rm(join(dir, 'header.json'), { recursive: true });
    await writeFile(join(dir, 'header.json'), header);
    const future = [];
    for (const file of await snapshotFiles(dir)) {
      if (readSnapshotPrefix(new Uint8Array(await readFile(join(dir, file))))?.keyEpoch === 2) {
        future.push(file);
      }
    }
    expect(future).toHaveLength(1);
    return { dir, titles, future: future[0] ?? '' };
  }

  it('a genuine one (announced in the signed log) is skipped as uncommitted: the last committed state opens', async () => {
    const { dir, titles, future } = await interruptedRekey();
    const alice = await unlockAs(dir, 'alice');
    open.push(alice);
    expect(alice.internals().keys.epoch).toBe(1);
    expect(alice.members().map((m) => m.name)).toContain('bob');
    expect(
      listRecords(alice)
        .map((r) => r.title)
        .sort(),
    ).toEqual([...titles].sort());
    const announced = auditEntries(alice).filter((e) => e.event.type === 'vault.rekey-started');
    expect(announced.map((e) => e.event.details?.['generation'])).toEqual([Number(/\d{12}/.exec(future)?.[0])]);
  });

  it('its snapshot replaced by other bytes: refused as not the announced one', async () => {
    const { dir, future } = await interruptedRekey();
    const bytes = await readFile(join(dir, future));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    await writeFile(join(dir, future), bytes);
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(`${future} is not the one the audit log's rekey announcement describes`);
  });

  it('a second next-epoch file planted beside it: refused', async () => {
    const { dir } = await interruptedRekey();
    await writeFile(join(dir, snapshotFileName(999_999_999_999)), plantedPrefix(999_999_999_999, 2));
    const error = await caught(unlockAs(dir, 'alice'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain('snapshot-999999999999.lbs claims key epoch 2');
  });
});
