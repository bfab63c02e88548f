/**
 * Is a printed binder page still current (issue #21)? A page's QR code (or
 * footer) names vault, record, revision and content hash
 * (binder-content.ts). Against the vault as it is now it is:
 * - current: the record is at that revision and its content hashes the same;
 * - changed: the record has moved on (or was deleted) since; the revisions
 *   since say by whom and when;
 * - unknown: another vault, no such record, a revision this vault never had,
 *   or a hash that does not match what the record held at that revision
 *   (the page was not printed from this vault's record, or was altered).
 *
 * And, for the readiness review, which printed binders have gone stale:
 * each `binder.printed` audit event lists its records as `id:revision:hash`.
 */
import { RECORD_KINDS, type RecordType } from '../../shared/record-kinds.js';
import type { AuditEntry } from '../vault/audit/vault-audit.js';
import type { RecordStore } from '../vault/records/record-store.js';
import { contentHash, parseBinderPayload, type BinderPage } from './binder-content.js';

export type PageStatus = 'current' | 'changed' | 'unknown';

export interface PageCheck {
  status: PageStatus;
  /** One sentence for the person holding the page. */
  message: string;
  page: BinderPage;
  /** The record as it is now, when this vault has it. */
  record: { id: string; title: string; type: string; revision: number; deleted: boolean } | null;
  /** What happened to it since the printed revision, oldest first. */
  changes: { revision: number; at: string; by: string; action: string; changed: string[] }[];
}

export function checkPage(store: RecordStore, vaultId: string, code: string): PageCheck {
  const page = parseBinderPayload(code);
  const unknown = (message: string, record: PageCheck['record'] = null): PageCheck => ({ status: 'unknown', message, page, record, changes: [] });
  if (page.vaultId !== vaultId) {
    return unknown(`This page was printed from another vault (${page.vaultId}), not this one (${vaultId}).`);
  }
  const stored = store.get(page.recordId);
  if (!stored) {
    return unknown(`This vault has no record ${page.recordId}: the page was not printed from it.`);
  }
  const record = { id: stored.id, title: stored.title, type: stored.type, revision: stored.revision, deleted: stored.deleted };
  if (page.revision > stored.revision) {
    return unknown(`The page says revision ${page.revision} of “${stored.title}”, but this vault has only reached revision ${stored.revision}.`, record);
  }
  const then = page.revision === stored.revision ? { title: stored.title, data: stored.data } : store.revisionData(stored.id, page.revision);
  if (then && contentHash(vaultId, { id: stored.id, type: stored.type, title: then.title, data: then.data }) !== page.hash) {
    return unknown(
      `The page's content hash does not match revision ${page.revision} of “${stored.title}”: it was not printed from this vault's record, or it was altered.`,
      record,
    );
  }
  if (page.revision === stored.revision && !stored.deleted) {
    return { status: 'current', message: `Current: “${stored.title}” is still at revision ${stored.revision}, as printed.`, page, record, changes: [] };
  }
  const changes = store.revisions(stored.id).filter((r) => r.revision > page.revision);
  const last = changes[changes.length - 1];
  const when = last ? ` ${last.at.replace('T', ' ').slice(0, 16)} UTC by ${last.by}` : '';
  const message = stored.deleted
    ? `Changed since: “${stored.title}” was deleted${when} (printed at revision ${page.revision}). Do not follow the printed page.`
    : `Changed since: “${stored.title}” is at revision ${stored.revision} (printed at ${page.revision}); last changed${when}. Do not follow the printed page: open it in Lifeboat.`;
  return { status: 'changed', message, page, record, changes };
}

/** A printed binder's records as its audit event lists them. */
export interface PrintedBinder {
  seq: number;
  at: string;
  by: string;
  records: { id: string; revision: number }[];
}

export function printedBinders(entries: readonly AuditEntry[]): PrintedBinder[] {
  return entries
    .filter((e) => e.event.type === 'binder.printed' && typeof e.event.details?.['records'] === 'string')
    .map((e) => ({
      seq: e.seq,
      at: e.time,
      by: e.event.actor,
      records: String(e.event.details?.['records'])
        .split(',')
        .filter((item) => item !== '')
        .map((item) => {
          const [id = '', revision = '0'] = item.split(':');
          return { id, revision: Number(revision) };
        }),
    }));
}

/** A printed binder that no longer matches the vault: what changed, by kind. */
export interface BinderDrift {
  at: string;
  by: string;
  /** "12 runbooks, 1 contact". */
  changed: string;
  count: number;
}

/**
 * The binders still worth flagging (one printed later with every one of its
 * records replaces it on the shelf) whose records changed or were deleted since.
 */
export function binderDrift(entries: readonly AuditEntry[], store: RecordStore): BinderDrift[] {
  const binders = printedBinders(entries);
  const live = binders.filter((b, i) => !binders.slice(i + 1).some((later) => b.records.every((r) => later.records.some((l) => l.id === r.id))));
  return live.flatMap((binder) => {
    const byType = new Map<RecordType, number>();
    for (const printed of binder.records) {
      const now = store.get(printed.id);
      if (now && (now.revision > printed.revision || now.deleted)) {
        byType.set(now.type, (byType.get(now.type) ?? 0) + 1);
      }
    }
    const count = [...byType.values()].reduce((a, b) => a + b, 0);
    if (count === 0) {
      return [];
    }
    const changed = [...byType.entries()]
      .map(([type, n]) => `${n} ${n === 1 ? RECORD_KINDS[type].label.toLowerCase() : RECORD_KINDS[type].plural.toLowerCase()}`)
      .join(', ');
    return [{ at: binder.at, by: binder.by, changed, count }];
  });
}
