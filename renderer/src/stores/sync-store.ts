/** Catalog sync: check (dry run) → review the diff and conflicts → apply with progress. */
import { create } from 'zustand';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { ProgressEvent } from '../../../shared/progress';
import type { SyncReportView } from '../../../shared/vault-contract';
import { invoke, lifeboatApi } from '../lifeboat-client';

export interface SyncState {
  path: string;
  preview: SyncReportView | null;
  result: SyncReportView | null;
  takeCatalog: Set<string>;
  progress: ProgressEvent | null;
  busy: boolean;
  error: LifeboatErrorShape | null;
  setPath: (path: string) => void;
  check: () => Promise<void>;
  toggleConflict: (key: string) => void;
  apply: () => Promise<void>;
}

export const useSyncStore = create<SyncState>((set, get) => ({
  path: '',
  preview: null,
  result: null,
  takeCatalog: new Set(),
  progress: null,
  busy: false,
  error: null,
  setPath: (path) => {
    set({ path, preview: null, result: null, error: null });
  },
  check: async () => {
    set({ busy: true, error: null, preview: null, result: null, takeCatalog: new Set() });
    const result = await invoke('catalog:sync', { path: get().path.trim(), dryRun: true });
    set(result.ok ? { preview: result.value, busy: false } : { error: result.error, busy: false });
  },
  toggleConflict: (key) => {
    const next = new Set(get().takeCatalog);
    if (next.has(key)) {
      next.delete(key);
    } else {
      next.add(key);
    }
    set({ takeCatalog: next });
  },
  apply: async () => {
    set({ busy: true, error: null, progress: null });
    const unsubscribe = lifeboatApi()?.onProgress((event) => {
      if (event.taskId === 'catalog-sync') {
        set({ progress: event });
      }
    });
    try {
      const result = await invoke('catalog:sync', { path: get().path.trim(), takeCatalog: [...get().takeCatalog] });
      set(result.ok ? { result: result.value, preview: null, busy: false } : { error: result.error, busy: false });
    } finally {
      unsubscribe?.();
    }
  },
}));
