/**
 * Issue 19, item 9: a damaged newest snapshot left the window with "run
 * `lifeboat doctor`". The unlock screen now lets an owner check every
 * snapshot and restore a good one (logged), through the same engine call
 * as the CLI's doctor; a non-owner, or a wrong passphrase, restores nothing.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import { VaultService } from '../operations/vault-service.js';
import { ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { listGenerations } from '../vault/storage/snapshot-file.js';
import { createHandlers } from './handlers.js';
import { createRouter } from './router.js';

const sender = { url: 'app://lifeboat/index.html', isMainFrame: true };
const facts = { host: 'electron', version: '1', packaged: false, platform: 'linux' } as const;
const PASS = 'correct horse battery';
process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';

let service: VaultService | undefined;
afterEach(async () => {
  await service?.lock();
});

describe('vault:doctor from the unlock screen', () => {
  it('an owner checks the snapshots after VAULT_TAMPERED, restores the last good one (logged), and the vault opens', async () => {
    const work = await mkdtemp(join(tmpdir(), 'lifeboat-doctor-window-'));
    const svc = new VaultService(undefined, undefined, undefined, join(work, 'app-state'));
    service = svc;
    const router = createRouter({ handlers: createHandlers({ facts, vault: svc }), appBaseUrl: ELECTRON_APP_BASE_URL });
    const call = (channel: string, payload: unknown): Promise<Result<unknown>> => router.dispatch(channel, payload, sender, () => undefined);
    const dir = join(work, 'ops.lifeboat');
    expect(await call('vault:create', { to: { path: dir }, owner: 'alice', passphrase: PASS })).toMatchObject({ ok: true });
    await call('members:add', { name: 'bob', role: 'commander', passphrase: 'battery staple horse' });
    await call('records:create', { type: 'runbook', title: 'Restore the database', data: {} });
    await call('vault:lock', {});
    await call('vault:unlock', { dir, member: 'alice', passphrase: PASS });
    await call('records:create', { type: 'runbook', title: 'Written last', data: {} });
    await call('vault:lock', {});

    // The newest snapshot is damaged (one byte in its last frame).
    const [newest, previous] = await listGenerations(dir);
    const bytes = await readFile(join(dir, newest?.file ?? ''));
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01;
    await writeFile(join(dir, newest?.file ?? ''), bytes);
    expect(await call('vault:unlock', { dir, member: 'alice', passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'VAULT_TAMPERED' } });

    // Not an owner, or not the owner's passphrase: nothing checked, nothing restored.
    expect(await call('vault:doctor', { dir, member: 'bob', passphrase: 'battery staple horse', restore: previous?.generation })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_FORBIDDEN' },
    });
    expect(await call('vault:doctor', { dir, member: 'alice', passphrase: 'wrong wrong wrong' })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_AUTH_FAILED' },
    });

    const checked = await call('vault:doctor', { dir, member: 'alice', passphrase: PASS });
    expect(checked).toMatchObject({ ok: true, value: { restored: null } });
    const generations = checked.ok ? (checked.value as { generations: { generation: number; status: string }[] }).generations : [];
    expect(generations.find((g) => g.generation === newest?.generation)?.status).toBe('damaged');
    expect(generations.find((g) => g.generation === previous?.generation)?.status).toBe('ok');

    expect(await call('vault:doctor', { dir, member: 'alice', passphrase: PASS, restore: previous?.generation })).toMatchObject({
      ok: true,
      value: { restored: previous?.generation },
    });
    expect(await call('vault:unlock', { dir, member: 'alice', passphrase: PASS })).toMatchObject({ ok: true });
    const events = auditEntries(svc.current()).map((e) => e.event.type);
    expect(events).toContain('doctor.restored');
    const list = await call('records:list', {});
    expect(list.ok && (list.value as { title: string }[]).map((r) => r.title)).toContain('Restore the database');
  });
});
