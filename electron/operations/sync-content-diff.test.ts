/**
 * Issue 19, item 10: the sync review showed only field names ("body"). It
 * now shows each differing field word by word, as typed segments (never
 * markup), bounded against a hostile catalog.
 */
import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../vault/records/record-store.js';
import { contentDiffs, MAX_FIELD_CHARS, MAX_RECORDS, recordContentDiff, valueText, wordSegments } from './sync-content-diff.js';

const record = (data: Record<string, unknown>, title = 'Restore the database'): Pick<StoredRecord, 'type' | 'title' | 'data'> => ({
  type: 'runbook',
  title,
  data,
});

/** The text each side reads: same+removed is the vault's (whitespace aside), same+added the catalog's. */
function sides(segments: { op: string; text: string }[]): { before: string; after: string } {
  return {
    before: segments
      .filter((s) => s.op !== 'added')
      .map((s) => s.text)
      .join(''),
    after: segments
      .filter((s) => s.op !== 'removed')
      .map((s) => s.text)
      .join(''),
  };
}

describe('word-level content diff for the sync review', () => {
  it('marks the words that change, and keeps the rest as unchanged text', () => {
    const { segments, partial } = wordSegments('Stop the writers, then restore.', 'Stop the writers, then restore from the 02:00 snapshot.');
    expect(partial).toBe(false);
    expect(segments).toEqual([
      { op: 'same', text: 'Stop the writers, then restore ' },
      { op: 'added', text: 'from the 02:00 snapshot' },
      { op: 'same', text: '.' },
    ]);
    // jsdiff keeps the new side's whitespace in unchanged text: the catalog's version reads exactly.
    expect(sides(segments).after).toBe('Stop the writers, then restore from the 02:00 snapshot.');
  });

  it('diffs each differing field of a record with its label, the title too; markup stays text', () => {
    const diffs = recordContentDiff(
      record({ body: 'Page the DBA.', service: 'team-a' }),
      { title: 'Restore the <b>database</b>', data: { body: 'Page the DBA <img src=x onerror=alert(1)>.', service: 'team-b' } },
      ['title', 'body', 'service'],
    );
    expect(diffs.map((d) => [d.field, d.label])).toEqual([
      ['title', 'Title'],
      ['body', 'Runbook'],
      ['service', 'Service'],
    ]);
    expect(sides(diffs[1]?.segments ?? []).after).toBe('Page the DBA <img src=x onerror=alert(1)>.');
    expect(diffs[2]?.segments).toEqual([
      { op: 'same', text: 'team-' },
      { op: 'removed', text: 'a' },
      { op: 'added', text: 'b' },
    ]);
  });

  it('lists read one item a line, numbers as numbers, missing as empty', () => {
    expect(valueText(['Stop writers', 'Restore'])).toBe('Stop writers\nRestore');
    expect(valueText(240)).toBe('240');
    expect(valueText(undefined)).toBe('');
    expect(valueText([{ name: 'db', port: 5432 }])).toBe('- name: db\n  port: 5432');
  });

  it('is bounded: a side past the limit is cut and flagged partial; only the first records get a diff', () => {
    const long = 'word '.repeat(MAX_FIELD_CHARS);
    const { segments, partial } = wordSegments(long, `${long}more`);
    expect(partial).toBe(true);
    expect(sides(segments).after.length).toBeLessThanOrEqual(MAX_FIELD_CHARS);

    const stored = new Map<string, StoredRecord>();
    const changes = Array.from({ length: MAX_RECORDS + 5 }, (_, i) => {
      stored.set(`r${i}`, { id: `r${i}`, type: 'runbook', title: 't', data: { body: 'a' } } as unknown as StoredRecord);
      return {
        key: `k${i}`,
        type: 'runbook' as const,
        title: 't',
        file: 'f.md',
        fields: ['body'],
        recordId: `r${i}`,
        entry: { key: `k${i}`, type: 'runbook' as const, title: 't', file: 'f.md', data: { body: 'b' } },
      };
    });
    const diffs = contentDiffs({ get: (id) => stored.get(id) }, changes as never);
    expect(diffs.size).toBe(MAX_RECORDS);
  });

  it('never diffs a sealed field', () => {
    const diffs = recordContentDiff(
      { type: 'secret', title: 's', data: { password: 'old', notes: 'a' } },
      { title: 's', data: { password: 'new', notes: 'b' } },
      ['password', 'notes'],
    );
    expect(diffs.map((d) => d.field)).toEqual(['notes']);
  });
});
