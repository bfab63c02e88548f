/**
 * The vault through the real page's window.lifeboat, as the desktop UI will
 * use it: the same router, sender check and engine as the Electron shell.
 * (The vault screens themselves come with the desktop issue.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './harness.js';

let app: TestApp;

beforeAll(async () => {
  process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';
  app = await startApp();
});

afterAll(async () => {
  await app.close();
});

describe('vault over IPC in the real page', () => {
  it('creates a vault, masks a secret, reveals it only with a reason, and locks', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lifeboat-e2e-')), 'ops.lifeboat');
    const result = await app.page.evaluate(async (vaultDir) => {
      const api = window.lifeboat;
      if (!api) {
        throw new Error('no window.lifeboat');
      }
      const created = await api.invoke('vault:create', { to: { path: vaultDir }, owner: 'alice', passphrase: 'correct horse battery' });
      const secret = await api.invoke('records:create', { type: 'secret', title: 'AWS root', data: { password: 'e2e-secret-value' } });
      const id = secret.ok ? secret.value.id : '';
      const opened = await api.invoke('records:open', { id });
      const noReason = await api.invoke('secret:reveal', { id, field: 'password', reason: '' });
      const revealed = await api.invoke('secret:reveal', { id, field: 'password', reason: 'e2e: account recovery' });
      const locked = await api.invoke('vault:lock', {});
      const afterLock = await api.invoke('records:list', {});
      return { created, opened, noReason, revealed, locked, afterLock };
    }, dir);
    expect(result.created).toMatchObject({ ok: true, value: { member: 'alice', role: 'owner', insecureFastKdf: true } });
    expect(result.opened).toMatchObject({ ok: true, value: { data: { password: '••••' } } });
    expect(JSON.stringify(result.opened)).not.toContain('e2e-secret-value');
    expect(result.noReason).toMatchObject({ ok: false, error: { code: 'VAULT_BAD_INPUT' } });
    expect(result.revealed).toEqual({ ok: true, value: { value: 'e2e-secret-value' } });
    expect(result.locked).toEqual({ ok: true, value: { ok: true } });
    expect(result.afterLock).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
  });
});
