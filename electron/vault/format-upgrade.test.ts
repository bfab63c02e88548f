/**
 * Format 1 → 2 (format-upgrade.ts), on a vault really written by format 1
 * (test/fixtures/vault-format-1): lazy, at unlock, logged, nothing lost, and
 * a newer vault refused by name with nothing written.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { auditEntries } from './audit/vault-audit.js';
import { HEADER_FILE, type VaultHeader } from './keys/vault-header.js';
import { listRecords, openRecord } from './records/vault-records.js';
import { changePassphrase, removeMember } from './vault-members.js';
import { openVault } from './vault-open.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/vault-format-1/ops.lifeboat');
const PASS = { alice: 'alice correct horse', erin: 'erin owns things too', bob: 'bob battery staple', carol: 'carol audits things' } as const;

/** Every copy shares the fixture's vault id, so each is opened on a laptop of its own (its own local anchors). */
const laptops = new Map<string, string>();

async function copyOfFormat1(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-format1-'));
  const dir = join(root, 'ops.lifeboat');
  await cp(FIXTURE, dir, { recursive: true });
  laptops.set(dir, join(root, 'laptop-state'));
  return dir;
}

async function header(dir: string): Promise<VaultHeader> {
  return JSON.parse(await readFile(join(dir, HEADER_FILE), 'utf8')) as VaultHeader;
}

function unlock(dir: string, who: keyof typeof PASS, passphrase: string = PASS[who]): ReturnType<typeof openVault> {
  return openVault(dir, { member: who, passphrase, stateDir: laptops.get(dir) ?? '' });
}

describe('a format-1 vault', () => {
  it('opens for a non-owner unchanged: only an owner can create the identity', async () => {
    const dir = await copyOfFormat1();
    const before = await readFile(join(dir, HEADER_FILE), 'utf8');
    const bob = await unlock(dir, 'bob');
    expect(listRecords(bob).map((r) => r.title)).toContain('Payments restore');
    await bob.lock();
    const after = await header(dir);
    expect(after.version).toBe(1);
    expect(after.identity).toBeUndefined();
    expect((JSON.parse(before) as VaultHeader).slots).toEqual(after.slots);
  });

  it('is upgraded by an owner’s unlock: identity created, every slot certified, the fingerprint changes once and is logged', async () => {
    const dir = await copyOfFormat1();
    const bobBefore = await unlock(dir, 'bob');
    const oldFingerprint = bobBefore.fingerprint;
    await bobBefore.lock();

    const alice = await unlock(dir, 'alice');
    const upgraded = await header(dir);
    expect(upgraded.version).toBe(2);
    expect(upgraded.identity?.members.map((m) => m.member).sort()).toEqual(['alice', 'bob', 'carol', 'erin']);
    expect(upgraded.slots.find((s) => s.member === 'alice')?.signingKey).toBeDefined();
    expect(upgraded.slots.find((s) => s.member === 'bob')?.signingKey).toBeUndefined();
    expect(upgraded.auditPublicKeys.every((k) => typeof k.signature === 'string')).toBe(true);
    expect(alice.fingerprint).not.toBe(oldFingerprint);
    const event = auditEntries(alice).find((e) => e.event.type === 'vault.format-upgraded');
    expect(event?.event.details).toMatchObject({ fromFormat: 1, toFormat: 2, fingerprint: alice.fingerprint });
    // Nothing lost.
    const secret = listRecords(alice).find((r) => r.title === 'Payments DB root');
    expect(secret).toBeDefined();
    expect((await openRecord(alice, secret?.id ?? '')).title).toBe('Payments DB root');
    await alice.lock();

    // Every other member still opens it, and each one's own slot moves to format 2 at that unlock.
    for (const who of ['erin', 'bob', 'carol'] as const) {
      const session = await unlock(dir, who);
      expect(session.fingerprint).toBe(alice.fingerprint);
      await session.lock();
      expect((await header(dir)).slots.find((s) => s.member === who)?.signingKey).toBeDefined();
    }
    // Bob's move was vouched for without an owner (a rotation link); an owner's next write certifies it.
    expect((await header(dir)).slots.find((s) => s.member === 'bob')?.rotations?.length).toBe(1);
    const again = await unlock(dir, 'alice');
    await changePassphrase(again, PASS.alice, 'alice has a new one');
    await again.lock();
    const certified = await header(dir);
    expect(certified.slots.every((s) => s.rotations === undefined)).toBe(true);
    await (await unlock(dir, 'bob')).lock();
  });

  it('the other owner receives the identity: they can rekey after the upgrade', async () => {
    const dir = await copyOfFormat1();
    await (await unlock(dir, 'alice')).lock();
    const erin = await unlock(dir, 'erin');
    await removeMember(erin, 'bob');
    await erin.lock();
    const after = await header(dir);
    expect(after.keyEpoch).toBe(2);
    expect(after.slots.map((s) => s.member)).not.toContain('bob');
    await (await unlock(dir, 'carol')).lock();
  });

  it('put back after the upgrade, the format-1 header is refused (the snapshot names a newer header)', async () => {
    const dir = await copyOfFormat1();
    const original = await readFile(join(dir, HEADER_FILE));
    await (await unlock(dir, 'alice')).lock();
    await writeFile(join(dir, HEADER_FILE), original);
    await expect(unlock(dir, 'bob')).rejects.toMatchObject({ code: 'VAULT_TAMPERED' });
  });
});

describe('a vault of a newer format', () => {
  it('is refused by name, and nothing is written', async () => {
    const dir = await copyOfFormat1();
    const newer = { ...(await header(dir)), version: 3 };
    const text = `${JSON.stringify(newer, null, 2)}\n`;
    await writeFile(join(dir, HEADER_FILE), text);
    const error = await unlock(dir, 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('VAULT_TOO_NEW');
    expect((error as LifeboatError).message).toMatch(/newer Lifeboat/);
    expect(await readFile(join(dir, HEADER_FILE), 'utf8')).toBe(text);
  });
});
