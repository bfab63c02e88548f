/**
 * Issue 15, M5: every read is accounted for. Written as the reads that went
 * unlogged: a responder's search showed "Safe B2, combination 31-07-44"
 * from a key location in its snippet, and a revision diff showed a record's
 * text, with no event. Each assertion fails without the logging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVault } from '../../../test/support/test-vault.js';
import { auditEntries } from '../audit/vault-audit.js';
import type { VaultSession } from '../vault-session.js';
import { createRecord, editRecord, revisionChanges, searchRecords, settleSearch } from './vault-records.js';

let session: VaultSession;
let safe = '';
let runbook = '';
let secret = '';

beforeAll(async () => {
  ({ session } = await newVault());
  safe = (
    await createRecord(session, {
      type: 'key-location',
      title: 'Offline root CA key',
      data: { what: 'HSM backup card', where: 'Safe B2, combination 31-07-44', howToRetrieve: 'Two officers open the safe' },
    })
  ).id;
  runbook = (await createRecord(session, { type: 'runbook', title: 'Restore the CA', data: { body: 'Fetch the HSM card from the safe, then restore.' } })).id;
  secret = (await createRecord(session, { type: 'secret', title: 'HSM PIN', data: { password: '4711', notes: 'combination is on the safe door' } })).id;
}, 60_000);

afterAll(async () => {
  await session.lock();
});

const searched = () => auditEntries(session).filter((e) => e.event.type === 'records.searched');

describe('search snippets and logging', () => {
  it('never shows a key location’s or a secret’s text: found by title only, no snippet', () => {
    expect(searchRecords(session, 'combination').hits).toEqual([]);
    expect(searchRecords(session, '31 07 44').hits).toEqual([]);
    expect(searchRecords(session, 'safe').hits.map((h) => h.id)).toEqual([runbook]);
    const byTitle = searchRecords(session, 'offline root').hits;
    expect(byTitle.map((h) => [h.id, h.snippet])).toEqual([[safe, '']]);
    // The secret has both words (in its title) and comes first, without a snippet; the runbook only one.
    const hsm = searchRecords(session, 'hsm pin').hits;
    expect(hsm.map((h) => [h.id, h.snippet])[0]).toEqual([secret, '']);
    expect(hsm.map((h) => h.id)).not.toContain(safe);
    expect(JSON.stringify(searchRecords(session, 'hsm').hits)).not.toMatch(/Safe B2|31-07-44|door/);
  });

  it('does not log a search while it is typed', () => {
    const before = searched().length;
    expect(searchRecords(session, 'sa').hits).toBeDefined();
    expect(searchRecords(session, 'saf').hits.length).toBeGreaterThan(0);
    expect(searched()).toHaveLength(before);
  });

  it('logs the settled search once, naming the records whose text the snippets show', async () => {
    const before = searched().length;
    const { hits } = await settleSearch(session, 'hsm');
    expect(hits.map((h) => h.id).sort()).toEqual([runbook, secret].sort());
    expect(searched()).toHaveLength(before + 1);
    expect(searched().at(-1)?.event).toMatchObject({ type: 'records.searched', details: { query: 'hsm', records: runbook, count: 1 } });
  });

  it('logs nothing when no snippet showed any text (titles only)', async () => {
    const before = searched().length;
    await settleSearch(session, 'offline root');
    expect(searched()).toHaveLength(before);
  });
});

describe('revision diffs', () => {
  it('are logged like opening the record, before the text is returned', async () => {
    await editRecord(session, runbook, { set: { body: 'Fetch the HSM card; restore; verify the chain.' } });
    const before = auditEntries(session).length;
    const changes = await revisionChanges(session, runbook, 2);
    expect(changes.map((c) => c.field)).toEqual(['body']);
    expect(auditEntries(session)).toHaveLength(before + 1);
    expect(auditEntries(session).at(-1)?.event).toMatchObject({ type: 'record.opened', recordId: runbook, details: { revision: 2 } });
  });
});
