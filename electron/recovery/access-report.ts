/**
 * Builds the emergency-access report (shared/access-report.ts) from the audit
 * log's decrypted events, and nothing else: the same events give the same
 * report, which is how `audit verify --export` re-checks a signed one
 * (access-report-signing.ts). Sessions and rotation reuse the evidence
 * report's rules (secret-rotation.ts), so both reports agree on what was
 * revealed during a session and what counts as rotated.
 */
import { CONFIGURATION_EVENT_TYPES, REVEAL_EVENT_TYPES, type AccessReport } from '../../shared/access-report.js';
import { AUDIT_EVENT_LABELS } from '../../shared/audit-events.js';
import type { SessionKind } from '../../shared/recovery.js';
import type { AuditEntry } from '../vault/audit/vault-audit.js';
import { minutesBetween } from './session-time.js';
import { revealsDuring, rotationChecklist } from './secret-rotation.js';

export interface AccessContext {
  vaultId: string;
  vaultName: string;
  generatedBy: string;
  generatedAt: string;
  /** ISO bounds (periodBound), or null for the whole log. */
  from: string | null;
  to: string | null;
}

type Entry = AuditEntry;

const str = (entry: Entry, key: string): string => {
  const value = entry.event.details?.[key];
  return typeof value === 'string' ? value : '';
};

const num = (entry: Entry, key: string): number => {
  const value = entry.event.details?.[key];
  return typeof value === 'number' ? value : 0;
};

function unlocks(inPeriod: readonly Entry[]): AccessReport['unlocks'] {
  return inPeriod
    .filter((e) => e.event.type === 'vault.unlocked')
    .map((e) => {
      const quorum = e.event.details?.['quorum'] === true;
      return {
        seq: e.seq,
        at: e.time,
        member: e.event.actor,
        role: e.event.role,
        method: quorum ? ('quorum' as const) : ('passphrase' as const),
        custodians: quorum
          ? str(e, 'custodians')
              .split(',')
              .map((c) => c.trim())
              .filter((c) => c !== '')
          : [],
        reason: e.event.reason ?? '',
      };
    });
}

function failedUnlocks(inPeriod: readonly Entry[]): AccessReport['failedUnlocks'] {
  return inPeriod.flatMap((e): AccessReport['failedUnlocks'] => {
    if (e.event.type === 'vault.unlocked' && num(e, 'failedAttemptsSinceLastUnlock') > 0) {
      const last = str(e, 'lastFailedAttemptAt');
      return [
        {
          seq: e.seq,
          at: e.time,
          kind: 'passphrase',
          count: num(e, 'failedAttemptsSinceLastUnlock'),
          lastAttemptAt: last || null,
          member: e.event.actor,
          recordTitle: '',
        },
      ];
    }
    if (e.event.type === 'secret.confirmation-failed') {
      return [
        {
          seq: e.seq,
          at: e.time,
          kind: 'second-person',
          count: 1,
          lastAttemptAt: e.time,
          member: str(e, 'secondMember'),
          recordTitle: e.event.recordTitle ?? '',
        },
      ];
    }
    return [];
  });
}

interface SessionSpan {
  id: string;
  kind: SessionKind;
  scenario: string;
  start: Entry;
  end: Entry | undefined;
}

/** Every recovery session the log knows, from its start and end events. */
function sessionSpans(all: readonly Entry[]): SessionSpan[] {
  const ends = new Map(all.filter((e) => e.event.type === 'session.ended').map((e) => [str(e, 'sessionId'), e]));
  return all
    .filter((e) => e.event.type === 'session.started')
    .map((start) => ({
      id: str(start, 'sessionId'),
      kind: str(start, 'kind') === 'incident' ? ('incident' as const) : ('exercise' as const),
      scenario: start.event.reason ?? '',
      start,
      end: ends.get(str(start, 'sessionId')),
    }));
}

function isReveal(e: Entry): boolean {
  return (REVEAL_EVENT_TYPES as readonly string[]).includes(e.event.type);
}

/** The report of the events in [from, to]; rotations are looked for in the whole log (a rotation after the period still counts). */
export function buildAccessReport(all: readonly Entry[], context: AccessContext): AccessReport {
  const inside = (time: string): boolean => (context.from === null || time >= context.from) && (context.to === null || time <= context.to);
  const inPeriod = all.filter((e) => inside(e.time));
  const spans = sessionSpans(all);
  const sessionOfSeq = new Map<number, SessionSpan>();
  for (const span of spans) {
    const window = { id: span.id, startedAt: span.start.time, endedAt: span.end?.time };
    for (const reveal of revealsDuring(all, window)) {
      sessionOfSeq.set(reveal.seq, span);
    }
  }
  const revealEntries = inPeriod.filter(isReveal);
  const reveals: AccessReport['reveals'] = revealEntries.map((e) => {
    const span = sessionOfSeq.get(e.seq);
    return {
      seq: e.seq,
      at: e.time,
      actor: e.event.actor,
      role: e.event.role,
      action: e.event.type === 'secret.copied' ? 'copied' : 'revealed',
      recordId: e.event.recordId ?? '',
      recordTitle: e.event.recordTitle ?? '',
      field: e.event.field ?? '',
      reason: e.event.reason ?? '',
      secondMember: str(e, 'secondMember') || null,
      sessionId: span?.id ?? null,
      sessionKind: span?.kind ?? null,
    };
  });
  const rotation = rotationChecklist(
    all,
    reveals.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      recordId: r.recordId,
      recordTitle: r.recordTitle,
      field: r.field,
      reason: r.reason,
    })),
  ).map((item) => ({
    recordId: item.recordId,
    recordTitle: item.recordTitle,
    fields: item.fields,
    revealedBy: item.revealedBy,
    lastRevealedAt: item.lastRevealedAt,
    rotatedAt: item.rotatedAt ?? null,
    rotatedBy: item.rotatedBy ?? null,
    minutesToRotate: item.rotatedAt === undefined ? null : minutesBetween(item.lastRevealedAt, item.rotatedAt),
  }));
  const overlaps = (span: SessionSpan): boolean =>
    (context.to === null || span.start.time <= context.to) && (context.from === null || span.end === undefined || span.end.time >= context.from);
  const labels: Readonly<Record<string, string>> = AUDIT_EVENT_LABELS;
  return {
    vault: { id: context.vaultId, name: context.vaultName },
    period: { from: context.from, to: context.to, events: inPeriod.length, firstSeq: inPeriod[0]?.seq ?? null, lastSeq: inPeriod.at(-1)?.seq ?? null },
    unlocks: unlocks(inPeriod),
    failedUnlocks: failedUnlocks(inPeriod),
    reveals,
    approvals: inPeriod
      .filter((e) => str(e, 'secondMember') !== '' && e.event.type !== 'secret.confirmation-failed')
      .map((e) => ({
        seq: e.seq,
        at: e.time,
        actor: e.event.actor,
        secondMember: str(e, 'secondMember'),
        type: e.event.type,
        recordTitle: e.event.recordTitle ?? '',
      })),
    sessions: spans.filter(overlaps).map((span) => ({
      id: span.id,
      kind: span.kind,
      scenario: span.scenario,
      startedAt: span.start.time,
      startedBy: span.start.event.actor,
      endedAt: span.end?.time ?? null,
      endedBy: span.end?.event.actor ?? null,
      durationMinutes: span.end ? minutesBetween(span.start.time, span.end.time) : null,
      reveals: [...sessionOfSeq.values()].filter((s) => s === span).length,
    })),
    rotation,
    changes: inPeriod
      .filter((e) => (CONFIGURATION_EVENT_TYPES as readonly string[]).includes(e.event.type))
      .map((e) => ({ seq: e.seq, at: e.time, actor: e.event.actor, role: e.event.role, type: e.event.type, summary: changeSummary(e, labels) })),
    integrity: { logRecords: all.length, firstAt: all[0]?.time ?? null, lastAt: all.at(-1)?.time ?? null },
    generatedAt: context.generatedAt,
    generatedBy: context.generatedBy,
  };
}

/** "added a member: member bob, role commander": the label, then the details the event carries. */
function changeSummary(e: Entry, labels: Readonly<Record<string, string>>): string {
  const details = Object.entries(e.event.details ?? {})
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
  return `${labels[e.event.type] ?? e.event.type}${details === '' ? '' : `: ${details}`}`;
}
