/**
 * Recovery shares over IPC: created shares never come back to the renderer
 * (only the sheets' file names do); a share is checked as it is typed; a
 * quorum unlock is shown to the owner at their next unlock.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import type { SessionInfo } from '../../shared/vault-contract.js';
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
  const printPdf = (html: string): Promise<Uint8Array> => Promise.resolve(new TextEncoder().encode(`%PDF-stub\n${html}`));
  const router = createRouter({ handlers: createHandlers({ facts, vault: service, printPdf }), appBaseUrl: ELECTRON_APP_BASE_URL });
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

describe('recovery shares over IPC', () => {
  it('writes sheets, checks shares as typed, opens by quorum, and tells the owner afterwards', async () => {
    const { call, value } = setup();
    const dir = join(mkdtempSync(join(tmpdir(), 'lb-quorum-ipc-')), 'ops.lifeboat');
    const sheets = mkdtempSync(join(tmpdir(), 'lb-sheets-'));
    const owner = await value<SessionInfo>('vault:create', { to: { path: dir }, owner: 'alice', passphrase: 'correct horse battery' });
    expect(owner.fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    expect(await value('shares:status', {})).toBeNull();
    const created = await call('shares:create', { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'], to: { path: sheets } });
    expect(created).toMatchObject({
      ok: true,
      value: {
        set: {
          threshold: 2,
          custodians: [
            { index: 1, name: 'Ana' },
            { index: 2, name: 'Bea' },
            { index: 3, name: 'Cy' },
          ],
        },
      },
    });
    // The response names files; it carries no share.
    const texts = readdirSync(sheets)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((f) => readFileSync(join(sheets, f), 'utf8'));
    const shares = texts.map((t) => /^(([0-9A-Z]{5} ){19}[0-9A-Z]{5})$/m.exec(t)?.[1] ?? '');
    expect(shares.every((s) => s.length === 119)).toBe(true);
    for (const share of shares) {
      expect(JSON.stringify(created)).not.toContain(share.slice(0, 20));
    }
    expect(readdirSync(sheets).filter((f) => f.endsWith('.pdf'))).toHaveLength(3);
    await value('vault:lock', {});

    expect(await value('shares:check', { dir, share: shares[1]?.toLowerCase() })).toEqual({ index: 2, custodian: 'Bea', threshold: 2, custodians: 3 });
    expect(await call('vault:unlock-quorum', { dir, shares: [shares[0]], reason: 'owners unreachable' })).toMatchObject({
      ok: false,
      error: { code: 'SHARE_REJECTED' },
    });
    const quorum = await value<SessionInfo>('vault:unlock-quorum', { dir, shares: [shares[2], shares[0]], reason: 'INC-77: owners unreachable' });
    expect(quorum).toMatchObject({ member: 'recovery quorum', role: 'owner', quorumUnlocks: [] });
    await value('vault:lock', {});
    expect(await value('shares:practice', { dir, shares: [shares[1], shares[2]] })).toMatchObject({ custodians: ['Bea', 'Cy'] });

    const back = await value<SessionInfo>('vault:unlock', { dir, member: 'alice', passphrase: 'correct horse battery' });
    expect(back.quorumUnlocks).toEqual([expect.objectContaining({ custodians: 'Cy, Ana', reason: 'INC-77: owners unreachable' })]);
    // Seen once: the next unlock no longer shows it.
    await value('vault:lock', {});
    expect((await value<SessionInfo>('vault:unlock', { dir, member: 'alice', passphrase: 'correct horse battery' })).quorumUnlocks).toEqual([]);
  });
});
