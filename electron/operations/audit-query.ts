/**
 * The auditor's window timeline: the log filtered in main (shared/audit-filter.ts)
 * and sent a page at a time, newest first, with what the filter's pickers
 * offer. Reading it is what `audit:list` always was (audit.read; not logged:
 * reading the log is not a read of record content).
 */
import type { AuditPage } from '../../shared/access-contract.js';
import { compileFilter, deviceOf, type AuditFilter } from '../../shared/audit-filter.js';
import { auditEntries, type AuditEntry } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';

/** Which kind of recovery session each event fell in (after its start, before its end), by sequence number. */
export function sessionKinds(entries: readonly AuditEntry[]): (seq: number) => 'incident' | 'exercise' | null {
  const spans: { start: number; end: number; kind: 'incident' | 'exercise' }[] = [];
  const open = new Map<string, { start: number; kind: 'incident' | 'exercise' }>();
  for (const entry of entries) {
    const id = entry.event.details?.['sessionId'];
    if (typeof id !== 'string') {
      continue;
    }
    if (entry.event.type === 'session.started') {
      open.set(id, { start: entry.seq, kind: entry.event.details?.['kind'] === 'incident' ? 'incident' : 'exercise' });
    } else if (entry.event.type === 'session.ended') {
      const started = open.get(id);
      if (started) {
        spans.push({ ...started, end: entry.seq });
        open.delete(id);
      }
    }
  }
  for (const started of open.values()) {
    spans.push({ ...started, end: Number.POSITIVE_INFINITY });
  }
  return (seq) => spans.find((s) => seq > s.start && seq < s.end)?.kind ?? null;
}

/** One page of the events matching `filter`, newest first. */
export function filterAuditEntries(entries: readonly AuditEntry[], filter: AuditFilter, offset: number, limit: number): AuditPage {
  const matches = compileFilter(filter);
  const kindOf = sessionKinds(entries);
  const matching: AuditEntry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as AuditEntry;
    if (matches(entry, kindOf(entry.seq))) {
      matching.push(entry);
    }
  }
  const records = new Map<string, string>();
  for (const entry of entries) {
    if (entry.event.recordId && entry.event.recordTitle && !entry.event.type.startsWith('session.')) {
      records.set(entry.event.recordId, entry.event.recordTitle);
    }
  }
  const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return {
    entries: matching.slice(offset, offset + limit),
    total: matching.length,
    logSize: entries.length,
    members: sorted(entries.map((e) => e.event.actor)),
    devices: sorted(entries.map(deviceOf)),
    records: [...records].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title)),
    types: sorted(entries.map((e) => e.event.type)),
  };
}

export function queryAudit(session: VaultSession, filter: AuditFilter, offset: number, limit: number): AuditPage {
  return filterAuditEntries(auditEntries(session), filter, offset, limit);
}
