/**
 * The window remembers the last vault folder and member between launches,
 * in this laptop's state folder: paths and names only, and a file it did not
 * write in the expected shape is ignored rather than trusted.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault } from '../../test/support/test-vault.js';
import { createVaultHandlers } from '../ipc/vault-handlers.js';
import { REMEMBERED_FILE, rememberOpened, rememberedVault } from './remembered-vault.js';
import { VaultService } from './vault-service.js';

const context = { progress: () => undefined } as never;

describe('the remembered vault', () => {
  it('is nothing on a laptop that never opened one', async () => {
    expect(await rememberedVault(mkdtempSync(join(tmpdir(), 'lb-state-')))).toEqual({ dir: null, member: null, recent: [] });
  });

  it('is noted by a successful unlock, in the state folder (mode 0600), with recent folders newest first', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lb-state-'));
    const service = new VaultService(globalThis, undefined, undefined, stateDir);
    const handlers = createVaultHandlers(service);
    const { dir, session } = await newVault();
    await session.lock();
    await rememberOpened(stateDir, '/media/usb/older.lifeboat', 'bob');
    await handlers['vault:unlock']({ dir, member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' }, context);
    expect(await handlers['app:remembered']({}, context)).toEqual({ dir, member: 'alice', recent: [dir, '/media/usb/older.lifeboat'] });
    expect(statSync(join(stateDir, REMEMBERED_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(stateDir, REMEMBERED_FILE), 'utf8')).not.toContain(PASSPHRASES['alice']);
    await service.lock();
  });

  it('is not noted by a failed unlock', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lb-state-'));
    const handlers = createVaultHandlers(new VaultService(globalThis, undefined, undefined, stateDir));
    const { dir, session } = await newVault();
    await session.lock();
    await expect(handlers['vault:unlock']({ dir, member: 'alice', passphrase: 'wrong passphrase' }, context)).rejects.toThrow();
    expect((await handlers['app:remembered']({}, context)).dir).toBeNull();
  });

  it('ignores a file in another shape (planted or damaged) instead of offering what it says', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lb-state-'));
    for (const planted of ['{not json', JSON.stringify({ version: 1, lastVault: { dir: 42, member: 'x' }, recent: [] }), JSON.stringify({ version: 2 })]) {
      writeFileSync(join(stateDir, REMEMBERED_FILE), planted);
      expect(await rememberedVault(stateDir)).toEqual({ dir: null, member: null, recent: [] });
    }
    // And the next unlock writes a good one over it.
    await rememberOpened(stateDir, '/vaults/ops.lifeboat', 'alice');
    expect(await rememberedVault(stateDir)).toEqual({ dir: '/vaults/ops.lifeboat', member: 'alice', recent: ['/vaults/ops.lifeboat'] });
  });

  it('keeps five recent folders', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'lb-state-'));
    for (let i = 0; i < 7; i += 1) {
      await rememberOpened(stateDir, `/vaults/v${i}.lifeboat`, 'alice');
    }
    expect((await rememberedVault(stateDir)).recent).toEqual([6, 5, 4, 3, 2].map((i) => `/vaults/v${i}.lifeboat`));
  });
});
