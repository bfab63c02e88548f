/**
 * The emergency-access report on an exercised vault (issue #22): a failed
 * unlock, member unlocks with reasons, a recovery-quorum unlock, an exercise
 * and an incident with reveals inside them, a two-person reveal, a refused
 * second person, a rotation, a member change. Built once (only Date is
 * faked, so every event gets the time the drill chooses); the tests read it.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessReport } from '../../shared/access-report.js';
import { T0, MINUTE } from '../../test/support/engine-clock.js';
import { PASSPHRASES, newVault, refusal, unlockAs } from '../../test/support/test-vault.js';
import { createRecoveryShares, openVaultByQuorum } from '../quorum/quorum-shares.js';
import { markRotated } from '../recovery/evidence-report.js';
import { endSession, startSession } from '../recovery/recovery-sessions.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { createRecord, revealField, copyField } from '../vault/records/vault-records.js';
import { addMember, removeMember } from '../vault/vault-members.js';
import type { VaultSession } from '../vault/vault-session.js';
import { accessReportPreview, exportAccessReport, resolvePeriod } from './access-report.js';
import { verifyExportedFile } from './audit.js';
import { queryAudit } from './audit-query.js';

const SECRETS = { orders: 'ORDERS-SUPERUSER-VALUE-4711', aws: 'AWS-ROOT-VALUE-0815', wiki: 'WIKI-TOKEN-VALUE-1234', quorum: 'QUORUM-SEEN-VALUE-77' };
const REASONS = {
  unlock: 'INC-42 orders DB down',
  orders: 'INC-42 restore the orders DB',
  aws: 'INC-42 fail over the region',
  wiki: 'drill: check the wiki token still works',
  quorum: 'owner unreachable, INC-43',
  outside: 'monthly key check',
};

let dir = '';
let work = '';
const ids: Record<string, string> = {};
/** Seq-free facts of the drill, for the assertions. */
let exerciseId = '';
let incidentId = '';

function clock(minutes: number): void {
  vi.setSystemTime(T0 + minutes * MINUTE);
}

async function drill(): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'] });
  clock(0);
  const made = await newVault();
  dir = made.dir;
  const alice = made.session;
  await addMember(alice, { name: 'bob', role: 'commander', passphrase: PASSPHRASES['bob'] ?? '' });
  await addMember(alice, { name: 'carol', role: 'auditor', passphrase: PASSPHRASES['carol'] ?? '' });
  await createRecord(alice, { type: 'service', title: 'Orders', data: { tier: 0, rtoMinutes: 30 } });
  ids['orders'] = (await createRecord(alice, { type: 'secret', title: 'Orders DB superuser', data: { password: SECRETS.orders } })).id;
  ids['aws'] = (await createRecord(alice, { type: 'secret', title: 'AWS root', data: { password: SECRETS.aws, twoPerson: true } })).id;
  ids['wiki'] = (await createRecord(alice, { type: 'secret', title: 'Wiki token', data: { password: SECRETS.wiki } })).id;
  const set = await createRecoveryShares(alice, { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'] });
  clock(5);
  await revealField(alice, ids['wiki'] ?? '', 'password', REASONS.outside);
  await alice.lock();

  // A stranger guesses twice; the next unlock seals the count into the log.
  clock(60);
  await refusal(unlockAs(dir, 'alice', 'not the passphrase'));
  await refusal(unlockAs(dir, 'mallory', 'guess'));
  clock(70);
  const bob = await openVaultWithReason(dir, 'bob');
  const exercise = await startSession(bob, { kind: 'exercise', scenario: 'Quarterly restore drill', services: ['Orders'] });
  exerciseId = exercise.id;
  clock(75);
  await copyField(bob, ids['wiki'] ?? '', 'password', REASONS.wiki);
  clock(100);
  await endSession(bob, exercise.id);
  clock(110);
  const incident = await startSession(bob, { kind: 'incident', scenario: 'Orders DB down', services: ['Orders'] });
  incidentId = incident.id;
  clock(112);
  await revealField(bob, ids['orders'] ?? '', 'password', REASONS.orders);
  // A wrong second passphrase is refused and logged; then alice confirms.
  await refusal(revealField(bob, ids['aws'] ?? '', 'password', REASONS.aws, { member: 'alice', passphrase: 'wrong wrong' }));
  clock(115);
  await revealField(bob, ids['aws'] ?? '', 'password', REASONS.aws, { member: 'alice', passphrase: PASSPHRASES['alice'] ?? '' });
  clock(150);
  await endSession(bob, incident.id);
  clock(190);
  await markRotated(bob, incident.id, ids['orders'] ?? '');
  await bob.lock();

  // The owner is away: two custodians open the vault.
  clock(300);
  const quorum = await openVaultByQuorum(dir, { shares: set.shares.slice(0, 2).map((s) => s.text), reason: REASONS.quorum });
  await removeMember(quorum, 'bob');
  await quorum.lock();
  vi.useRealTimers();
}

async function openVaultWithReason(vault: string, member: string): Promise<VaultSession> {
  // The CLI and the window pass the unlock's reason through the open event.
  const { openVault } = await import('../vault/vault-open.js');
  return openVault(vault, { member, passphrase: PASSPHRASES[member] ?? '', event: { reason: REASONS.unlock, details: {} } });
}

let carol: VaultSession;
let report: AccessReport;

afterAll(async () => {
  await carol.lock();
});

beforeAll(async () => {
  await drill();
  work = await mkdtemp(join(tmpdir(), 'lifeboat-access-'));
  carol = await unlockAs(dir, 'carol');
  report = accessReportPreview(carol, {});
}, 120_000);

describe('the access report of an exercised vault, built by an auditor', () => {
  it('lists every reveal and copy with its reason, who, the second person and the session it fell in', () => {
    const rows = report.reveals.map((r) => [r.recordTitle, r.action, r.actor, r.reason, r.secondMember, r.sessionKind]);
    expect(rows).toEqual([
      ['Wiki token', 'revealed', 'alice', REASONS.outside, null, null],
      ['Wiki token', 'copied', 'bob', REASONS.wiki, null, 'exercise'],
      ['Orders DB superuser', 'revealed', 'bob', REASONS.orders, null, 'incident'],
      ['AWS root', 'revealed', 'bob', REASONS.aws, 'alice', 'incident'],
    ]);
    // Every reveal the log holds is in the report: none filtered away.
    const logged = auditEntries(carol).filter((e) => e.event.type === 'secret.revealed' || e.event.type === 'secret.copied');
    expect(report.reveals.map((r) => r.seq)).toEqual(logged.map((e) => e.seq));
  });

  it('names each unlock: member and reason, or the recovery quorum and its custodians', () => {
    const bob = report.unlocks.find((u) => u.member === 'bob');
    expect(bob).toMatchObject({ method: 'passphrase', reason: REASONS.unlock });
    const quorum = report.unlocks.find((u) => u.method === 'quorum');
    expect(quorum?.custodians).toEqual(['Ana', 'Bea']);
    expect(quorum?.reason).toBe(REASONS.quorum);
  });

  it('counts the failed unlock attempts and the refused second person', () => {
    expect(report.failedUnlocks.map((f) => [f.kind, f.count, f.member])).toEqual([
      ['passphrase', 2, 'bob'],
      ['second-person', 1, 'alice'],
    ]);
  });

  it('tells exercises from incidents, with how long each lasted and what was revealed in it', () => {
    expect(report.sessions.map((s) => [s.id, s.kind, s.durationMinutes, s.reveals])).toEqual([
      [exerciseId, 'exercise', 30, 1],
      [incidentId, 'incident', 40, 2],
    ]);
  });

  it('says which revealed secrets were rotated, by whom and how soon', () => {
    const byTitle = Object.fromEntries(report.rotation.map((r) => [r.recordTitle, r]));
    expect(byTitle['Orders DB superuser']).toMatchObject({ rotatedBy: 'bob', minutesToRotate: 78 });
    expect(byTitle['AWS root']).toMatchObject({ rotatedAt: null, minutesToRotate: null });
  });

  it('lists the two-person approval and the configuration changes', () => {
    expect(report.approvals.map((a) => [a.actor, a.secondMember, a.recordTitle])).toEqual([['bob', 'alice', 'AWS root']]);
    const changes = report.changes.map((c) => `${c.actor}: ${c.summary}`);
    expect(changes).toContain('alice: added a member: member carol, role auditor');
    expect(changes.some((c) => c.startsWith('alice: created recovery shares'))).toBe(true);
    expect(changes.some((c) => c.includes('removed a member: member bob'))).toBe(true);
  });

  it('narrows to a period: only what happened in it, while rotation still looks past its end', () => {
    const day = new Date(T0).toISOString().slice(0, 10);
    const window = accessReportPreview(carol, { from: new Date(T0 + 110 * MINUTE).toISOString(), to: new Date(T0 + 120 * MINUTE).toISOString() });
    expect(window.reveals.map((r) => r.recordTitle)).toEqual(['Orders DB superuser', 'AWS root']);
    expect(window.sessions.map((s) => s.kind)).toEqual(['incident']);
    expect(window.rotation.find((r) => r.recordTitle === 'Orders DB superuser')?.rotatedBy).toBe('bob');
    expect(accessReportPreview(carol, { from: day, to: day }).reveals).toHaveLength(4);
  });

  it('refuses a period that is no date, or ends before it starts, naming the option', () => {
    expect(() => resolvePeriod({ from: 'last tuesday' })).toThrow(/--from "last tuesday" is not a date/);
    expect(() => resolvePeriod({ from: '2026-03-02', to: '2026-03-01' })).toThrow(/starts .* after it ends/);
  });
});

describe('the saved report', () => {
  it('never contains a sealed value, in Markdown or JSON', async () => {
    for (const name of ['r.md', 'r.json']) {
      const path = join(work, name);
      await exportAccessReport(carol, { period: {}, format: name.endsWith('.md') ? 'markdown' : 'json', path }, undefined);
      const text = readFileSync(path, 'utf8');
      for (const secret of Object.values(SECRETS)) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain(REASONS.aws);
    }
  });

  it('Markdown: every reveal with its reason, the control appendix worded as guidance', async () => {
    const path = join(work, 'access.md');
    await exportAccessReport(carol, { period: {}, format: 'markdown', path }, undefined);
    const md = readFileSync(path, 'utf8');
    for (const reason of [REASONS.outside, REASONS.wiki, REASONS.orders, REASONS.aws]) {
      expect(md).toContain(reason);
    }
    expect(md).toContain('PCI DSS 4.0 8.6.1');
    expect(md).toContain('NIST SP 800-53 AU-9(3)');
    expect(md).toMatch(/not a certification/);
  });

  it('JSON built by an auditor verifies with no key; the same report is re-derived from the log it carries', async () => {
    const path = join(work, 'access.json');
    await exportAccessReport(carol, { period: {}, format: 'json', path }, undefined);
    const verified = await verifyExportedFile(path);
    expect(verified.kind).toBe('access-report');
    expect(verified.checks.at(-1)).toMatch(/re-derived/);
  });

  it('a full member building it logs it first, and the JSON covers that event', async () => {
    await as('alice', async (alice) => {
      const path = join(work, 'by-owner.json');
      await exportAccessReport(alice, { period: {}, format: 'json', path }, undefined);
      const doc = JSON.parse(readFileSync(path, 'utf8')) as { export: { events: { type: string; actor: string }[] } };
      expect(doc.export.events.at(-1)).toMatchObject({ type: 'audit.access-report', actor: 'alice' });
      await expect(verifyExportedFile(path)).resolves.toMatchObject({ kind: 'access-report' });
    });
  });

  it('attack: a reveal deleted, a reason reworded, a rotation invented: each refused as AUDIT_BROKEN', async () => {
    const path = join(work, 'tamper-base.json');
    await exportAccessReport(carol, { period: {}, format: 'json', path }, undefined);
    const original = readFileSync(path, 'utf8');
    const edits: [string, (doc: { report: AccessReport }) => void][] = [
      ['reveals', (d) => void d.report.reveals.pop()],
      ['reveals', (d) => void ((d.report.reveals[2] as AccessReport['reveals'][number]).reason = 'routine maintenance')],
      [
        'rotation',
        (d) =>
          void Object.assign(d.report.rotation.find((r) => r.rotatedAt === null) ?? {}, {
            rotatedAt: d.report.generatedAt,
            rotatedBy: 'bob',
            minutesToRotate: 1,
          }),
      ],
    ];
    for (const [section, edit] of edits) {
      const doc = JSON.parse(original) as { report: AccessReport };
      edit(doc);
      const tampered = join(work, `tampered-${section}.json`);
      await writeFile(tampered, JSON.stringify(doc));
      const error = await refusal(verifyExportedFile(tampered));
      expect(error.code).toBe('AUDIT_BROKEN');
      expect(error.message).toContain(`"${section}"`);
    }
  });

  it('attack: the carried log rewritten to hide a reveal (report edited to match) is refused', async () => {
    const doc = JSON.parse(readFileSync(join(work, 'tamper-base.json'), 'utf8')) as {
      report: AccessReport;
      export: { events: Record<string, unknown>[] };
    };
    const index = doc.export.events.findIndex((e) => e['reason'] === REASONS.aws);
    doc.export.events[index] = { ...doc.export.events[index], reason: 'routine maintenance' };
    const revealRow = doc.report.reveals.find((r) => r.reason === REASONS.aws);
    if (revealRow) {
      revealRow.reason = 'routine maintenance';
    }
    const tampered = join(work, 'tampered-log.json');
    await writeFile(tampered, JSON.stringify(doc));
    expect((await refusal(verifyExportedFile(tampered))).code).toBe('AUDIT_BROKEN');
  });

  it('refuses a missing folder or a bad period before anything is logged', async () => {
    await as('alice', async (alice) => {
      const before = auditEntries(alice).length;
      const missing = await refusal(exportAccessReport(alice, { period: {}, format: 'markdown', path: join(work, 'nope', 'r.md') }, undefined));
      expect(missing.code).toBe('VAULT_BAD_INPUT');
      const period = await refusal(exportAccessReport(alice, { period: { to: 'soon' }, format: 'json', path: join(work, 'r2.json') }, undefined));
      expect(period.message).toContain('--to');
      const pdf = await refusal(exportAccessReport(alice, { period: {}, format: 'pdf', path: join(work, 'r.pdf') }, undefined));
      expect(pdf.code).toBe('ENGINE_UNAVAILABLE');
      expect(auditEntries(alice).length).toBe(before);
    });
  });

  it('the window timeline decrypts once per session and still shows an event appended since', async () => {
    await as('alice', async (alice) => {
      const before = queryAudit(alice, {}, 0, 5);
      await revealField(alice, ids['wiki'] ?? '', 'password', 'after the first query');
      const after = queryAudit(alice, { text: 'after the first' }, 0, 5);
      expect(after.logSize).toBe(before.logSize + 1);
      expect(after.entries.map((e) => e.event.reason)).toEqual(['after the first query']);
    });
  });

  it('is refused to a member who may not read the audit log', async () => {
    await as('alice', (alice) => addMember(alice, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' }));
    const code = await as('dave', (dave) => refusal(Promise.resolve().then(() => accessReportPreview(dave, {}))));
    expect(code.code).toBe('VAULT_FORBIDDEN');
  });
});

/** One process holds the vault at a time: the auditor's session steps aside while `member` acts. */
async function as<T>(member: string, act: (session: VaultSession) => Promise<T>): Promise<T> {
  await carol.lock();
  const session = await unlockAs(dir, member);
  try {
    return await act(session);
  } finally {
    await session.lock();
    carol = await unlockAs(dir, 'carol');
  }
}
