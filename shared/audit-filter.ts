/**
 * The auditor's window filters (issue #22): by period, member, device,
 * record, event type, the kind of session an event fell in, and reason text.
 * Filtering runs in main over the decrypted log (electron/operations/audit-query.ts)
 * and only a page of matching events crosses IPC: a 100,000-event log would
 * be tens of megabytes to send and to filter on every key press in the window.
 * The matching rule is here, pure, so it is tested once and documented once
 * (docs/access-report.md, "The auditor's window").
 */
import { z } from 'zod';
import { periodBound, CONFIGURATION_EVENT_TYPES, REVEAL_EVENT_TYPES } from './access-report.js';

/** How many events one page of the timeline holds. */
export const AUDIT_PAGE_SIZE = 200;

/** Events carry no device until replicas exist: every event is then this vault's one laptop. */
export const LOCAL_DEVICE = 'this laptop';

export const DURING_KINDS = ['incident', 'exercise', 'any-session'] as const;

export const AuditFilterSchema = z
  .object({
    /** A date (2026-03-01) or an ISO time; `to` includes its whole day. */
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    member: z.string().max(200).optional(),
    device: z.string().max(200).optional(),
    /** A record id. */
    record: z.string().max(200).optional(),
    /** Any of these event types. */
    types: z.array(z.string().max(80)).max(100).optional(),
    during: z.enum(DURING_KINDS).optional(),
    /** Words in the reason (case-insensitive; also the record title, the field and the member). */
    text: z.string().max(200).optional(),
  })
  .strict();
export type AuditFilter = z.output<typeof AuditFilterSchema>;

export interface FilterableEntry {
  seq: number;
  time: string;
  event: {
    type: string;
    actor: string;
    recordId?: string | undefined;
    recordTitle?: string | undefined;
    field?: string | undefined;
    reason?: string | undefined;
    details?: Record<string, string | number | boolean> | undefined;
  };
}

export function deviceOf(entry: FilterableEntry): string {
  const device = entry.event.details?.['device'];
  return typeof device === 'string' && device !== '' ? device : LOCAL_DEVICE;
}

/** A filter made ready once per query: bounds parsed, text lowered. */
export function compileFilter(filter: AuditFilter): (entry: FilterableEntry, sessionKind: 'incident' | 'exercise' | null) => boolean {
  const from = filter.from ? periodBound(filter.from, 'from') : null;
  const to = filter.to ? periodBound(filter.to, 'to') : null;
  const types = filter.types && filter.types.length > 0 ? new Set(filter.types) : null;
  const words = (filter.text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return (entry, sessionKind) => {
    const e = entry.event;
    if ((from !== null && entry.time < from) || (to !== null && entry.time > to)) {
      return false;
    }
    if ((filter.member && e.actor !== filter.member) || (filter.record && e.recordId !== filter.record)) {
      return false;
    }
    if ((filter.device && deviceOf(entry) !== filter.device) || (types && !types.has(e.type))) {
      return false;
    }
    if (filter.during && (sessionKind === null || (filter.during !== 'any-session' && sessionKind !== filter.during))) {
      return false;
    }
    if (words.length > 0) {
      const haystack = [e.reason ?? '', e.recordTitle ?? '', e.field ?? '', e.actor].join(' ').toLowerCase();
      return words.every((w) => haystack.includes(w));
    }
    return true;
  };
}

/** A named filter: built in (periods relative to today) or saved by the member. */
export interface SavedView {
  name: string;
  filter: AuditFilter;
  builtIn?: boolean;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The views every auditor starts with; "this quarter" and "this month" are computed from `now` (UTC). */
export function builtInViews(now: Date): SavedView[] {
  const year = now.getUTCFullYear();
  const quarterStart = new Date(Date.UTC(year, Math.floor(now.getUTCMonth() / 3) * 3, 1));
  const monthStart = new Date(Date.UTC(year, now.getUTCMonth(), 1));
  const reveals = [...REVEAL_EVENT_TYPES];
  return [
    { name: 'Reveals in incidents this quarter', builtIn: true, filter: { types: reveals, during: 'incident', from: isoDay(quarterStart) } },
    { name: 'All reveals and copies', builtIn: true, filter: { types: reveals } },
    { name: 'Unlocks this month', builtIn: true, filter: { types: ['vault.unlocked'], from: isoDay(monthStart) } },
    { name: 'Configuration changes', builtIn: true, filter: { types: [...CONFIGURATION_EVENT_TYPES] } },
    { name: 'Everything during exercises', builtIn: true, filter: { during: 'exercise' } },
  ];
}
