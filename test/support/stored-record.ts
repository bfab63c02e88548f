/**
 * Test helper: StoredRecord values for the pure recovery functions (graph,
 * plan, review), without a vault. Ids are unique per process.
 */
import type { StoredRecord } from '../../electron/vault/records/record-store.js';

let counter = 0;

export function storedRecord(type: StoredRecord['type'], title: string, data: Record<string, unknown>, extra: Partial<StoredRecord> = {}): StoredRecord {
  counter += 1;
  const at = extra.updatedAt ?? '2026-01-01T00:00:00.000Z';
  return {
    id: `${type}-${counter}`,
    type,
    title,
    data,
    revision: 1,
    createdAt: at,
    createdBy: 'alice',
    updatedAt: at,
    updatedBy: 'alice',
    deleted: false,
    ...extra,
  };
}
