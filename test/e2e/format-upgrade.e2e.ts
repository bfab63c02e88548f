/**
 * A vault written before the vault identity (format 1), opened in the real
 * window by an owner: upgraded at that unlock, the kit's fingerprint is the
 * new identity's, and the members list says whose key slot still moves at
 * their next unlock (docs/vault-format.md, "Format upgrade").
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeader } from '../../electron/vault/keys/vault-header.js';
import { loadSodium } from '../../electron/vault/keys/crypto-runtime.js';
import { vaultFingerprint } from '../../electron/vault/keys/vault-fingerprint.js';
import { startApp, type TestApp } from './harness.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/vault-format-1/ops.lifeboat');
let app: TestApp;
let dir: string;

beforeAll(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'lifeboat-e2e-format1-')), 'ops.lifeboat');
  await cp(FIXTURE, dir, { recursive: true });
  app = await startApp();
});

afterAll(async () => {
  await app.close();
});

describe('a format-1 vault opened by an owner', () => {
  it('is upgraded at unlock; the kit shows the identity’s fingerprint; pending members are named', async () => {
    const { page } = app;
    await page.getByLabel('Vault folder').fill(dir);
    await page.getByLabel('Member', { exact: true }).fill('alice');
    await page.getByLabel('Passphrase', { exact: true }).fill('alice correct horse');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('button', { name: 'Members & settings' }).click();
    await page.getByTestId('member-list').waitFor();

    const header = await readHeader(dir);
    expect(header.version).toBe(2);
    const fingerprint = vaultFingerprint(await loadSodium(), header);
    await expect.poll(async () => (await page.getByTestId('vault-fingerprint').textContent())?.trim()).toBe(fingerprint);
    expect(await page.getByTestId('checkpoint-reminder').textContent()).toContain('Keep a checkpoint off this laptop');

    // Alice's own slot moved at this unlock; the others move at theirs.
    expect(await page.getByTestId('member-format-alice').count()).toBe(0);
    for (const who of ['bob', 'carol', 'erin']) {
      expect(await page.getByTestId(`member-format-${who}`).textContent()).toContain(`${who}’s next unlock`);
    }
    await app.screenshot('members-format-1-pending');
  });
});
