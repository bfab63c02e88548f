/**
 * Issue #15 ("High — reveals erased without a key"), written as the attacks
 * and kept forever. The attacker can write to the vault folder (a USB stick,
 * a shared laptop's folder) but holds no key. Each attack is shown twice:
 * on a laptop that never saw the newer state it succeeds (the vault folder
 * alone cannot tell a consistent older copy from the real one), and on the
 * laptop whose local anchor saw it (electron/vault/anchor/) the unlock is
 * VAULT_TAMPERED saying what went backwards and by how much.
 *
 * Then what must not be refused: a vault that moved forward elsewhere, a
 * crash between a write and the anchor's update (the anchor lagging), a torn
 * anchor slot, a state folder that cannot be written, and an owner who
 * restored a backup on purpose and accepts it (logged).
 *
 * "The app is killed" is simulated as vault-tamper.test.ts does for its
 * crash image: the session is never locked (nothing more is written) and its
 * lock file is removed, as the next unlock does once the process is gone.
 */
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { acceptRollback } from './anchor/accept-rollback.js';
import { anchorPath, AnchorFile, decodeSlot } from './anchor/anchor-file.js';
import { defaultStateDir } from './anchor/state-dir.js';
import { AUDIT_FILE } from './audit/audit-log.js';
import { CHECKPOINT_FILE } from './audit/checkpoint.js';
import { auditEntries, verifyAudit } from './audit/vault-audit.js';
import { HEADER_FILE, headerSerial, readHeader } from './keys/vault-header.js';
import { createRecord, listRecords, openRecord, revealField } from './records/vault-records.js';
import { doctorWithKeys, inspectVault } from './storage/vault-doctor.js';
import { listGenerations } from './storage/snapshot-file.js';
import { LOCK_FILE_NAME } from './storage/vault-lock.js';
import { addMember, changePassphrase, removeMember } from './vault-members.js';
import { openVault } from './vault-open.js';
import type { VaultSession } from './vault-session.js';
import { anotherLaptop, newVault, PASSPHRASES, tempVaultDir, unlockAs } from '../../test/support/test-vault.js';

const SECRET = 'hunter2-anchor';

/** The app is killed here: nothing more is written, and its lock goes as the next unlock removes a dead process's. */
async function dies(session: VaultSession): Promise<void> {
  await rm(join(session.dir, LOCK_FILE_NAME));
}

async function logLines(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, AUDIT_FILE), 'utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

async function writeLines(dir: string, lines: readonly string[]): Promise<void> {
  await writeFile(join(dir, AUDIT_FILE), lines.map((l) => `${l}\n`).join(''));
}

async function refusal(dir: string, member = 'alice', options: { stateDir?: string } = {}): Promise<LifeboatError> {
  const error: unknown = await unlockAs(dir, member, undefined, options).then(
    async (session) => {
      await session.lock();
      return new Error('the vault opened');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof LifeboatError)) {
    throw error;
  }
  return error;
}

/** A vault with a secret (owner alice), locked. */
async function vaultWithSecret(): Promise<{ dir: string; secretId: string; vaultId: string }> {
  const { dir, session } = await newVault();
  const secret = await createRecord(session, { type: 'secret', title: 'Root DB', data: { username: 'root', password: SECRET } });
  const vaultId = session.vaultId;
  await session.lock();
  return { dir, secretId: secret.id, vaultId };
}

/** The anchor this laptop keeps for the vault (test file's state folder). */
function anchored(vaultId: string): ReturnType<typeof AnchorFile.peek> {
  return AnchorFile.peek(defaultStateDir(), vaultId);
}

async function newestGeneration(dir: string): Promise<number> {
  return (await listGenerations(dir))[0]?.generation ?? 0;
}

describe('attack: a reveal, the app killed before it locks, the last lines of audit.log cut', () => {
  it('is VAULT_TAMPERED on this laptop, saying how many records are missing and what to do', async () => {
    const { dir, secretId } = await vaultWithSecret();
    const session = await unlockAs(dir, 'alice');
    const sealed = session.internals().sealedHead?.size ?? 0;
    await openRecord(session, secretId);
    expect(await revealField(session, secretId, 'password', 'INC-15: the reveal to erase')).toBe(SECRET);
    await dies(session);

    const lines = await logLines(dir);
    // Opens and reveals since the last save are sealed by no snapshot: the folder cannot miss them.
    const unsealed = lines.length - sealed;
    expect(unsealed).toBe(3);

    for (const cut of [1, unsealed]) {
      // On a laptop that never saw the reveal, the cut log opens cleanly: the attack the anchor exists for.
      const copy = tempVaultDir();
      await cp(dir, copy, { recursive: true });
      await writeLines(copy, lines.slice(0, -cut));
      const elsewhere = await unlockAs(copy, 'alice', undefined, { stateDir: anotherLaptop() });
      expect(auditEntries(elsewhere).some((e) => e.event.type === 'secret.revealed')).toBe(false);
      await elsewhere.lock();

      await writeLines(dir, lines.slice(0, -cut));
      const error = await refusal(dir);
      expect(error.code).toBe('VAULT_TAMPERED');
      expect(error.message).toContain(`audit.log has ${lines.length - cut} records, ${cut} fewer than the ${lines.length} seen here`);
      expect(error.message).toContain('lifeboat doctor');
      expect(error.message).toContain('--accept-rollback');
    }

    // The refusals wrote nothing: with the log put back, the vault opens and the reveal is there.
    await writeLines(dir, lines);
    const again = await unlockAs(dir, 'alice');
    expect(
      auditEntries(again)
        .filter((e) => e.event.type === 'secret.revealed')
        .map((e) => e.event.reason),
    ).toEqual(['INC-15: the reveal to erase']);
    verifyAudit(again);
    await again.lock();
  });

  it('a cut log hidden by using the vault on another laptop until it is longer again: VAULT_TAMPERED here', async () => {
    const { dir, secretId } = await vaultWithSecret();
    const session = await unlockAs(dir, 'alice');
    await revealField(session, secretId, 'password', 'INC-16: to be erased');
    await dies(session);
    const lines = await logLines(dir);
    await writeLines(dir, lines.slice(0, -1));
    // On a laptop that never saw the reveal the vault opens, and every unlock there adds genuine records.
    const laptopB = anotherLaptop();
    while ((await logLines(dir)).length <= lines.length) {
      const elsewhere = await unlockAs(dir, 'alice', undefined, { stateDir: laptopB });
      await elsewhere.lock();
    }
    const error = await refusal(dir);
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(`audit.log's record ${lines.length} is not the one seen here`);
  });

  it('the doctor shows, with no key, what this laptop saw and what is older on disk', async () => {
    const { dir, secretId } = await vaultWithSecret();
    const session = await unlockAs(dir, 'alice');
    await revealField(session, secretId, 'password', 'INC-17');
    await dies(session);
    const lines = await logLines(dir);
    await writeLines(dir, lines.slice(0, -1));
    const report = await inspectVault(dir);
    expect(report.anchor).toMatchObject({ auditRecords: lines.length });
    expect(report.anchor?.olderOnDisk).toContain('1 fewer than');
  });
});

describe('attack: newer snapshots deleted and the log cut back to an older checkpoint, which is put back', () => {
  it('is VAULT_TAMPERED on this laptop, naming the missing records and the missing generations', async () => {
    const { dir, secretId, vaultId } = await vaultWithSecret();
    // What the attacker keeps: the checkpoint, the log's length and the generations at this moment.
    const oldCheckpoint = await readFile(join(dir, CHECKPOINT_FILE));
    const oldLog = await logLines(dir);
    const oldGeneration = await newestGeneration(dir);

    const later = await unlockAs(dir, 'alice');
    await createRecord(later, { type: 'runbook', title: 'Written later', data: {} });
    await revealField(later, secretId, 'password', 'INC-18: to be erased');
    await later.lock();
    const newGeneration = await newestGeneration(dir);
    const newLogSize = (await logLines(dir)).length;
    expect(anchored(vaultId)).toMatchObject({ generation: newGeneration, logSize: newLogSize });
    expect(newGeneration - oldGeneration).toBe(2);

    const attack = async (target: string): Promise<void> => {
      for (const { generation, file } of await listGenerations(target)) {
        if (generation > oldGeneration) {
          await rm(join(target, file));
        }
      }
      await writeLines(target, oldLog);
      await writeFile(join(target, CHECKPOINT_FILE), oldCheckpoint);
    };

    // Where only the folder speaks, the older state is consistent and opens: the reveal and the runbook are gone.
    const copy = tempVaultDir();
    await cp(dir, copy, { recursive: true });
    await attack(copy);
    const elsewhere = await unlockAs(copy, 'alice', undefined, { stateDir: anotherLaptop() });
    expect(listRecords(elsewhere).map((r) => r.title)).not.toContain('Written later');
    expect(auditEntries(elsewhere).some((e) => e.event.type === 'secret.revealed')).toBe(false);
    await elsewhere.lock();

    await attack(dir);
    const error = await refusal(dir);
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain(`audit.log has ${oldLog.length} records, ${newLogSize - oldLog.length} fewer than the ${newLogSize} seen here`);
    expect(error.message).toContain(`the newest snapshot is generation ${oldGeneration}, 2 older than the ${newGeneration} seen here`);
  });
});

describe('attack: an older header.json put back', () => {
  it('an auditor’s old passphrase made to work again: VAULT_TAMPERED for everyone on this laptop', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
    const vaultId = session.vaultId;
    await session.lock();
    const oldHeader = await readFile(join(dir, HEADER_FILE));
    const oldSerial = headerSerial(await readHeader(dir));

    // Carol changes a passphrase that leaked. An auditor saves no snapshot: only the header changes.
    const carol = await unlockAs(dir, 'carol');
    await changePassphrase(carol, PASSPHRASES['carol'] ?? '', 'carol new passphrase');
    await carol.lock();
    expect(anchored(vaultId)?.headerSerial).toBe(oldSerial + 1);

    await writeFile(join(dir, HEADER_FILE), oldHeader);
    // The folder alone cannot tell: the newest snapshot was saved under exactly this header.
    const elsewhere = await unlockAs(dir, 'carol', PASSPHRASES['carol'], { stateDir: anotherLaptop() });
    await elsewhere.lock();

    for (const [member, passphrase] of [
      ['carol', PASSPHRASES['carol']],
      ['alice', PASSPHRASES['alice']],
    ] as const) {
      const error: unknown = await unlockAs(dir, member, passphrase).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'VAULT_TAMPERED' });
      expect((error as Error).message).toContain(`header.json is serial ${oldSerial}, 1 older than the ${oldSerial + 1} seen here`);
    }
  });

  it('the whole folder put back from a copy taken before a member was removed: the removed member is refused here', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await createRecord(session, { type: 'secret', title: 'Root DB', data: { password: SECRET } });
    await session.lock();
    // Someone with access to the folder copies it while bob is still a member.
    const copyTakenThen = tempVaultDir();
    await cp(dir, copyTakenThen, { recursive: true });

    const alice = await unlockAs(dir, 'alice');
    await removeMember(alice, 'bob');
    await alice.lock();
    await expect(unlockAs(dir, 'bob')).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });

    // Later they put the copy back over the vault.
    await rm(dir, { recursive: true });
    await cp(copyTakenThen, dir, { recursive: true });
    const bob = await refusal(dir, 'bob');
    expect(bob.code).toBe('VAULT_TAMPERED');
    expect(bob.message).toMatch(/header\.json is serial \d+, \d+ older than the \d+ seen here/);
    expect((await refusal(dir, 'alice')).code).toBe('VAULT_TAMPERED');
  });
});

describe('what must not be refused', () => {
  it('the vault used on another laptop in between (the anchor older than the disk): it opens, and the anchor moves forward', async () => {
    const { dir, secretId, vaultId } = await vaultWithSecret();
    const before = anchored(vaultId);
    expect(before).not.toBeNull();
    const stateBefore = tempVaultDir();
    await cp(dir, stateBefore, { recursive: true });

    const laptopB = anotherLaptop();
    expect(AnchorFile.peek(laptopB, vaultId)).toBeNull();
    const elsewhere = await unlockAs(dir, 'alice', undefined, { stateDir: laptopB });
    await revealField(elsewhere, secretId, 'password', 'INC-19 on laptop B');
    await addMember(elsewhere, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    await elsewhere.lock();
    // Laptop B, which never saw the vault, made an anchor of its own.
    expect(AnchorFile.peek(laptopB, vaultId)?.logSize).toBe((await logLines(dir)).length);

    const here = await unlockAs(dir, 'alice');
    expect(auditEntries(here).some((e) => e.event.reason === 'INC-19 on laptop B')).toBe(true);
    await here.lock();
    const after = anchored(vaultId);
    expect(after).toEqual({
      headerSerial: headerSerial(await readHeader(dir)),
      generation: await newestGeneration(dir),
      logSize: (await logLines(dir)).length,
      logHash: after?.logHash,
    });
    expect(after?.headerSerial).toBeGreaterThan(before?.headerSerial ?? 0);

    // And it did move: the state this laptop saw first is now older than the anchor.
    await rm(dir, { recursive: true });
    await cp(stateBefore, dir, { recursive: true });
    expect((await refusal(dir)).code).toBe('VAULT_TAMPERED');
  });

  it.each([
    ['an audit append (a reveal)', 'reveal'],
    ['a snapshot write (a new record)', 'save'],
    ['a header write (a new member)', 'header'],
  ] as const)('a crash between %s and the anchor’s write (the anchor lagging) opens cleanly, nothing lost', async (_label, what) => {
    const { dir, secretId, vaultId } = await vaultWithSecret();
    const session = await unlockAs(dir, 'alice');
    const path = anchorPath(defaultStateDir(), vaultId);
    const anchorBefore = await readFile(path);
    const logBefore = (await logLines(dir)).length;
    if (what === 'reveal') {
      await revealField(session, secretId, 'password', 'INC-20');
    } else if (what === 'save') {
      await createRecord(session, { type: 'runbook', title: 'Saved before the crash', data: {} });
    } else {
      await addMember(session, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
    }
    await dies(session);
    // The kill came after the log's fsync, the snapshot's rename or the header's rename, before the anchor was written.
    await writeFile(path, anchorBefore);
    expect(anchored(vaultId)?.logSize).toBe(logBefore);

    const next = await unlockAs(dir, 'alice');
    const types = auditEntries(next).map((e) => e.event.type);
    expect(types).toContain(what === 'reveal' ? 'secret.revealed' : what === 'save' ? 'record.created' : 'member.added');
    if (what === 'header') {
      expect(next.members().map((m) => m.name)).toContain('dave');
    }
    verifyAudit(next);
    await next.lock();
    // The anchor caught up with the disk.
    expect(anchored(vaultId)?.logSize).toBe((await logLines(dir)).length);
  });

  it('a torn anchor slot (a power cut mid-write) falls back to the slot before it: the vault opens', async () => {
    const { dir, vaultId } = await vaultWithSecret();
    const path = anchorPath(defaultStateDir(), vaultId);
    const bytes = await readFile(path);
    const slots = [bytes.subarray(0, 512), bytes.subarray(512, 1024)].map((slot) => decodeSlot(slot, vaultId));
    const newest = (slots[0]?.write ?? 0) > (slots[1]?.write ?? 0) ? 0 : 1;
    // Half of the newest slot written over with the start of another state.
    bytes.fill(0x7b, newest * 512, newest * 512 + 200);
    await writeFile(path, bytes);
    expect(decodeSlot(bytes.subarray(newest * 512, newest * 512 + 512), vaultId)).toBeNull();

    const session = await unlockAs(dir, 'alice');
    expect(session.anchorNote).toBeNull();
    await session.lock();
  });

  it('a crash while this laptop makes its first anchor for a vault (an empty file) is a first time again', async () => {
    const { dir, vaultId } = await vaultWithSecret();
    await writeFile(anchorPath(defaultStateDir(), vaultId), '');
    const session = await unlockAs(dir, 'alice');
    expect(session.anchorNote).toBeNull();
    await session.lock();
    expect(anchored(vaultId)?.logSize).toBe((await logLines(dir)).length);
  });

  it('a state folder that cannot be written: the vault opens, and the unlock says so once', async () => {
    const { dir } = await vaultWithSecret();
    // A file where the state folder should be: nothing can be created under it (as a read-only home, even for root).
    const blocked = join(anotherLaptop(), 'not-a-folder');
    await writeFile(blocked, 'x');
    const session = await unlockAs(dir, 'alice', undefined, { stateDir: blocked });
    expect(session.anchorNote).toMatch(
      /^This laptop cannot keep its record of the vault \(.*not-a-folder.*\), so the vault was opened without the local anchor/,
    );
    await createRecord(session, { type: 'runbook', title: 'Saved without an anchor', data: {} });
    await session.lock();

    const { session: created } = await newVault(tempVaultDir());
    await created.lock();
    const fresh = await openVault(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '', stateDir: blocked });
    expect(listRecords(fresh).map((r) => r.title)).toContain('Saved without an anchor');
    await fresh.lock();
  });

  it('an anchor file replaced by a symbolic link is not followed: the unlock says so, and the link’s target is untouched', async () => {
    const { dir, vaultId } = await vaultWithSecret();
    const laptop = anotherLaptop();
    const target = join(laptop, 'somewhere-else.txt');
    await writeFile(target, 'not an anchor');
    await mkdir(join(laptop, 'anchors'), { recursive: true });
    await symlink(target, anchorPath(laptop, vaultId));
    const session = await unlockAs(dir, 'alice', undefined, { stateDir: laptop });
    expect(session.anchorNote).toContain('a symbolic link is in its place');
    await session.lock();
    expect(await readFile(target, 'utf8')).toBe('not an anchor');
  });

  it('doctor --restore after newer snapshots were deleted numbers the restored database above what this laptop saw: the vault opens', async () => {
    const { dir, vaultId } = await vaultWithSecret();
    for (const title of ['One', 'Two']) {
      const session = await unlockAs(dir, 'alice');
      await createRecord(session, { type: 'runbook', title, data: {} });
      await session.lock();
    }
    const [newest, second, third] = await listGenerations(dir);
    await rm(join(dir, newest?.file ?? ''));
    await rm(join(dir, second?.file ?? ''));
    expect((await refusal(dir)).code).toBe('VAULT_TAMPERED');
    await doctorWithKeys(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '', restore: third?.generation ?? 0 });
    expect(await newestGeneration(dir)).toBeGreaterThan(newest?.generation ?? 0);
    const session = await unlockAs(dir, 'alice');
    await session.lock();
    expect(anchored(vaultId)?.generation).toBe(await newestGeneration(dir));
  });
});

describe('the genuine recovery path: an owner restored a backup on purpose (doctor --accept-rollback)', () => {
  it('only an owner accepts; the acceptance is logged with what went backwards; the vault opens afterwards', async () => {
    const { dir, session } = await newVault();
    await addMember(session, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
    await session.lock();
    const backup = tempVaultDir();
    await cp(dir, backup, { recursive: true });
    const later = await unlockAs(dir, 'alice');
    await createRecord(later, { type: 'runbook', title: 'Lost with the restore', data: {} });
    await later.lock();
    const anchoredRecords = (await logLines(dir)).length;

    // The owners decide to go back to the backup.
    await rm(dir, { recursive: true });
    await cp(backup, dir, { recursive: true });
    const backupRecords = (await logLines(dir)).length;
    expect((await refusal(dir)).code).toBe('VAULT_TAMPERED');

    // A commander may not accept it, and nothing is written.
    const untouched = await readFile(join(dir, AUDIT_FILE));
    await expect(acceptRollback(dir, { member: 'bob', passphrase: PASSPHRASES['bob'] ?? '' })).rejects.toMatchObject({ code: 'VAULT_FORBIDDEN' });
    await expect(acceptRollback(dir, { member: 'alice', passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'VAULT_AUTH_FAILED' });
    expect(await readFile(join(dir, AUDIT_FILE))).toEqual(untouched);

    const { accepted } = await acceptRollback(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' });
    expect(accepted).toContain(`audit.log has ${backupRecords} records, ${anchoredRecords - backupRecords} fewer than the ${anchoredRecords} seen here`);

    const after = await unlockAs(dir, 'alice');
    expect(listRecords(after).map((r) => r.title)).not.toContain('Lost with the restore');
    const events = auditEntries(after).filter((e) => e.event.type === 'vault.rollback-accepted');
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toMatchObject({
      actor: 'alice',
      details: { anchoredRecords, records: backupRecords, wentBackwards: accepted },
    });
    verifyAudit(after);
    await after.lock();

    // Nothing older any more: a second acceptance finds nothing and logs nothing.
    expect(await acceptRollback(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' })).toEqual({ accepted: null });
    const last = await unlockAs(dir, 'alice');
    expect(auditEntries(last).filter((e) => e.event.type === 'vault.rollback-accepted')).toHaveLength(1);
    await last.lock();
  });

  it('a crash after the acceptance is logged but before the anchor follows asks the owner again, and nothing is lost', async () => {
    const { dir, vaultId } = await vaultWithSecret();
    const backup = tempVaultDir();
    await cp(dir, backup, { recursive: true });
    const later = await unlockAs(dir, 'alice');
    await createRecord(later, { type: 'runbook', title: 'After the backup', data: {} });
    await later.lock();
    await rm(dir, { recursive: true });
    await cp(backup, dir, { recursive: true });
    const anchorBefore = await readFile(anchorPath(defaultStateDir(), vaultId));

    await acceptRollback(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' });
    // As if killed right after logging: the anchor as it was, the log holding the acceptance.
    await writeFile(anchorPath(defaultStateDir(), vaultId), anchorBefore);
    expect((await refusal(dir)).code).toBe('VAULT_TAMPERED');
    expect((await acceptRollback(dir, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' })).accepted).not.toBeNull();
    const session = await unlockAs(dir, 'alice');
    expect(auditEntries(session).filter((e) => e.event.type === 'vault.rollback-accepted')).toHaveLength(2);
    await session.lock();
  });
});

describe('the anchor file', () => {
  it('lives outside the vault folder, in the state folder: one small file per vault', async () => {
    const { dir, vaultId } = await vaultWithSecret();
    expect(await readdir(dir)).not.toContain('anchors');
    expect((await readFile(anchorPath(defaultStateDir(), vaultId))).length).toBe(1024);
  });

  it('is created readable by its owner only, in folders only its owner can list', async () => {
    const { dir } = await vaultWithSecret();
    const laptop = join(anotherLaptop(), 'fresh', 'state');
    const session = await unlockAs(dir, 'alice', undefined, { stateDir: laptop });
    const vaultId = session.vaultId;
    await session.lock();
    expect((await stat(laptop)).mode & 0o777).toBe(0o700);
    expect((await stat(join(laptop, 'anchors'))).mode & 0o777).toBe(0o700);
    expect((await stat(anchorPath(laptop, vaultId))).mode & 0o777).toBe(0o600);
  });
});
