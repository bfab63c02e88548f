/**
 * Issue 17, "Images", from sync to the opened record: a catalog's images are
 * stored in the vault (encrypted with it, never as files of their own), come
 * back with the record that shows them, follow the catalog's changes, and
 * are read only by an open that was logged.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';
import { syncCatalogFrom } from './catalog.js';
import { createRecord, listRecords, openRecord } from './records.js';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/runbooks-with-images');
const PNG = new Uint8Array(readFileSync(join(FIXTURE, 'img/diagram.png')));

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-record-images-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function copyOfFixture(): Promise<string> {
  const dir = await mkdtemp(join(work, 'catalog-'));
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

function idOf(session: VaultSession, title: string): string {
  const found = listRecords(session).find((r) => r.title === title);
  if (!found) {
    throw new Error(`no record titled ${title}`);
  }
  return found.id;
}

describe('images of an opened record', () => {
  let session: VaultSession;
  let dir: string;
  let vaultDir: string;

  beforeAll(async () => {
    const vault = await newVault();
    session = vault.session;
    vaultDir = vault.dir;
    dir = await copyOfFixture();
    const report = await syncCatalogFrom(session, { unsignedFolder: dir, catalogId: 'db-runbooks' });
    expect(report.images).toMatchObject({ added: expect.arrayContaining(['img/diagram.png']) as string[], changed: [], removed: [], unchanged: 0 });
  }, 60_000);

  afterAll(async () => {
    await session.lock();
  });

  it('come with the record: the carried ones with their bytes, the missing and remote ones named, never fetched', async () => {
    const record = await openRecord(session, idOf(session, 'Restore the orders database'));
    expect(record.images).toEqual([
      { src: '../img/diagram.png', kind: 'image', path: 'img/diagram.png', mime: 'image/png', size: PNG.length, base64: Buffer.from(PNG).toString('base64') },
      expect.objectContaining({ src: '/img/failover.svg', kind: 'image', path: 'img/failover.svg', mime: 'image/svg+xml' }),
      { src: '../img/grafana.png', kind: 'missing', path: 'img/grafana.png' },
      { src: 'https://status.example.com/badge.png', kind: 'external' },
    ]);
  });

  it('are read only by a logged open: the open is in the audit log before the bytes are handed over', async () => {
    const id = idOf(session, 'Failover the replica');
    const before = auditEntries(session).length;
    const record = await openRecord(session, id);
    expect(record.images?.map((i) => i.kind)).toEqual(['image', 'image', 'image']);
    const after = auditEntries(session);
    expect(after.slice(before).map((e) => [e.event.type, e.event.recordId])).toEqual([['record.opened', id]]);
  });

  it('are stored inside the encrypted vault: no file of the vault folder holds an image', async () => {
    await session.commit();
    const files = await readdir(vaultDir, { recursive: true, withFileTypes: true });
    const needle = Buffer.from(PNG.subarray(0, 64));
    for (const file of files.filter((f) => f.isFile())) {
      const bytes = await readFile(join(file.parentPath, file.name));
      expect(bytes.includes(needle), `${file.name} holds the PNG`).toBe(false);
    }
    // And they survive the lock: the next unlock shows them.
    await session.lock();
    session = await unlockAs(vaultDir, 'alice');
    const record = await openRecord(session, idOf(session, 'Restore the orders database'));
    expect(record.images?.[0]).toMatchObject({ kind: 'image', base64: Buffer.from(PNG).toString('base64') });
  });

  it('follow the catalog: a changed image replaces the old one, an image no page shows any more is removed', async () => {
    await writeFile(join(dir, 'img/badge.webp'), makeWebp());
    await writeFile(join(dir, 'database/failover.md'), '# Failover the replica\n\n![On-call badge](../img/badge.webp)\n\n1. Promote the replica.\n');
    const report = await syncCatalogFrom(session, { unsignedFolder: dir, catalogId: 'db-runbooks' });
    expect(report.images.changed).toEqual(['img/badge.webp']);
    // The contact page names the photo too, but a contact's notes are not Markdown: no page shows it any more.
    expect(report.images.removed).toEqual(['img/icon.gif', 'img/photo.jpg']);
    const record = await openRecord(session, idOf(session, 'Failover the replica'));
    expect(record.images).toEqual([expect.objectContaining({ path: 'img/badge.webp', base64: Buffer.from(makeWebp()).toString('base64') })]);
  });

  it('of a record made in the vault are never looked up in a catalog', async () => {
    const made = await createRecord(session, { type: 'runbook', title: 'Local notes', data: { body: '![diagram](img/diagram.png)' } });
    const record = await openRecord(session, made.id);
    expect(record.images).toEqual([{ src: 'img/diagram.png', kind: 'missing', path: 'img/diagram.png' }]);
  });
});

/** A different, valid WebP (RIFF header, WEBP tag): what a publisher's new badge would be. */
function makeWebp(): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(FIXTURE, 'img/badge.webp')));
  const copy = bytes.slice();
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
  return copy;
}
