/**
 * Issue 20: a large catalog is parsed on worker threads, each entry prepared
 * for the vault there (its hash, search terms and compressed body). The
 * vault it makes must be the very vault a one-thread sync makes: same
 * records, same index, same answers to searches. Real catalogs (the GOV.UK
 * operations manual, the prometheus-operator runbooks, the janus-idp
 * Backstage catalog) plus a procedure whose secrets a sync resolves, which
 * must not take what the threads prepared for it.
 */
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogRef } from '../../shared/records.js';
import { newVault } from '../../test/support/test-vault.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { createRecord, searchRecords } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { readCatalogFolder } from './catalog-folder.js';
import { parseCatalogContent } from './catalog-content.js';
import { entryHash } from './catalog-diff.js';
import { parseCatalogOnThreads, setParallelParseMinBytesForTests } from './catalog-parse-runner.js';
import { syncCatalog } from './catalog-sync.js';

const FIXTURES = join(process.cwd(), 'test/fixtures');
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'lifeboat-parse-threads-'));
  await cp(join(FIXTURES, 'govuk-developer-docs/manual'), join(folder, 'manual'), { recursive: true });
  await cp(join(FIXTURES, 'prometheus-operator-runbooks/runbooks'), join(folder, 'runbooks'), { recursive: true });
  await cp(join(FIXTURES, 'backstage-catalogs/janus-idp'), join(folder, 'services'), { recursive: true });
  await writeFile(
    join(folder, 'break-glass.md'),
    '---\nlifeboat:\n  type: procedure\n  secrets: [Root account]\n---\n# Break glass for the root account\n\n1. Open the safe\n2. Reveal the root credential\n',
  );
});

afterAll(() => {
  setParallelParseMinBytesForTests(null);
});

describe('parsing a catalog on threads', () => {
  it('gives what one thread gives, in the same order, with every entry prepared', async () => {
    const read = await readCatalogFolder(folder);
    const files = new Map(read.files.map((f) => [f.path, f.bytes]));
    const one = parseCatalogContent(files, read.others, read.oversized);
    const threaded = await parseCatalogOnThreads(files, read.others, read.oversized, { minBytes: 0, threads: 3 });
    expect(threaded.threads).toBe(3);
    expect(threaded.content).toEqual(one);
    expect(one.entries.length).toBeGreaterThan(100);
    const sodium = await loadSodium();
    for (const entry of threaded.content.entries) {
      expect(threaded.prepared.of(entry)?.hash).toBe(entryHash(sodium, entry));
    }
    // A copy of an entry changed since it was parsed gets nothing prepared.
    const [first] = threaded.content.entries;
    expect(first && threaded.prepared.of({ ...first, data: { ...first.data } })).toBeUndefined();
  });

  it('a small catalog stays on the calling thread', async () => {
    const parsed = await parseCatalogOnThreads(new Map([['a.md', new TextEncoder().encode('# A runbook\n\n1. Step\n')]]));
    expect(parsed.threads).toBe(0);
    expect(parsed.content.entries.map((e) => e.title)).toEqual(['A runbook']);
  });
});

describe('a vault synced from threads', () => {
  async function syncedVault(threads: boolean): Promise<VaultSession> {
    setParallelParseMinBytesForTests(threads ? 0 : Number.MAX_SAFE_INTEGER);
    const { session } = await newVault();
    await createRecord(session, { type: 'secret', title: 'Root account', data: { username: 'root', password: 'hunter2-not-really' } });
    await syncCatalog(session, { kind: 'unsigned', dir: folder, catalogId: 'ops' });
    return session;
  }

  it('holds the same records, index and search answers as a vault synced on one thread', { timeout: 90_000 }, async () => {
    const threaded = await syncedVault(true);
    const single = await syncedVault(false);
    try {
      const byKey = (session: VaultSession): Map<string, { title: string; data: Record<string, unknown>; terms: unknown }> => {
        const store = session.store();
        const out = new Map<string, { title: string; data: Record<string, unknown>; terms: unknown }>();
        for (const summary of store.list()) {
          const record = store.get(summary.id);
          const ref = record?.data['catalogRef'] as CatalogRef | undefined;
          if (record && ref) {
            // Record ids are random: the procedure's secret, and so its entry hash, differ between the two vaults (checked below).
            const { secrets, ...data } = record.data;
            const kept = secrets === undefined ? data : { ...data, catalogRef: { ...ref, entryHash: '(over resolved ids)' } };
            out.set(ref.key, { title: record.title, data: kept, terms: store.indexedText(record.id) });
          }
        }
        return out;
      };
      const a = byKey(threaded);
      const b = byKey(single);
      expect(a.size).toBeGreaterThan(100);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      for (const [key, record] of a) {
        expect(record, key).toEqual(b.get(key));
      }
      expect(threaded.store().searchIndexConsistent()).toBe(true);
      // The procedure was stored with its secret resolved to an id, and hashed as stored, not as the thread parsed it.
      const [procedure] = threaded.store().list('procedure');
      const [secret] = threaded.store().list('secret');
      const stored = threaded.store().get(procedure?.id ?? '');
      expect(stored?.data['secrets']).toEqual([secret?.id]);
      const read = await readCatalogFolder(folder);
      const parsed = parseCatalogContent(new Map(read.files.map((f) => [f.path, f.bytes]))).entries.find((e) => e.type === 'procedure');
      const sodium = await loadSodium();
      expect(parsed && (stored?.data['catalogRef'] as CatalogRef).entryHash).toBe(
        parsed && entryHash(sodium, { title: parsed.title, data: { ...parsed.data, secrets: [secret?.id] } }),
      );
      const hits = (session: VaultSession, query: string): string[] => searchRecords(session, query).hits.map((h) => h.title);
      for (const query of ['restore database', 'KubePodCrashLooping', 'dns', 'node clock skew', 'break glass root']) {
        expect(hits(threaded, query).length, query).toBeGreaterThan(0);
        expect(hits(threaded, query), query).toEqual(hits(single, query));
      }
    } finally {
      await threaded.lock();
      await single.lock();
    }
  });
});
