import fc from 'fast-check';
import initSqlJs from 'sql.js';
import { afterEach, describe, expect, it } from 'vitest';
import { newVault } from '../../../test/support/test-vault.js';
import { firstRanked, SEARCH_SCHEMA, searchIndexIsCurrent, SOURCE_SELECT, sqlLayout } from './search-index.js';
import { matchExpression, phrasesOf, planQuery } from './search-query.js';
import { createRecord, deleteRecord, editRecord, searchRecords } from './vault-records.js';
import type { VaultSession } from '../vault-session.js';

const open: VaultSession[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.lock();
  }
});

async function seeded(): Promise<VaultSession> {
  const { session } = await newVault();
  open.push(session);
  await createRecord(session, {
    type: 'runbook',
    title: 'Restore Postgres from backup',
    data: { service: 'billing-db', body: 'Stop writes, then restore.', tags: ['database'] },
  });
  await createRecord(session, { type: 'runbook', title: 'Rotate TLS certificates', data: { body: 'If postgres clients fail the handshake, restart them.' } });
  await createRecord(session, { type: 'service', title: 'billing-db', data: { dependsOn: ['storage'], owner: 'team-dba' } });
  await createRecord(session, { type: 'contact', title: 'Zoë Café, DBA on call', data: { role: 'database administrator', phones: ['+44 20 7946 0000'] } });
  await createRecord(session, { type: 'secret', title: 'Postgres superuser', data: { password: 'restoreme-hunter2' } });
  return session;
}

describe('search', () => {
  it('matches prefixes as you type and ranks title hits above body hits', async () => {
    const session = await seeded();
    const hits = searchRecords(session, 'postg').hits;
    expect(hits.map((h) => h.title)).toEqual(['Postgres superuser', 'Restore Postgres from backup', 'Rotate TLS certificates']);
    // A snippet shows where the words are in the text: the third one's body has them.
    expect(hits[2]?.snippet).toContain('\u0002postgres\u0003');
  });

  it('never finds a sealed value', async () => {
    const session = await seeded();
    // As typed: a correction may find other records, never by the sealed value.
    expect(searchRecords(session, 'hunter2', { exact: true }).hits).toEqual([]);
    expect(searchRecords(session, 'restoreme', { exact: true }).hits).toEqual([]);
  });

  it('folds accents and case, and filters by type, service and tag', async () => {
    const session = await seeded();
    expect(searchRecords(session, 'zoe cafe').hits.map((h) => h.type)).toEqual(['contact']);
    expect(searchRecords(session, 'restore', { type: 'runbook' }).hits.map((h) => h.title)).toEqual(['Restore Postgres from backup']);
    expect(searchRecords(session, 'post', { service: 'billing-db' }).hits.map((h) => h.title)).toEqual(['Restore Postgres from backup']);
    expect(searchRecords(session, 'post', { tag: 'database' }).hits.map((h) => h.title)).toEqual(['Restore Postgres from backup']);
  });

  it('follows edits and deletions', async () => {
    const session = await seeded();
    const [tls] = searchRecords(session, 'tls').hits;
    await editRecord(session, tls?.id ?? '', { title: 'Renew mTLS certificates', set: {} });
    expect(searchRecords(session, 'renew').hits.map((h) => h.title)).toEqual(['Renew mTLS certificates']);
    await deleteRecord(session, tls?.id ?? '');
    expect(searchRecords(session, 'renew').hits).toEqual([]);
  });

  it('treats query syntax as plain words', () => {
    const groups = planQuery('title:foo OR "bar" NEAR/2 -baz*');
    expect(matchExpression(phrasesOf(groups))).toBe('titl* OR foo* OR or OR bar* OR near* OR 2 OR baz*');
    expect(matchExpression(phrasesOf(planQuery('  ¿? ')))).toBeNull();
  });
});

describe('the index view, generated from the record kinds', () => {
  // The view as it was written by hand before record-kinds.ts declared which field is searched where.
  // Vaults saved since hold this text in their schema: a different view would mean reindexing every one.
  const textOf = (field: string): string => `(CASE json_type(r.data, '$.${field}') WHEN 'text' THEN json_extract(r.data, '$.${field}') ELSE '' END)`;
  const itemsOf = (field: string, sep: string): string => `coalesce((SELECT group_concat(${sep} || j.value, '') FROM json_each(r.data, '$.${field}') AS j
    WHERE json_type(r.data, '$.${field}') = 'array' AND j.type = 'text'), '')`;
  const HAND_WRITTEN = `SELECT r.rowid AS rowid,
  r.title AS title,
  (CASE WHEN r.type = 'service' THEN r.title || ${itemsOf('dependsOn', "' '")} ELSE ${textOf('service')} || ' ' || ${textOf('alert')} END) AS service,
  ((CASE WHEN r.body IS NULL THEN ${textOf('body')} ELSE CAST(lifeboat_body(r.body) AS TEXT) END) || ${itemsOf('steps', 'char(10)')} || ${itemsOf('validation', 'char(10)')}
    || char(10) || ${textOf('description')} || char(10) || ${textOf('what')} || char(10) || ${textOf('where')}
    || char(10) || ${textOf('howToRetrieve')} || char(10) || (CASE WHEN r.type = 'secret' THEN '' ELSE ${textOf('notes')} END)) AS body,
  (${textOf('owner')} || ' ' || ${textOf('role')} || ${itemsOf('whoCanReach', "' '")} || ${itemsOf('channels', "' '")}) AS people,
  substr(${itemsOf('tags', "' '")}, 2) AS tags
FROM records AS r WHERE r.deleted = 0`;

  it('is the view written by hand before, but for line breaks', () => {
    expect(sqlLayout(SOURCE_SELECT)).toBe(sqlLayout(HAND_WRITTEN));
  });

  it('takes a vault saved with the hand-written view (words, not terms) as of an older layout: reindexed on open', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`CREATE TABLE records (id TEXT, type TEXT, title TEXT, data TEXT, body BLOB, deleted INTEGER);
      CREATE VIEW record_search_source AS\n${HAND_WRITTEN};
      CREATE VIRTUAL TABLE record_search USING fts4(title, service, body, people, tags, content="record_search_source", tokenize=unicode61);`);
    expect(searchIndexIsCurrent(db)).toBe(false);
    db.close();
  });

  it("takes a database with today's schema as current", async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`CREATE TABLE records (id TEXT, type TEXT, title TEXT, data TEXT, body BLOB, deleted INTEGER); ${SEARCH_SCHEMA}`);
    expect(searchIndexIsCurrent(db)).toBe(true);
    db.close();
  });

  it('evens out layout only outside quotes', () => {
    expect(sqlLayout("SELECT  a,\n  'x  y'\n FROM t")).toBe("SELECT a, 'x  y' FROM t");
    expect(sqlLayout("'it''s  here'  ||  b")).toBe("'it''s  here' || b");
  });
});

describe('firstRanked', () => {
  it('gives what sorting every row and keeping the first N gives, ties by docid included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 300 }), fc.integer({ min: 1, max: 60 }), (ranks, count) => {
        const rows = ranks.map((rank, docid) => ({ docid: (docid * 7919) % 1000, groups: 0, type: 'runbook' as const, rank: rank / 2 }));
        const expected = [...rows].sort((a, b) => b.rank - a.rank || a.docid - b.docid).slice(0, count);
        expect(firstRanked([...rows], count)).toEqual(expected);
      }),
    );
  });
});
