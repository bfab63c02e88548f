/**
 * The auditor's window timeline: the log filtered in main (shared/audit-filter.ts)
 * and sent a page at a time, newest first, with what the filter's pickers
 * offer. Reading it is what `audit:list` always was (audit.read; not logged:
 * reading the log is not a read of record content).
 *
 * Each filter change asks again, so the decrypted log and what is derived from
 * it (the session each event fell in, the pickers' lists) are kept per session
 * and only events appended since are decrypted (auditEntriesAfter). Audit
 * events carry no secret value; the cache goes with the session object.
 */
import type { AuditPage } from '../../shared/access-contract.js';
import { compileFilter, deviceOf, type AuditFilter } from '../../shared/audit-filter.js';
import { auditEntriesAfter, type AuditEntry } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';

type SessionKind = 'incident' | 'exercise' | null;

export interface PreparedLog {
  entries: AuditEntry[];
  /** The kind of recovery session each entry fell in (by index); an incident wins over an exercise running at once. */
  kinds: SessionKind[];
  facets: Pick<AuditPage, 'members' | 'devices' | 'records' | 'types'>;
}

/** One pass in log order: an event is in a session after its start event and before its end event. */
export function sessionKindsOf(entries: readonly AuditEntry[]): SessionKind[] {
  const open = new Map<string, 'incident' | 'exercise'>();
  return entries.map((entry) => {
    const id = entry.event.details?.['sessionId'];
    if (entry.event.type === 'session.ended' && typeof id === 'string') {
      open.delete(id);
    }
    const kinds = new Set(open.values());
    const kind: SessionKind = kinds.has('incident') ? 'incident' : kinds.has('exercise') ? 'exercise' : null;
    if (entry.event.type === 'session.started' && typeof id === 'string') {
      open.set(id, entry.event.details?.['kind'] === 'incident' ? 'incident' : 'exercise');
    }
    return kind;
  });
}

export function prepareLog(entries: AuditEntry[]): PreparedLog {
  const records = new Map<string, string>();
  const members = new Set<string>();
  const devices = new Set<string>();
  const types = new Set<string>();
  for (const entry of entries) {
    members.add(entry.event.actor);
    devices.add(deviceOf(entry));
    types.add(entry.event.type);
    if (entry.event.recordId && entry.event.recordTitle && !entry.event.type.startsWith('session.')) {
      records.set(entry.event.recordId, entry.event.recordTitle);
    }
  }
  const sorted = (values: Iterable<string>): string[] => [...values].sort((a, b) => a.localeCompare(b));
  return {
    entries,
    kinds: sessionKindsOf(entries),
    facets: {
      members: sorted(members),
      devices: sorted(devices),
      records: [...records].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title)),
      types: sorted(types),
    },
  };
}

/** One page of the events matching `filter`, newest first. */
export function filterPrepared(log: PreparedLog, filter: AuditFilter, offset: number, limit: number): AuditPage {
  const matches = compileFilter(filter);
  const page: AuditEntry[] = [];
  let total = 0;
  for (let i = log.entries.length - 1; i >= 0; i--) {
    const entry = log.entries[i] as AuditEntry;
    if (matches(entry, log.kinds[i] ?? null)) {
      if (total >= offset && page.length < limit) {
        page.push(entry);
      }
      total++;
    }
  }
  return { entries: page, total, logSize: log.entries.length, ...log.facets };
}

export function filterAuditEntries(entries: AuditEntry[], filter: AuditFilter, offset: number, limit: number): AuditPage {
  return filterPrepared(prepareLog(entries), filter, offset, limit);
}

const prepared = new WeakMap<VaultSession, PreparedLog>();

export function queryAudit(session: VaultSession, filter: AuditFilter, offset: number, limit: number): AuditPage {
  const known = prepared.get(session);
  const entries = auditEntriesAfter(session, known?.entries ?? []);
  const log = known && known.entries.length === entries.length ? known : prepareLog(entries);
  prepared.set(session, log);
  return filterPrepared(log, filter, offset, limit);
}
