// Where the time and the bytes go, measured with the engine's own pieces.
// Used to explain a broken budget: nothing here changes the engine.
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { entryHash } from '../../dist/node/electron/catalog/catalog-diff.js';
import { packData } from '../../dist/node/electron/vault/records/record-body.js';
import { RecordStore } from '../../dist/node/electron/vault/records/record-store.js';
import { indexRecord, indexTermsOf, searchableText } from '../../dist/node/electron/vault/records/search-index.js';
import { encryptDeltaSnapshot, encryptSnapshot, snapshotFileName, writeSnapshot } from '../../dist/node/electron/vault/storage/snapshot-file.js';
import { BLOCK_BYTES, hashesOf, planDelta } from '../../dist/node/electron/vault/storage/snapshot-chain.js';
import { validateData } from '../../dist/node/electron/vault/records/vault-records.js';

/** The sql.js handle inside a RecordStore (a private field in TypeScript, there at run time). */
const dbOf = (store) => store.db;

function timed(work) {
  const t0 = performance.now();
  work();
  return performance.now() - t0;
}

/**
 * One store.put costs: the records row, its rowid lookup and the revision
 * row; the FTS4 index (prefix="2,3"); and, in a sync, zod validation and the
 * entry hash. Each part is timed alone over the same `entries`, in one
 * transaction as applyDiff does, on fresh stores. Returns ms per record.
 */
export async function putAnatomy(sodium, entries) {
  const now = new Date().toISOString();
  const records = entries.map((e, i) => ({
    id: `rb-${i}`,
    type: e.type,
    title: e.title,
    data: e.data,
    revision: 1,
    createdAt: now,
    createdBy: 'bench',
    updatedAt: now,
    updatedBy: 'bench',
    deleted: false,
  }));
  const n = records.length;
  const per = (t) => Number((t / n).toFixed(3));

  const real = await RecordStore.open();
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    gcMs += list.getEntries().reduce((sum, e) => sum + e.duration, 0);
  });
  gc.observe({ entryTypes: ['gc'] });
  const putMs = timed(() => real.transaction(() => records.forEach((r) => real.put(r, 'created', Object.keys(r.data)))));
  gcMs += gc.takeRecords().reduce((sum, e) => sum + e.duration, 0);
  gc.disconnect();
  real.close();

  const rowsStore = await RecordStore.open();
  const rowsDb = dbOf(rowsStore);
  const rowsMs = timed(() =>
    rowsStore.transaction(() => {
      for (const r of records) {
        rowsDb.run(
          `INSERT INTO records (id, type, title, data, revision, created_at, created_by, updated_at, updated_by, deleted)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title, data = excluded.data, revision = excluded.revision,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by, deleted = excluded.deleted`,
          [r.id, r.type, r.title, JSON.stringify(r.data), r.revision, r.createdAt, r.createdBy, r.updatedAt, r.updatedBy, 0],
        );
        rowsDb.exec('SELECT rowid FROM records WHERE id = ?', [r.id]);
        rowsDb.run('INSERT INTO revisions (record_id, revision, at, by, action, changed, title, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
          r.id,
          r.revision,
          r.updatedAt,
          r.updatedBy,
          'created',
          JSON.stringify(Object.keys(r.data)),
          r.title,
          '',
        ]);
      }
    }),
  );
  rowsStore.close();

  // The same three statements, each prepared once and reused (sql.js's db.run compiles the SQL on every call).
  const preparedStore = await RecordStore.open();
  const preparedDb = dbOf(preparedStore);
  const insert = preparedDb.prepare(
    `INSERT INTO records (id, type, title, data, revision, created_at, created_by, updated_at, updated_by, deleted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET type = excluded.type, title = excluded.title, data = excluded.data, revision = excluded.revision,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by, deleted = excluded.deleted`,
  );
  const rowid = preparedDb.prepare('SELECT rowid FROM records WHERE id = ?');
  const revision = preparedDb.prepare('INSERT INTO revisions (record_id, revision, at, by, action, changed, title, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const preparedMs = timed(() =>
    preparedStore.transaction(() => {
      for (const r of records) {
        insert.run([r.id, r.type, r.title, JSON.stringify(r.data), r.revision, r.createdAt, r.createdBy, r.updatedAt, r.updatedBy, 0]);
        rowid.bind([r.id]);
        rowid.step();
        rowid.reset();
        revision.run([r.id, r.revision, r.updatedAt, r.updatedBy, 'created', JSON.stringify(Object.keys(r.data)), r.title, '']);
      }
    }),
  );
  [insert, rowid, revision].forEach((statement) => statement.free());
  preparedStore.close();

  const ftsStore = await RecordStore.open();
  const ftsDb = dbOf(ftsStore);
  const texts = records.map((r) => searchableText(r.type, r.title, r.data));
  // The index reads its text from the records (external content): the rows first, untimed.
  ftsStore.transaction(() =>
    records.forEach((r) =>
      ftsDb.run(
        `INSERT INTO records (id, type, title, data, revision, created_at, created_by, updated_at, updated_by, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        [r.id, r.type, r.title, JSON.stringify(r.data), r.revision, r.createdAt, r.createdBy, r.updatedAt, r.updatedBy],
      ),
    ),
  );
  const ftsMs = timed(() =>
    ftsStore.transaction(() =>
      records.forEach((r, i) => indexRecord(ftsDb, { rowid: i + 1, id: r.id, type: r.type, archived: false }, indexTermsOf(r.type, r.title, r.data))),
    ),
  );
  ftsDb.run('CREATE VIRTUAL TABLE plain_fts USING fts4(title, service, body, people, tags, tokenize=unicode61)');
  const noPrefixMs = timed(() =>
    ftsStore.transaction(() =>
      texts.forEach((t, i) =>
        ftsDb.run('INSERT INTO plain_fts (docid, title, service, body, people, tags) VALUES (?, ?, ?, ?, ?, ?)', [
          i + 1,
          t.title,
          t.service,
          t.body,
          t.people,
          t.tags,
        ]),
      ),
    ),
  );
  const bytesOf = (sql) => Number(ftsDb.exec(sql)[0]?.values[0]?.[0] ?? 0);
  const indexBytes = {
    withPrefixes: bytesOf('SELECT sum(length(block)) FROM record_search_segments') + bytesOf('SELECT sum(length(root)) FROM record_search_segdir'),
    withoutPrefixes: bytesOf('SELECT sum(length(block)) FROM plain_fts_segments') + bytesOf('SELECT sum(length(root)) FROM plain_fts_segdir'),
  };
  ftsStore.close();

  const validateMs = timed(() => entries.forEach((e) => validateData(e.type, e.data)));
  const hashMs = timed(() => entries.forEach((e) => entryHash(sodium, e)));
  const packMs = timed(() => records.forEach((r) => packData(r.data)));
  return {
    records: n,
    gcMsPerRecordDuringPut: per(gcMs),
    msPerRecord: {
      'store.put (all of it)': per(putMs),
      'records + revisions rows (3 statements)': per(rowsMs),
      'the same 3 statements prepared once': per(preparedMs),
      'FTS4 index of terms made from the records (indexRecord)': per(ftsMs),
      'FTS4 index without prefix tables (same text, passed in)': per(noPrefixMs),
      'validateData (zod)': per(validateMs),
      'entryHash (canonical JSON + BLAKE2b)': per(hashMs),
      'body compressed (DEFLATE, record-body.ts)': per(packMs),
    },
    ftsIndexKiBPerRecord: {
      'prefix="2,3" (as shipped)': Math.round(indexBytes.withPrefixes / n / 1024),
      'no prefix tables': Math.round(indexBytes.withoutPrefixes / n / 1024),
    },
  };
}

/** Bytes of the database by what they hold (sums of stored values, plus the file size). */
export function dbComposition(store) {
  const db = dbOf(store);
  const one = (sql) => Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);
  const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const pageSize = one('PRAGMA page_size');
  return {
    fileMiB: mb(one('PRAGMA page_count') * pageSize),
    freeMiB: mb(one('PRAGMA freelist_count') * pageSize),
    recordsDataMiB: mb(one('SELECT sum(length(data)) FROM records')),
    revisions: one('SELECT count(*) FROM revisions'),
    revisionsDataMiB: mb(one('SELECT sum(length(data)) FROM revisions')),
    // 0 since the index reads its text from the records (FTS4 external content): no record_search_content table.
    ftsContentMiB: one("SELECT count(*) FROM sqlite_master WHERE name = 'record_search_content'")
      ? mb(one('SELECT sum(length(c0title) + length(c1service) + length(c2body) + length(c3people) + length(c4tags)) FROM record_search_content'))
      : 0,
    ftsIndexMiB: mb(one('SELECT sum(length(block)) FROM record_search_segments') + one('SELECT sum(length(root)) FROM record_search_segdir')),
    // Bodies as stored (compressed, record-body.ts) and as text.
    runbookBodiesMiB: mb(one("SELECT sum(length(body)) FROM records WHERE type = 'runbook'")),
    runbookBodiesTextMiB: mb(one("SELECT sum(length(lifeboat_body(body))) FROM records WHERE type = 'runbook' AND body IS NOT NULL")),
  };
}

/**
 * session.commit() step by step, as vault-session.ts runs it: export the
 * database, encrypt it, write it atomically (temp file, fsync, rename, fsync
 * of the folder) — to a scratch folder, not the vault — and zero the
 * plaintext (fill(0), as the engine does).
 */
export async function saveAnatomy(session) {
  const { sodium, keys, header, log, chain } = session.internals();
  const store = session.store();
  const scratch = mkdtempSync(join(tmpdir(), 'lifeboat-bench-save-'));
  try {
    const meta = {
      vaultId: header.vaultId,
      generation: 1,
      keyEpoch: keys.epoch,
      savedAt: new Date().toISOString(),
      savedBy: 'bench',
      auditHead: { size: log.size, hash: log.headHash() },
      snapshotId: '00'.repeat(16),
    };
    let t = performance.now();
    const db = store.export();
    const exportMs = performance.now() - t;
    // What a save does now: hash every 4 KiB block, write the changed ones as a delta (storage/snapshot-chain.ts).
    t = performance.now();
    const hashes = hashesOf(db);
    const changed = planDelta(chain ?? null, keys.epoch, hashes, db.length);
    const hashMs = performance.now() - t;
    t = performance.now();
    const delta =
      chain && changed
        ? encryptDeltaSnapshot(
            sodium,
            keys.content,
            { ...meta, generation: 2, dbBytes: db.length, base: chain.tip, blockBytes: BLOCK_BYTES, blocks: changed.length },
            db,
            changed,
          )
        : null;
    const deltaEncryptMs = performance.now() - t;
    t = performance.now();
    if (delta) {
      await writeSnapshot(scratch, { generation: 2, file: snapshotFileName(2), keyEpoch: keys.epoch, base: 1 }, delta, []);
    }
    const deltaWriteMs = performance.now() - t;
    // What a compaction (and every save before deltas) does: the whole database.
    t = performance.now();
    const bytes = encryptSnapshot(sodium, keys.content, { ...meta, dbBytes: db.length }, db);
    const encryptMs = performance.now() - t;
    t = performance.now();
    await writeSnapshot(scratch, { generation: 1, file: snapshotFileName(1), keyEpoch: keys.epoch, base: null }, bytes, []);
    const writeMs = performance.now() - t;
    t = performance.now();
    db.fill(0);
    const zeroMs = performance.now() - t;
    return {
      dbMiB: Math.round((db.length / 2 ** 20) * 10) / 10,
      exportMs,
      blockHashMs: hashMs,
      deltaBlocks: changed ? changed.length : null,
      deltaEncryptMs,
      deltaWriteFsyncMs: deltaWriteMs,
      fullEncryptMs: encryptMs,
      fullWriteFsyncMs: writeMs,
      zeroMs,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Two costs inside every unlock and save, next to what Node itself offers
 * for the same work, on a buffer the size of the vault's database: sizing
 * the fixes proposed when the unlock or save budget breaks (not used by the
 * engine).
 */
export async function alternatives(sodium, bytes) {
  const buffer = new Uint8Array(bytes).fill(7);
  const chunk = 2 ** 20;
  let t = performance.now();
  sodium.memzero(buffer);
  const memzeroMs = performance.now() - t;
  buffer.fill(7);
  t = performance.now();
  buffer.fill(0);
  const fillMs = performance.now() - t;
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  t = performance.now();
  const { state } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  for (let i = 0; i < bytes; i += chunk) {
    sodium.crypto_secretstream_xchacha20poly1305_push(state, buffer.subarray(i, i + chunk), null, 0);
  }
  const secretstreamMs = performance.now() - t;
  const nodeKey = randomBytes(32);
  t = performance.now();
  for (let i = 0; i < bytes; i += chunk) {
    const cipher = createCipheriv('chacha20-poly1305', nodeKey, randomBytes(12), { authTagLength: 16 });
    cipher.update(buffer.subarray(i, i + chunk));
    cipher.final();
    cipher.getAuthTag();
  }
  const nativeMs = performance.now() - t;
  return {
    MiB: Math.round((bytes / 2 ** 20) * 10) / 10,
    'sodium.memzero (JavaScript loop)': memzeroMs,
    'Uint8Array.fill(0) (native memset)': fillMs,
    'libsodium secretstream push, 1 MiB frames (WebAssembly)': secretstreamMs,
    'node:crypto chacha20-poly1305, 1 MiB frames (OpenSSL)': nativeMs,
  };
}
