/**
 * One test per readiness rule: each finding appears when its gap exists and
 * disappears when the gap is closed, and services sort by risk.
 */
import type { AuditEntry } from '../vault/audit/vault-audit.js';
import type { RecordStore } from '../vault/records/record-store.js';
import { binderDrift } from './binder-verify.js';
import { describe, expect, it } from 'vitest';
import type { ReadinessRule, RecoverySession, RotationItem } from '../../shared/recovery.js';
import { storedRecord } from '../../test/support/stored-record.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { reviewReadiness, type ProcedureInfo, type ReadinessInput } from './readiness-review.js';
import { buildServiceGraph } from './service-graph.js';

const NOW = new Date('2026-11-25T12:00:00.000Z');
function record(type: StoredRecord['type'], title: string, data: Record<string, unknown>, extra: Partial<StoredRecord> = {}): StoredRecord {
  return storedRecord(type, title, data, { updatedAt: '2026-11-01T00:00:00.000Z', ...extra });
}

/** A service with nothing missing, and its runbook. */
function readyService(title: string, overrides: Record<string, unknown> = {}, runbook: Record<string, unknown> = {}): StoredRecord[] {
  return [
    record('service', title, { tier: 1, owner: 'team-a', rtoMinutes: 60, rpoMinutes: 15, recoveryMethod: 'restore', dependsOn: [], ...overrides }),
    record('runbook', `Recover ${title}`, {
      service: title,
      steps: ['do it'],
      validation: ['it answers'],
      estimatedMinutes: 20,
      lastReviewed: '2026-10-01',
      ...runbook,
    }),
  ];
}

function measuredSession(
  serviceId: string,
  usefulMinutes: number | undefined,
  endedAt = '2026-11-20T10:00:00.000Z',
  kind: RecoverySession['kind'] = 'exercise',
): RecoverySession {
  return {
    id: `ses-${serviceId}-${endedAt}`,
    kind,
    scenario: 'drill',
    status: 'ended',
    startedAt: '2026-11-20T09:00:00.000Z',
    startedBy: 'alice',
    endedAt,
    endedBy: 'alice',
    services: [
      {
        id: serviceId,
        title: 'x',
        wave: 0,
        rtoMinutes: 60,
        estimatedMinutes: 20,
        runbooks: [],
        steps: [],
        checks: [{ text: 'it answers', failures: [], ...(usefulMinutes === undefined ? {} : { passedAt: endedAt }) }],
        ...(usefulMinutes === undefined ? {} : { usefulAt: endedAt, usefulMinutes }),
      },
    ],
    journal: [],
    missing: [],
  };
}

function review(records: StoredRecord[], extra: Partial<ReadinessInput> = {}) {
  const graph = buildServiceGraph(records);
  return reviewReadiness({
    graph,
    procedures: [],
    sessions: [],
    incidentRotations: [],
    lastSync: { at: '2026-11-20T00:00:00.000Z', catalogId: 'ops' },
    usesCatalogs: true,
    now: NOW,
    ...extra,
  });
}

function rulesOf(result: ReturnType<typeof review>, title: string): ReadinessRule[] {
  return result.services.find((s) => s.title === title)?.findings.map((f) => f.rule) ?? [];
}

const serviceId = (records: StoredRecord[], title: string): string => records.find((r) => r.type === 'service' && r.title === title)?.id ?? '';

describe('readiness rules', () => {
  it('a well-prepared, demonstrated service has no findings', () => {
    const records = readyService('billing');
    expect(rulesOf(review(records, { sessions: [measuredSession(serviceId(records, 'billing'), 30)] }), 'billing')).toEqual([]);
  });

  it('names missing RTO, RPO, owner and recovery method', () => {
    const records = readyService('billing', { rtoMinutes: undefined, rpoMinutes: undefined, owner: undefined, recoveryMethod: undefined });
    const rules = rulesOf(review(records), 'billing');
    expect(rules).toEqual(expect.arrayContaining(['no-rto', 'no-rpo', 'no-owner', 'method-undecided']));
  });

  it('flags a service with no runbook', () => {
    const records = [readyService('billing')[0] as StoredRecord];
    expect(rulesOf(review(records), 'billing')).toContain('no-runbook');
  });

  it('flags a runbook not reviewed within the limit, and honours a configured limit', () => {
    const records = readyService('billing', {}, { lastReviewed: '2026-03-01' });
    const stale = review(records).services[0]?.findings.find((f) => f.rule === 'runbook-stale');
    expect(stale?.message).toMatch(/269 days ago \(limit 180\)/);
    expect(stale?.recordId).toBe(records[1]?.id);
    expect(rulesOf(review(records, { staleDays: 365 }), 'billing')).not.toContain('runbook-stale');
    expect(rulesOf(review(readyService('x', {}, { lastReviewed: undefined })), 'x')).toContain('runbook-stale');
  });

  it('flags a runbook reviewed before a dependency changed, not before it was merely created', () => {
    const created = [...readyService('db'), ...readyService('app', { dependsOn: ['db'] }, { lastReviewed: '2026-10-01' })];
    expect(rulesOf(review(created), 'app')).not.toContain('runbook-older-than-dependency');
    const db = created[0] as StoredRecord;
    const edited = [{ ...db, revision: 2, updatedAt: '2026-11-10T00:00:00.000Z' }, ...created.slice(1)];
    const finding = review(edited)
      .services.find((s) => s.title === 'app')
      ?.findings.find((f) => f.rule === 'runbook-older-than-dependency');
    expect(finding?.message).toContain('db (2026-11-10)');
  });

  it('flags a service whose runbooks have no validation checks', () => {
    expect(rulesOf(review(readyService('billing', {}, { validation: [] })), 'billing')).toContain('no-validation');
  });

  it('flags an identity dependency without a break-glass procedure, and clears it when one names it', () => {
    const records = [...readyService('keycloak'), ...readyService('billing', { dependsOn: ['keycloak'] })];
    const without = review(records);
    expect(rulesOf(without, 'billing')).toContain('identity-without-break-glass');
    expect(rulesOf(without, 'keycloak')).toContain('identity-without-break-glass');
    const procedure: ProcedureInfo = { id: 'proc-1', title: 'Keycloak down: admin access without SSO', tags: [], body: '' };
    expect(rulesOf(review(records, { procedures: [procedure] }), 'billing')).not.toContain('identity-without-break-glass');
    const tagged: ProcedureInfo = { id: 'proc-2', title: 'Break glass', tags: ['keycloak'], body: '' };
    expect(rulesOf(review(records, { procedures: [tagged] }), 'billing')).not.toContain('identity-without-break-glass');
  });

  it('does not take a word that merely contains an identity term for identity', () => {
    expect(rulesOf(review(readyService('authors-portal')), 'authors-portal')).not.toContain('identity-without-break-glass');
  });

  it('flags an RTO never demonstrated, and one demonstrated but slower last time', () => {
    const records = readyService('billing');
    const id = serviceId(records, 'billing');
    expect(rulesOf(review(records), 'billing')).toContain('rto-not-demonstrated');
    const slower = review(records, { sessions: [measuredSession(id, 30, '2026-10-01T00:00:00.000Z'), measuredSession(id, 75, '2026-11-01T00:00:00.000Z')] });
    expect(rulesOf(slower, 'billing')).toEqual(['measured-slower-than-rto']);
    expect(slower.services[0]?.measuredMinutes).toBe(75);
    const never = review(records, { sessions: [measuredSession(id, undefined)] });
    expect(never.services[0]?.findings.find((f) => f.rule === 'measured-slower-than-rto')?.message).toMatch(/never passed/);
  });

  it('flags an RTO that cannot be met on paper through the dependency chain', () => {
    const records = [...readyService('db', {}, { estimatedMinutes: 50 }), ...readyService('app', { dependsOn: ['db'] }, { estimatedMinutes: 20 })];
    const result = review(records);
    expect(rulesOf(result, 'app')).toContain('rto-not-achievable');
    expect(rulesOf(result, 'db')).not.toContain('rto-not-achievable');
  });

  it('says an RTO is not checkable on paper when an estimate is missing on the way, and never leaves that service with no findings', () => {
    const records = [
      ...readyService('db', {}, { estimatedMinutes: undefined }),
      ...readyService('app', { dependsOn: ['db'] }, { estimatedMinutes: 20 }),
      ...readyService('solid', {}, { estimatedMinutes: 20 }),
    ];
    const result = review(records);
    const finding = (title: string) => result.services.find((s) => s.title === title)?.findings.find((f) => f.rule === 'rto-unknown-on-paper');
    expect(finding('db')?.message).toBe('db has an RTO of 1 h, but on paper nobody can say whether it is met: no runbook of db gives a time estimate.');
    expect(finding('app')?.message).toContain('something it waits for has no time estimate');
    expect(finding('solid')).toBeUndefined();
    expect(result.services.find((s) => s.title === 'db')?.worst).not.toBeNull();
    expect(result.paper.lines).toContainEqual({ tone: 'unknown', text: 'no estimate — 1 service' });
  });

  it('flags missing dependencies', () => {
    expect(rulesOf(review(readyService('app', { dependsOn: ['ghost'] })), 'app')).toContain('missing-dependency');
  });

  it('flags every member of a dependency cycle, naming the others, and where to break it on the service that holds the entry', () => {
    const records = [
      ...readyService('api', { dependsOn: ['gitaly'] }),
      ...readyService('gitaly', { dependsOn: ['frontend'] }),
      ...readyService('frontend', { dependsOn: ['api'] }),
      ...readyService('web', { dependsOn: ['api'] }),
      ...readyService('loop', { dependsOn: ['loop'] }),
    ];
    const result = review(records);
    const finding = (title: string) => result.services.find((s) => s.title === title)?.findings.find((f) => f.rule === 'dependency-cycle');
    expect(finding('api')).toMatchObject({
      severity: 'high',
      message: expect.stringMatching(
        /^api is in a dependency cycle with frontend, gitaly: recovered together, no restore order exists between them/,
      ) as unknown,
    });
    expect(finding('gitaly')?.message).toContain('with api, frontend: recovered together');
    // One suggested break closes the loop; only the service holding that entry is told to drop or soften it.
    const hints = ['api', 'frontend', 'gitaly'].filter((t) => finding(t)?.message.includes('drop or mark soft'));
    expect(hints).toHaveLength(1);
    expect(finding('web')).toBeUndefined();
    expect(finding('loop')).toMatchObject({ severity: 'medium', message: expect.stringContaining('loop depends on itself') as unknown });
    expect(result.vault.map((f) => f.rule)).not.toContain('dependency-cycle');
    // Marked soft, the loop is open and the finding is gone.
    const soft = review(records.map((r) => (r.title === 'frontend' ? { ...r, data: { ...r.data, startsWithout: ['api'] } } : r)));
    expect(
      soft.services
        .flatMap((s) => s.findings)
        .filter((f) => f.rule === 'dependency-cycle')
        .map((f) => f.message),
    ).toEqual([expect.stringContaining('loop depends on itself')]);
  });

  it('flags secrets revealed in an incident and not rotated since', () => {
    const item: RotationItem = {
      recordId: 'sec-1',
      recordTitle: 'AWS root',
      fields: ['password'],
      lastRevealedAt: '2026-11-02T00:00:00.000Z',
      revealedBy: ['bob'],
    };
    const open = review(readyService('x'), { incidentRotations: [item] });
    expect(open.vault).toContainEqual(expect.objectContaining({ rule: 'secret-not-rotated', severity: 'critical', recordId: 'sec-1' }));
    const done = review(readyService('x'), { incidentRotations: [{ ...item, rotatedAt: '2026-11-03T00:00:00.000Z', rotatedBy: 'bob' }] });
    expect(done.vault.map((f) => f.rule)).not.toContain('secret-not-rotated');
  });

  it('flags a catalog not synced within 30 days, or never', () => {
    expect(review(readyService('x'), { lastSync: { at: '2026-09-01T00:00:00.000Z', catalogId: 'ops' } }).vault).toContainEqual(
      expect.objectContaining({ rule: 'catalog-stale', severity: 'high' }),
    );
    expect(review(readyService('x')).vault.map((f) => f.rule)).not.toContain('catalog-stale');
    expect(review(readyService('x'), { lastSync: null, usesCatalogs: false }).vault).toContainEqual(
      expect.objectContaining({ rule: 'catalog-stale', severity: 'low' }),
    );
  });
});

describe('risk order', () => {
  it('ranks a tier-0 critical gap above several small gaps on a tier-4 service', () => {
    const records = [
      ...readyService('core-idp', { tier: 0 }),
      ...readyService('wiki', { tier: 4, owner: undefined, rpoMinutes: undefined, recoveryMethod: undefined }),
    ];
    const result = review(records);
    expect(result.services.map((s) => s.title)).toEqual(['core-idp', 'wiki']);
    expect(result.services[0]?.worst).toBe('critical');
    expect(result.services[0]?.findings[0]?.severity).toBe('critical');
    expect(result.services[0]?.score).toBeGreaterThan(result.services[1]?.score ?? Infinity);
  });
});

describe('binder-changed', () => {
  const printed = (seq: number, time: string, records: string): AuditEntry => ({
    seq,
    time,
    epoch: 1,
    event: { type: 'binder.printed', actor: 'alice', role: 'owner', salt: '', details: { records } },
  });
  const store = {
    get: (id: string) =>
      ({
        'rb-1': { type: 'runbook', revision: 3, deleted: false },
        'rb-2': { type: 'runbook', revision: 1, deleted: false },
        'ct-1': { type: 'contact', revision: 1, deleted: true },
      })[id],
  } as unknown as RecordStore;

  it('flags a printed binder whose records changed or went since, counted by kind', () => {
    const drift = binderDrift([printed(1, '2026-10-02T09:00:00.000Z', 'rb-1:1:0123456789abcdef,rb-2:1:0123456789abcdef,ct-1:1:0123456789abcdef')], store);
    const result = review(readyService('x'), { binders: drift });
    expect(result.vault).toContainEqual(
      expect.objectContaining({
        rule: 'binder-changed',
        severity: 'medium',
        message: expect.stringContaining('The binder of 2026-10-02 (printed by alice): 1 runbook, 1 contact changed since') as unknown,
      }),
    );
  });

  it('says nothing of a binder a later one replaced, or of one still current', () => {
    const entries = [
      printed(1, '2026-10-02T09:00:00.000Z', 'rb-1:1:0123456789abcdef'),
      printed(2, '2026-10-09T09:00:00.000Z', 'rb-1:3:0123456789abcdef,rb-2:1:0123456789abcdef'),
    ];
    expect(binderDrift(entries, store)).toEqual([]);
  });
});
