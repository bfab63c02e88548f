/**
 * Catalog sync: check (dry run) → review the diff and conflicts → apply with progress.
 * A folder is an owner's unsigned sync: a generic folder name (docs…) is no
 * catalog id, so the check asks for one (CATALOG_ID_REQUIRED) and main
 * remembers it for that folder once applied (issue 17). Adopting an unsigned
 * import's records and archiving more than a quarter of a catalog are the
 * user's explicit choices, sent with the request.
 */
import { create } from 'zustand';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { ProgressEvent } from '../../../shared/progress';
import type { SyncReportView } from '../../../shared/vault-contract';
import { invoke, lifeboatApi } from '../lifeboat-client';

export interface SyncState {
  path: string;
  /** The catalog id typed for a folder (asked when its name is too generic). */
  catalogId: string;
  /** The last check said this folder needs an id: the id field is shown, with that sentence. */
  idQuestion: string | null;
  /** The user asked to sync this folder under another id than the one remembered or taken from its name. */
  changingId: boolean;
  adopt: boolean;
  confirmArchive: boolean;
  preview: SyncReportView | null;
  result: SyncReportView | null;
  takeCatalog: Set<string>;
  progress: ProgressEvent | null;
  busy: boolean;
  error: LifeboatErrorShape | null;
  setPath: (path: string) => void;
  setCatalogId: (id: string) => void;
  /** Shows the id field, filled with the id the last check used, to sync the folder under another. */
  changeId: () => void;
  check: () => Promise<void>;
  setAdopt: (adopt: boolean) => Promise<void>;
  setConfirmArchive: (confirm: boolean) => void;
  toggleConflict: (key: string) => void;
  apply: () => Promise<void>;
}

export const useSyncStore = create<SyncState>((set, get) => {
  const target = () => {
    const id = get().catalogId.trim();
    return { path: get().path.trim(), ...(id ? { catalogId: id } : {}), ...(get().adopt ? { adopt: true } : {}) };
  };
  return {
    path: '',
    catalogId: '',
    idQuestion: null,
    changingId: false,
    adopt: false,
    confirmArchive: false,
    preview: null,
    result: null,
    takeCatalog: new Set(),
    progress: null,
    busy: false,
    error: null,
    setPath: (path) => {
      set({ path, catalogId: '', idQuestion: null, changingId: false, adopt: false, confirmArchive: false, preview: null, result: null, error: null });
    },
    setCatalogId: (catalogId) => {
      set({ catalogId, preview: null, result: null, error: null });
    },
    changeId: () => {
      const current = get().preview ?? get().result;
      set({ changingId: true, catalogId: current?.catalogId ?? get().catalogId, preview: null, result: null, error: null });
    },
    check: async () => {
      set({ busy: true, error: null, preview: null, result: null, takeCatalog: new Set(), confirmArchive: false });
      const result = await invoke('catalog:sync', { ...target(), dryRun: true });
      if (result.ok) {
        set({ preview: result.value, busy: false });
      } else if (result.error.code === 'CATALOG_ID_REQUIRED') {
        set({ idQuestion: result.error.message, busy: false });
      } else {
        set({ error: result.error, busy: false });
      }
    },
    setAdopt: async (adopt) => {
      set({ adopt });
      await get().check();
    },
    setConfirmArchive: (confirmArchive) => {
      set({ confirmArchive });
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
        const result = await invoke('catalog:sync', {
          ...target(),
          takeCatalog: [...get().takeCatalog],
          ...(get().confirmArchive ? { confirmArchive: true } : {}),
        });
        set(result.ok ? { result: result.value, preview: null, busy: false } : { error: result.error, busy: false });
      } finally {
        unsubscribe?.();
      }
    },
  };
});
