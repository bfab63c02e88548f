/**
 * One-time codes and secret upkeep over IPC (issue 21): the window gets a
 * code after a reason, never the seed; a QR image's link comes back for the
 * editor; the home screen's line and the upkeep actions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import type { RecordSummary } from '../../shared/records.js';
import type { GeneratedCodeView, SecretAttentionView } from '../../shared/secret-contract.js';
import { qrPng } from '../../test/support/qr-images.js';
import { VaultService } from '../operations/vault-service.js';
import { ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { createHandlers } from './handlers.js';
import { createRouter } from './router.js';

const sender = { url: 'app://lifeboat/index.html', isMainFrame: true };
const facts = { host: 'electron', version: '1', packaged: false, platform: 'linux' } as const;
process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
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

describe('one-time codes over IPC', () => {
  it('reads a QR image, stores the seed, gives a code after a reason, and never the seed', async () => {
    const { call, value } = setup();
    const dir = join(mkdtempSync(join(tmpdir(), 'lb-codes-ipc-')), 'ops.lifeboat');
    await value('vault:create', { to: { path: dir }, owner: 'alice', passphrase: 'correct horse battery' });
    const image = qrPng(`otpauth://totp/Entra:bg?secret=${SEED}&issuer=Entra&digits=8`).toString('base64');
    const read = await value<{ uri: string; issuer: string }>('secret:qr-seed', { name: 'entra.png', base64: image });
    expect(read.issuer).toBe('Entra');
    expect(read.uri).toContain(SEED);
    const created = await value<RecordSummary>('records:create', {
      type: 'secret',
      title: 'Entra break-glass',
      data: { totp: read.uri, rotateEveryDays: 1, lastRotated: '2020-01-01' },
    });
    expect(await call('secret:code', { id: created.id, reason: '' })).toMatchObject({ ok: false, error: { code: 'VAULT_BAD_INPUT' } });
    const code = await value<GeneratedCodeView>('secret:code', { id: created.id, reason: 'INC-40: SSO down' });
    expect(code.code).toMatch(/^\d{8}$/);
    expect(code.secondsLeft).toBeGreaterThan(0);
    expect(code.clock.suspect).toBe(false);
    expect(JSON.stringify(code)).not.toContain(SEED);

    const attention = await value<SecretAttentionView>('secret:attention', {});
    expect(attention.summary).toBe('1 secret overdue');
    await value('secret:rotated', { id: created.id, note: 'new seed enrolled' });
    expect((await value<SecretAttentionView>('secret:attention', {})).summary).toBeNull();

    // The owner's "expiring soon" setting: 30 days unless changed, logged, read back.
    const soon = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await value('records:create', { type: 'secret', title: 'TLS key', data: { text: 'k', expires: soon } });
    expect(await value<SecretAttentionView>('secret:attention', {})).toMatchObject({ summary: null, warningDays: 30 });
    expect(await value('settings:set-expiry-warning-days', { days: 60 })).toEqual({ days: 60 });
    expect(await value<SecretAttentionView>('secret:attention', {})).toMatchObject({ summary: '1 secret expiring soon', warningDays: 60 });
    expect(await call('settings:set-expiry-warning-days', { days: -1 })).toMatchObject({ ok: false, error: { code: 'VAULT_BAD_INPUT' } });
    expect(await call('secret:qr-seed', { name: 'notes.txt', base64: Buffer.from('hello').toString('base64') })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_BAD_INPUT', message: 'notes.txt: not a PNG or JPEG image.' },
    });
  });
});
