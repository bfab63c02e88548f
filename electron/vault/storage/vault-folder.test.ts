import { chmod, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../../shared/errors.js';
import { PASSPHRASES, unlockAs } from '../../../test/support/test-vault.js';
import { createVault } from '../vault-open.js';
import { secureVaultFolder } from './vault-folder.js';

const onPosix = process.platform !== 'win32';

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function worldWritableFolder(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'lifeboat-folder-')), 'ops.lifeboat');
  await mkdir(dir);
  await chmod(dir, 0o777);
  return dir;
}

describe.runIf(onPosix)('the vault folder', () => {
  it('attack: init into an existing 0777 folder leaves it 0700', async () => {
    const dir = await worldWritableFolder();
    const session = await createVault(dir, { owner: 'alice', passphrase: PASSPHRASES['alice'] ?? '', insecureFastKdf: true });
    await session.lock();
    expect(await modeOf(dir)).toBe(0o700);
    expect(session.folderNote).toBeNull();
  });

  it('attack: a folder opened up to 0777 after init is tightened to 0700 at the next unlock', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'lifeboat-folder-')), 'ops.lifeboat');
    const created = await createVault(dir, { owner: 'alice', passphrase: PASSPHRASES['alice'] ?? '', insecureFastKdf: true });
    await created.lock();
    expect(await modeOf(dir)).toBe(0o700);
    await chmod(dir, 0o777);
    const session = await unlockAs(dir, 'alice');
    await session.lock();
    expect(await modeOf(dir)).toBe(0o700);
  });

  it('a folder of another user is refused with a sentence naming it (VAULT_FORBIDDEN, exit 6)', async () => {
    const dir = await worldWritableFolder();
    const { uid } = await stat(dir);
    const error = await secureVaultFolder(dir, { uid: uid + 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LifeboatError);
    expect(error).toMatchObject({ code: 'VAULT_FORBIDDEN' });
    expect((error as LifeboatError).message).toContain(`The vault folder ${dir} belongs to another user (uid ${uid}`);
    expect(await modeOf(dir)).toBe(0o777);
  });

  it('a file system whose chmod changes nothing (FAT, exFAT) is said once, and is not an error', async () => {
    const dir = await worldWritableFolder();
    const { uid } = await stat(dir);
    const fat = { uid, chmod: () => Promise.resolve() };
    expect(await secureVaultFolder(dir, fat)).toMatch(/keeps no file permissions \(FAT or exFAT\?\)/);
    expect(await secureVaultFolder(dir, fat)).toBeNull();
  });
});
