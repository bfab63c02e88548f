/**
 * The vault channels through the real router, as the renderer will use them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import { ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { createHandlers } from './handlers.js';
import { createRouter } from './router.js';
import { VaultService } from '../operations/vault-service.js';

const sender = { url: 'app://lifeboat/index.html', isMainFrame: true };
const facts = { host: 'electron', version: '1', packaged: false, platform: 'linux' } as const;
process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';

let service: VaultService;

function setup() {
  service = new VaultService();
  const router = createRouter({ handlers: createHandlers({ facts, vault: service }), appBaseUrl: ELECTRON_APP_BASE_URL });
  const call = async (channel: string, payload: unknown): Promise<Result<unknown>> => router.dispatch(channel, payload, sender, () => undefined);
  const value = async <T>(channel: string, payload: unknown): Promise<T> => {
    const result = await call(channel, payload);
    if (!result.ok) {
      throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    }
    return result.value as T;
  };
  return { call, value };
}

afterEach(async () => {
  await service.lock();
});

describe('vault channels', () => {
  it('create, add, open, reveal, lock: the renderer sees masks until a reasoned reveal', async () => {
    const { call, value } = setup();
    const dir = join(mkdtempSync(join(tmpdir(), 'lb-ipc-')), 'ops.lifeboat');
    const info = await value<{ member: string; role: string; insecureFastKdf: boolean }>('vault:create', {
      to: { path: dir },
      owner: 'alice',
      passphrase: 'correct horse battery',
    });
    expect(info).toMatchObject({ member: 'alice', role: 'owner', insecureFastKdf: true });
    const created = await value<{ id: string }>('records:create', {
      type: 'secret',
      title: 'Break-glass admin',
      data: { username: 'admin', password: 'S3cret!' },
    });
    const opened = await value<{ data: Record<string, unknown>; sealedFields: string[] }>('records:open', { id: created.id });
    expect(opened.data['password']).toBe('••••');
    expect(JSON.stringify(opened)).not.toContain('S3cret!');
    expect(await call('secret:reveal', { id: created.id, field: 'password', reason: '' })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_BAD_INPUT' },
    });
    expect(await value('secret:reveal', { id: created.id, field: 'password', reason: 'INC-7 database restore' })).toEqual({ value: 'S3cret!' });
    const audit = await value<{ event: { type: string; reason?: string } }[]>('audit:list', {});
    expect(audit.map((e) => e.event.type)).toContain('secret.revealed');
    expect(audit.find((e) => e.event.type === 'secret.revealed')?.event.reason).toBe('INC-7 database restore');
    await value('vault:lock', {});
    expect(await value('vault:status', {})).toMatchObject({ session: null, lastLock: { reason: 'user' } });
    expect(await call('records:list', {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
  });

  it('refuses a wrong passphrase with the typed error, and an auditor reading content', async () => {
    const { call, value } = setup();
    const dir = join(mkdtempSync(join(tmpdir(), 'lb-ipc-')), 'ops.lifeboat');
    await value('vault:create', { to: { path: dir }, owner: 'alice', passphrase: 'correct horse battery' });
    await value('members:add', { name: 'carol', role: 'auditor', passphrase: 'auditor passphrase' });
    await value('vault:lock', {});
    expect(await call('vault:unlock', { dir, member: 'alice', passphrase: 'wrong wrong wrong' })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_AUTH_FAILED' },
    });
    await value('vault:unlock', { dir, member: 'carol', passphrase: 'auditor passphrase' });
    expect(await call('records:list', {})).toMatchObject({ ok: false, error: { code: 'VAULT_FORBIDDEN' } });
    const verified = await value<{ checks: string[] }>('audit:verify', {});
    expect(verified.checks.join(' ')).toContain('signatures valid');
  });
});

describe('idle auto-lock', () => {
  it('locks the vault in main after the configured idle time, logged, whatever the renderer does', async () => {
    const pending: { callback: () => void; ms: number }[] = [];
    const timers = {
      setTimeout: ((callback: () => void, ms: number) => {
        pending.push({ callback, ms });
        return { unref: () => undefined } as unknown as NodeJS.Timeout;
      }) as unknown as typeof setTimeout,
      clearTimeout: (() => {
        pending.shift();
      }) as unknown as typeof clearTimeout,
    };
    service = new VaultService(timers);
    const router = createRouter({ handlers: createHandlers({ facts, vault: service }), appBaseUrl: ELECTRON_APP_BASE_URL });
    const call = (channel: string, payload: unknown): Promise<Result<unknown>> => router.dispatch(channel, payload, sender, () => undefined);
    const dir = join(mkdtempSync(join(tmpdir(), 'lb-ipc-')), 'ops.lifeboat');
    expect(await call('vault:create', { to: { path: dir }, owner: 'alice', passphrase: 'correct horse battery' })).toMatchObject({
      ok: true,
      value: { autoLockMinutes: 5 },
    });
    expect(await call('settings:set-auto-lock', { minutes: 2 })).toMatchObject({ ok: true, value: { autoLockMinutes: 2 } });
    expect(await call('settings:set-auto-lock', { minutes: 0 })).toMatchObject({ ok: false, error: { code: 'VAULT_BAD_INPUT' } });
    const timer = pending.at(-1);
    expect(timer?.ms).toBe(2 * 60_000);
    timer?.callback();
    await expect.poll(() => service.isUnlocked).toBe(false);
    expect(await call('records:list', {})).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    expect(await call('vault:unlock', { dir, member: 'alice', passphrase: 'correct horse battery' })).toMatchObject({ ok: true });
    const events = (await call('audit:list', {})) as { ok: true; value: { event: { type: string } }[] };
    expect(events.value.map((e) => e.event.type)).toContain('vault.auto-locked');
  });
});

describe('catalog and search channels', () => {
  it('syncs a signed catalog with progress events, then finds its runbooks', async () => {
    const { packCatalog } = await import('../catalog/catalog-manifest.js');
    const { generatePublisherKey, writePublisherKey, formatPublicKey } = await import('../catalog/publisher-key.js');
    const { cpSync, mkdirSync, writeFileSync } = await import('node:fs');
    const work = mkdtempSync(join(tmpdir(), 'lb-sync-ipc-'));
    const src = join(work, 'ops');
    mkdirSync(src);
    cpSync('test/fixtures/prometheus-operator-runbooks/runbooks/etcd', join(src, 'etcd'), { recursive: true });
    const key = await generatePublisherKey('Platform');
    await writePublisherKey(join(work, 'pub.key'), key);
    const packed = await packCatalog({ srcDir: src, keyPath: join(work, 'pub.key'), catalogVersion: 1 });
    writeFileSync(join(work, 'ops.lbcat'), packed.bytes);

    service = new VaultService();
    const events: { label: string; finished: boolean }[] = [];
    const router = createRouter({ handlers: createHandlers({ facts, vault: service }), appBaseUrl: ELECTRON_APP_BASE_URL });
    const call = (channel: string, payload: unknown): Promise<Result<unknown>> => router.dispatch(channel, payload, sender, (e) => events.push(e));
    const dir = join(work, 'v.lifeboat');
    await call('vault:create', { to: { path: dir }, owner: 'alice', passphrase: 'correct horse battery' });
    expect(await call('catalog:sync', { path: join(work, 'ops.lbcat') })).toMatchObject({ ok: false, error: { code: 'CATALOG_UNTRUSTED' } });
    const { trustPublisher } = await import('../catalog/catalog-trust.js');
    const { keyIdWith, encodeBase64, parsePublicKey } = await import('../catalog/publisher-key.js');
    const { loadSodium } = await import('../vault/keys/crypto-runtime.js');
    const pk = parsePublicKey(formatPublicKey(key.publicKey));
    await trustPublisher(service.current(), { name: 'Platform', keyId: keyIdWith(await loadSodium(), pk), publicKey: encodeBase64(pk) });
    const synced = await call('catalog:sync', { path: join(work, 'ops.lbcat') });
    expect(synced).toMatchObject({ ok: true, value: { catalogId: 'ops', signature: 'verified', dryRun: false } });
    expect(events.at(-1)).toMatchObject({ label: 'Done', finished: true });
    type Hits = { ok: true; value: { query: string; corrected: string | null; hits: { id: string; title: string; source: { path: string } | null }[] } };
    const hits = (await call('records:search', { query: 'etcd' })) as Hits;
    expect(hits.value.hits.length).toBeGreaterThan(3);
    expect(hits.value.hits[0]?.title.toLowerCase()).toContain('etcd');
    expect(hits.value.corrected).toBeNull();
    // Every hit says where it came from (issue 16).
    expect(hits.value.hits.every((h) => h.source?.path.startsWith('etcd/'))).toBe(true);
    // Typing is not logged; the settled query is, once, naming the records whose text was shown (issue 15, M5).
    const searched = async (): Promise<number> =>
      ((await call('audit:list', {})) as { ok: true; value: { event: { type: string } }[] }).value.filter((e) => e.event.type === 'records.searched').length;
    expect(await searched()).toBe(0);
    const settled = (await call('records:search-settled', { query: 'etcd' })) as Hits;
    expect(settled.value.hits.map((h) => h.id)).toEqual(hits.value.hits.map((h) => h.id));
    expect(await searched()).toBe(1);
  });
});
