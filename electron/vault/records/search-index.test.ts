import { afterEach, describe, expect, it } from 'vitest';
import { newVault } from '../../../test/support/test-vault.js';
import { toMatchExpression } from './search-index.js';
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
  await createRecord(session, { type: 'runbook', title: 'Restore Postgres from backup', data: { service: 'billing-db', body: 'Stop writes, then restore.', tags: ['database'] } });
  await createRecord(session, { type: 'runbook', title: 'Rotate TLS certificates', data: { body: 'If postgres clients fail the handshake, restart them.' } });
  await createRecord(session, { type: 'service', title: 'billing-db', data: { dependsOn: ['storage'], owner: 'team-dba' } });
  await createRecord(session, { type: 'contact', title: 'Zoë Café, DBA on call', data: { role: 'database administrator', phones: ['+44 20 7946 0000'] } });
  await createRecord(session, { type: 'secret', title: 'Postgres superuser', data: { password: 'restoreme-hunter2' } });
  return session;
}

describe('search', () => {
  it('matches prefixes as you type and ranks title hits above body hits', async () => {
    const session = await seeded();
    const hits = searchRecords(session, 'postg');
    expect(hits.map((h) => h.title)).toEqual(['Postgres superuser', 'Restore Postgres from backup', 'Rotate TLS certificates']);
    expect(hits[1]?.snippet).toContain('\u0002Postgres\u0003');
  });

  it('never finds a sealed value', async () => {
    const session = await seeded();
    expect(searchRecords(session, 'hunter2')).toEqual([]);
    expect(searchRecords(session, 'restoreme')).toEqual([]);
  });

  it('folds accents and case, and filters by type, service and tag', async () => {
    const session = await seeded();
    expect(searchRecords(session, 'zoe cafe').map((h) => h.type)).toEqual(['contact']);
    expect(searchRecords(session, 'restore', { type: 'runbook' }).map((h) => h.title)).toEqual(['Restore Postgres from backup']);
    expect(searchRecords(session, 'post', { service: 'billing-db' }).map((h) => h.title)).toEqual(['Restore Postgres from backup']);
    expect(searchRecords(session, 'post', { tag: 'database' }).map((h) => h.title)).toEqual(['Restore Postgres from backup']);
  });

  it('follows edits and deletions', async () => {
    const session = await seeded();
    const [tls] = searchRecords(session, 'tls');
    await editRecord(session, tls?.id ?? '', { title: 'Renew mTLS certificates', set: {} });
    expect(searchRecords(session, 'renew').map((h) => h.title)).toEqual(['Renew mTLS certificates']);
    await deleteRecord(session, tls?.id ?? '');
    expect(searchRecords(session, 'renew')).toEqual([]);
  });

  it('treats query syntax as plain words', () => {
    expect(toMatchExpression('title:foo OR "bar" NEAR/2 -baz*')).toBe('title* foo* or* bar* near* 2* baz*');
    expect(toMatchExpression('  ¿? ')).toBeNull();
  });
});
