/**
 * Issue 19 through the window's channels, as the renderer calls them: the
 * check sends each changed field word by word (typed segments); progress
 * comes as phases with counts while main's loop keeps turning; an owner
 * allows an older version only with a reason (logged with the sync); and
 * trusts a publisher from the catalog's error only with the key that
 * catalog names.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import type { ProgressEvent } from '../../shared/progress.js';
import type { SyncReportView } from '../../shared/vault-contract.js';
import { runbookPage, writeCatalogFolder } from '../../test/support/catalog-folder.js';
import { packCatalog } from '../catalog/catalog-manifest.js';
import { trustedPublishers } from '../catalog/catalog-trust.js';
import { formatPublicKey, generatePublisherKey, writePublisherKey, type PublisherKey } from '../catalog/publisher-key.js';
import { auditEntries } from '../operations/audit.js';
import { VaultService } from '../operations/vault-service.js';
import { ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { createHandlers } from './handlers.js';
import { createRouter } from './router.js';

const sender = { url: 'app://lifeboat/index.html', isMainFrame: true };
const facts = { host: 'electron', version: '1', packaged: false, platform: 'linux' } as const;
process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';

let service: VaultService | undefined;
afterEach(async () => {
  await service?.lock();
});

async function setup() {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-sync-fixes-'));
  const svc = new VaultService(undefined, undefined, undefined, join(work, 'app-state'));
  service = svc;
  const router = createRouter({ handlers: createHandlers({ facts, vault: svc }), appBaseUrl: ELECTRON_APP_BASE_URL });
  const events: ProgressEvent[] = [];
  const call = (channel: string, payload: unknown): Promise<Result<unknown>> => router.dispatch(channel, payload, sender, (e) => events.push(e));
  const sync = (payload: Record<string, unknown>) => call('catalog:sync', payload) as Promise<Result<SyncReportView>>;
  expect(await call('vault:create', { to: { path: join(work, 'v.lifeboat') }, owner: 'alice', passphrase: 'correct horse battery' })).toMatchObject({
    ok: true,
  });
  const key = await generatePublisherKey('Platform team');
  await writePublisherKey(join(work, 'pub.key'), key);
  const lbcat = async (version: number, step: string, signer = 'pub.key'): Promise<string> => {
    const out = join(work, `ops-${version}.lbcat`);
    const srcDir = await writeCatalogFolder(work, `src-${version}-${step.length}`, {
      'db/restore.md': runbookPage('Restore the database', step),
      'dns/failover.md': runbookPage('Fail over DNS'),
    });
    await writeFile(out, (await packCatalog({ srcDir, keyPath: join(work, signer), catalogVersion: version, catalogId: 'ops' })).bytes);
    return out;
  };
  const trust = (publicKey: string, catalogPath: string) => call('catalog:trust', { publicKey, name: 'Platform team', catalogPath });
  return { work, key, sync, trust, lbcat, events, session: () => svc.current() };
}

const pub = (key: PublisherKey): string => formatPublicKey(key.publicKey);

describe('the sync screen’s channels (issue 19)', () => {
  it('trusts a publisher from the catalog’s error only with the key that catalog names; then the check passes', async () => {
    const { work, key, sync, trust, lbcat, session } = await setup();
    const v1 = await lbcat(1, 'Stop the writers');
    expect(await sync({ path: v1, dryRun: true })).toMatchObject({ ok: false, error: { code: 'CATALOG_UNTRUSTED' } });

    const mallory = await generatePublisherKey('Mallory');
    await writePublisherKey(join(work, 'mallory.key'), mallory);
    const wrong = await trust(pub(mallory), v1);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CATALOG_UNTRUSTED' } });
    expect(!wrong.ok && wrong.error.message).toContain(`is not the one that signed ops-1.lbcat (key id ${key.keyId}`);
    expect(trustedPublishers(session())).toEqual([]);

    expect(await trust(pub(key), v1)).toEqual({ ok: true, value: { name: 'Platform team', keyId: key.keyId } });
    expect(await sync({ path: v1, dryRun: true })).toMatchObject({ ok: true, value: { signature: 'verified', diff: { added: [{}, {}] } } });
  });

  it('the check sends changed fields word by word; phases with counts come as progress while main’s loop turns', async () => {
    const { key, sync, trust, lbcat, events } = await setup();
    const v1 = await lbcat(1, 'Stop the writers');
    await trust(pub(key), v1);
    expect(await sync({ path: v1 })).toMatchObject({ ok: true, value: { applied: { added: 2 } } });
    const v2 = await lbcat(2, 'Stop the writers, then restore from the 02:00 snapshot');

    events.length = 0;
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 0);
    const check = await sync({ path: v2, dryRun: true });
    clearInterval(ticker);
    if (!check.ok) {
      throw new Error(check.error.message);
    }
    const [changed] = check.value.diff.changed;
    expect(changed?.content?.map((f) => f.field)).toEqual(['body', 'steps']);
    const body = changed?.content?.[0]?.segments ?? [];
    expect(body.filter((s) => s.op === 'added').map((s) => s.text.trim())).toEqual([', then restore from the 02:00 snapshot']);
    expect(
      body
        .filter((s) => s.op === 'same')
        .map((s) => s.text)
        .join(''),
    ).toContain('Stop the writers');

    expect(events.map((e) => e.label)).toEqual([
      'Reading and checking the catalog',
      'Verifying the signature and every file',
      'Read 2 files',
      'Verified the signature and 2 file hashes',
      'Parsing every file',
      'Parsed 2 entries',
      'Comparing with the vault',
      'Compared 2 entries with the vault: 1 change',
      'Done',
    ]);
    expect(events.filter((e) => e.label.startsWith('Parsed')).map((e) => [e.done, e.total])).toEqual([[3, 4]]);
    expect(events.at(-1)?.finished).toBe(true);
    expect(turns).toBeGreaterThan(0);

    events.length = 0;
    const applied = await sync({ path: v2 });
    expect(applied).toMatchObject({ ok: true, value: { applied: { changed: 1 } } });
    expect(applied.ok && applied.value.diff.changed[0]?.content).toBeUndefined();
    expect(events.map((e) => e.label)).toContain('Applied 1 of 1 change');
  });

  it('an owner allows an older version only with a reason, logged with the sync; without one nothing changes', async () => {
    const { key, sync, trust, lbcat, session } = await setup();
    const v2 = await lbcat(2, 'Stop the writers, then restore');
    await trust(pub(key), v2);
    await sync({ path: v2 });
    const v1 = await lbcat(1, 'Stop the writers');
    expect(await sync({ path: v1, dryRun: true })).toMatchObject({ ok: false, error: { code: 'CATALOG_ROLLBACK' } });
    const before = auditEntries(session()).length;
    for (const reason of [undefined, '   ']) {
      const refused = await sync({ path: v1, allowDowngrade: true, ...(reason === undefined ? {} : { downgradeReason: reason }) });
      expect(refused).toMatchObject({ ok: false, error: { code: 'VAULT_BAD_INPUT' } });
      expect(!refused.ok && refused.error.message).toContain('needs a reason');
    }
    expect(auditEntries(session())).toHaveLength(before);

    const reason = 'Version 2 shipped a broken restore runbook; the publisher asked us to go back.';
    expect(await sync({ path: v1, allowDowngrade: true, downgradeReason: reason })).toMatchObject({ ok: true, value: { applied: { changed: 1 } } });
    const synced = auditEntries(session())
      .filter((e) => e.event.type === 'catalog.synced')
      .at(-1);
    expect(synced?.event.details).toMatchObject({ version: 1, downgradeFrom: 2, downgradeReason: reason });
  });
});
