/**
 * Issue 15, M5 at the command line: `lifeboat search` is one settled query
 * per invocation, logged once with the records whose text it printed; a key
 * location's text is neither printed nor matched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { createRecord } from '../vault/records/vault-records.js';
import { runCli } from './run-cli.js';

let dir = '';
let runbook = '';

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  await createRecord(created.session, { type: 'key-location', title: 'Root CA card', data: { where: 'Safe B2, combination 31-07-44' } });
  runbook = (await createRecord(created.session, { type: 'runbook', title: 'Open the safe', data: { body: 'Ask security to open the safe.' } })).id;
  await created.session.lock();
}, 60_000);

async function search(...words: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli(
    ['search', dir, '--as', 'alice', ...words],
    { out: (t) => out.push(t), err: () => undefined },
    {
      version: '1',
      env: { LIFEBOAT_PASSPHRASE: PASSPHRASES['alice'] ?? '' },
    },
  );
  return { code, out: out.join('') };
}

async function searchEvents(): Promise<{ details?: Record<string, unknown> }[]> {
  const alice = await unlockAs(dir, 'alice');
  try {
    return auditEntries(alice)
      .filter((e) => e.event.type === 'records.searched')
      .map((e) => e.event);
  } finally {
    await alice.lock();
  }
}

describe('lifeboat search', () => {
  it('logs one event per invocation, naming the records whose text it printed', async () => {
    const { code, out } = await search('safe');
    expect(code).toBe(0);
    expect(out).toContain(runbook);
    expect(out).not.toMatch(/B2|31-07-44/);
    const events = await searchEvents();
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ query: 'safe', records: runbook, count: 1 });
  });

  it('finds a key location by title only, printing no text of it', async () => {
    expect((await search('combination')).out).toContain('Nothing matches');
    const { out } = await search('root', 'ca');
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain('Root CA card');
  });
});
