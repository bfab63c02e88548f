/**
 * What a sync would change, word by word (issue 19, item 10): for each
 * changed record and each conflict, the fields that differ as segments of
 * unchanged, removed and added text, from jsdiff's `diffWords`. Computed in
 * main and sent as typed segments, never as HTML: the window shows each
 * segment's text as text, so a catalog cannot put markup on the screen.
 *
 * Bounded, because a catalog is hostile input: at most MAX_RECORDS records
 * get a diff per report, each side of a field is cut at MAX_FIELD_CHARS, and
 * jsdiff stops after DIFF_TIMEOUT_MS (the field is then shown as replaced).
 * Sealed fields are never diffed (a catalog carries none; a local record's
 * would stay sealed).
 */
import { diffWords } from 'diff';
import { stringify } from 'yaml';
import { isSealedKind, kindOf, RECORD_KINDS } from '../../shared/record-kinds.js';
import type { CatalogEntry } from '../catalog/catalog-content.js';
import type { SyncChange } from '../catalog/catalog-diff.js';
import type { StoredRecord } from '../vault/records/record-store.js';

export const MAX_RECORDS = 200;
export const MAX_FIELD_CHARS = 20_000;
export const DIFF_TIMEOUT_MS = 100;

export type SegmentOp = 'same' | 'removed' | 'added';
export interface DiffSegment {
  op: SegmentOp;
  text: string;
}
export interface FieldDiff {
  field: string;
  /** The field's label as the record view shows it ("Runbook", "Owner"). */
  label: string;
  segments: DiffSegment[];
  /** A side was longer than MAX_FIELD_CHARS, or the diff took too long: what is shown is partial, or whole-field. */
  partial: boolean;
}

/** A field's value as the text a person reads: lists one item a line, structures as YAML. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join('\n');
  }
  return stringify(value).trimEnd();
}

/** `before` → `after` as word segments; whole-field when either side is cut or jsdiff gives up. */
export function wordSegments(before: string, after: string): { segments: DiffSegment[]; partial: boolean } {
  const cut = before.length > MAX_FIELD_CHARS || after.length > MAX_FIELD_CHARS;
  const a = before.slice(0, MAX_FIELD_CHARS);
  const b = after.slice(0, MAX_FIELD_CHARS);
  const changes = diffWords(a, b, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) {
    const whole: DiffSegment[] = [];
    if (a) {
      whole.push({ op: 'removed', text: a });
    }
    if (b) {
      whole.push({ op: 'added', text: b });
    }
    return { segments: whole, partial: true };
  }
  const segments = changes.map((c): DiffSegment => ({ op: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
  return { segments, partial: cut };
}

function labelOf(type: string, field: string): { label: string; sealed: boolean } {
  if (field === 'title') {
    return { label: 'Title', sealed: false };
  }
  const spec = kindOf(RECORD_KINDS, type).fields.find((f) => f.key === field);
  return { label: spec?.label ?? field, sealed: spec ? isSealedKind(spec.kind) : false };
}

/** The differing fields of one record (its vault side) against the catalog's entry. */
export function recordContentDiff(
  record: Pick<StoredRecord, 'type' | 'title' | 'data'>,
  entry: Pick<CatalogEntry, 'title' | 'data'>,
  fields: readonly string[],
): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const field of fields) {
    const { label, sealed } = labelOf(record.type, field);
    if (sealed) {
      continue;
    }
    const before = field === 'title' ? record.title : valueText(record.data[field]);
    const after = field === 'title' ? entry.title : valueText(entry.data[field]);
    diffs.push({ field, label, ...wordSegments(before, after) });
  }
  return diffs;
}

/**
 * Content diffs for the changed records and conflicts of a report, keyed by
 * the change's key, for the first MAX_RECORDS of them (changed first).
 */
export function contentDiffs(records: { get: (id: string) => StoredRecord | undefined }, changes: readonly SyncChange[]): Map<string, FieldDiff[]> {
  const out = new Map<string, FieldDiff[]>();
  for (const change of changes.slice(0, MAX_RECORDS)) {
    const record = change.recordId ? records.get(change.recordId) : undefined;
    if (record && change.entry) {
      out.set(change.key, recordContentDiff(record, change.entry, change.fields));
    }
  }
  return out;
}
