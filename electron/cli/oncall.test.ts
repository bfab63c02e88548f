/**
 * `lifeboat oncall` (issue 23), in-process over a vault that synced the
 * on-call fixture catalog: --at across a hand-over and past the coverage
 * end, every schedule without --service, and the exit codes of its contract.
 */
import { runCliCaptured, type CapturedRun } from '../../test/support/cli-in-process.js';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, expectFailure, expectOk, json } from '../../test/support/cli-run.js';
import { PASSPHRASES, newVault } from '../../test/support/test-vault.js';
import { syncCatalog } from '../catalog/catalog-sync.js';

let dir = '';
// This laptop is in London: times print once, in the schedule's zone (another zone would add "(… here)").
process.env['TZ'] = 'Europe/London';

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  await syncCatalog(created.session, { kind: 'unsigned', dir: join(process.cwd(), 'test/fixtures/oncall/catalog'), catalogId: 'oncall' });
  await created.session.lock();
}, 60_000);

function oncall(...args: string[]): Promise<CapturedRun> {
  return runCliCaptured(['oncall', dir, '--as', 'alice', ...args]);
}

describe('lifeboat oncall', () => {
  it('--at across a hand-over: Ana until 09:00 London on 14 December, Ben from then', async () => {
    const before = await oncall('--service', 'Ledger', '--at', '2026-12-14T08:59Z');
    expect(before.code).toBe(0);
    expect(before.out).toMatch(
      /Level 1 \(escalates after 30 min\):\n {4}Schedule Payments primary \(Europe\/London\):\n {6}Now: Ana Lima — \+44 7700 900001; email:Ana\.Lima@example\.com, signal:\+447700900001\n {8}until 2026-12-14 09:00 GMT/,
    );
    expect(before.out).toMatch(/Next: Ben Okafor — \+44 7700 900002\n {8}from 2026-12-14 09:00 GMT/);
    expect(before.out).toMatch(/Level 2 \(escalates after 15 min\):\n {4}Person: Grace Hopper \(matched by name only\) — \+44 7700900123/);
    const after = await oncall('--service', 'Ledger', '--at', '2026-12-14T10:00+01:00');
    expect(after.out).toMatch(/Now: Ben Okafor/);
  });

  it('--at past the coverage end: says so and lists the escalation contacts, never a stale person', async () => {
    const { code, out } = await oncall('--service', 'Payments API', '--at', '2026-12-21T10:00Z');
    expect(code).toBe(0);
    expect(out).toContain('Now: nobody. PagerDuty export ends 2026-12-20 09:00 GMT; after that: escalation contacts by hand.');
    expect(out).not.toMatch(/Now: Ines/);
    expect(out).toMatch(/Escalation contacts, in order:\n {4}1\. Duty manager — \+44 20 7946 0000\n {4}2\. Priya Shah — \+44 7700 900099/);
  });

  it('without --service: every schedule with its person on call and phones; --json gives the same as data', async () => {
    const { out } = await oncall('--at', '2026-12-08T12:00Z');
    expect(out).toMatch(/Payments primary \(Europe\/London, iCalendar file\):\n {2}Now: Ana Lima — \+44 7700 900001/);
    expect(out).toMatch(/Holiday cover \(Europe\/London, iCalendar file\):\n {2}Now: nobody\. Holiday cover starts 2026-12-24 00:00 GMT/);
    const json = JSON.parse((await oncall('--at', '2026-12-08T12:00Z', '--json')).out) as {
      at: string;
      schedules: { title: string; now: { name: string } | null }[];
    };
    expect(json.at).toBe('2026-12-08T12:00:00Z');
    expect(json.schedules.find((s) => s.title === 'Payments primary')?.now?.name).toBe('Ana Lima');
  });

  it('says the laptop clock in UTC', async () => {
    expect((await oncall()).out).toMatch(/^On call at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \(laptop clock \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z, UTC;/);
  });

  it('exit 2 for a time that is not ISO 8601 or an unknown service, naming it', async () => {
    const badTime = await oncall('--at', 'tomorrow 9am');
    expect(badTime.code).toBe(2);
    expect(badTime.err).toMatch(/--at tomorrow 9am: expected an ISO 8601 time/);
    const noZone = await oncall('--at', '2026-12-20T09:00');
    expect(noZone.code).toBe(2);
    const unknown = await oncall('--service', 'Nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/No service "Nope"/);
  });
});

describe('lifeboat oncall, the built command (the contract)', () => {
  const run = cliRunner(() => process.cwd());

  it('answers with JSON and exit 0, and refuses a bad --at with exit 2 and a typed error', async () => {
    const ok = await run(['oncall', dir, '--as', 'alice', '--service', 'Ledger', '--at', '2026-12-14T09:00Z', '--json'], { pass: PASSPHRASES['alice'] });
    expectOk(ok);
    expect(json(ok)).toMatchObject({ at: '2026-12-14T09:00:00Z', services: [{ service: { title: 'Ledger' }, policy: { title: 'Ledger escalation' } }] });
    const bad = await run(['oncall', dir, '--as', 'alice', '--at', 'soon', '--json'], { pass: PASSPHRASES['alice'] });
    expectFailure(bad, 2, /--at soon: expected an ISO 8601 time/);
  });
});
