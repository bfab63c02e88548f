/**
 * Catalog sync: check (dry run) → review the diff and conflicts → apply with progress.
 * A folder is an owner's unsigned sync: a generic folder name (docs…) is no
 * catalog id, so the check asks for one (CATALOG_ID_REQUIRED) and main
 * remembers it for that folder once applied (issue 17). Adopting an unsigned
 * import's records and archiving more than a quarter of a catalog are the
 * user's explicit choices, sent with the request.
 *
 * Issue 19: the check and the apply both show main's progress (phases with
 * counts: files read, verified, parsed, compared, changes applied); the
 * check's word diff is kept for the applied result (the vault side is gone
 * by then); an owner fixes a downgrade (with a reason, logged) or an
 * untrusted publisher (the key given must be the one the catalog names)
 * from the error itself.
 */
import { create } from 'zustand';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { ProgressEvent } from '../../../shared/progress';
import type { FieldDiffView, SyncReportView } from '../../../shared/vault-contract';
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
  /** The phases main finished for the last check or apply, each with its counts. */
  steps: string[];
  /** The check's word diff per change key, kept for the applied result. */
  reviewed: Readonly<Record<string, FieldDiffView[]>>;
  /** An owner allowed an older version, with this reason (sent with check and apply; logged). */
  downgradeReason: string | null;
  /** The publisher trusted from this catalog's error (name and key id), for the sentence that says so. */
  trusted: { name: string; keyId: string } | null;
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
  allowDowngrade: (reason: string) => Promise<void>;
  /** Null once trusted (the check runs again); else why not, for the form to show. */
  trustPublisher: (publicKey: string, name: string) => Promise<LifeboatErrorShape | null>;
}

/** A finished phase when the count moved on; the apply's running count replaces its own last line. */
export function nextSteps(steps: readonly string[], previous: ProgressEvent | null, event: ProgressEvent): string[] {
  if (event.label === 'Done') {
    return [...steps];
  }
  const movedOn = previous === null ? event.done > 0 : event.done > previous.done || (event.total !== previous.total && event.done > 0);
  if (!movedOn) {
    return [...steps];
  }
  const last = steps.at(-1);
  if (last?.startsWith('Applied ') && event.label.startsWith('Applied ')) {
    return [...steps.slice(0, -1), event.label];
  }
  return [...steps, event.label];
}

export const useSyncStore = create<SyncState>((set, get) => {
  const target = () => {
    const id = get().catalogId.trim();
    const reason = get().downgradeReason;
    return {
      path: get().path.trim(),
      ...(id ? { catalogId: id } : {}),
      ...(get().adopt ? { adopt: true } : {}),
      ...(reason ? { allowDowngrade: true, downgradeReason: reason } : {}),
    };
  };
  /** Runs `work` with main's progress events for the sync shown as they come. */
  const withProgress = async <T>(work: () => Promise<T>): Promise<T> => {
    set({ progress: null, steps: [] });
    const unsubscribe = lifeboatApi()?.onProgress((event) => {
      if (event.taskId === 'catalog-sync') {
        set({ steps: nextSteps(get().steps, get().progress, event), progress: event });
      }
    });
    try {
      return await work();
    } finally {
      unsubscribe?.();
    }
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
    steps: [],
    reviewed: {},
    downgradeReason: null,
    trusted: null,
    busy: false,
    error: null,
    setPath: (path) => {
      set({
        path,
        catalogId: '',
        idQuestion: null,
        changingId: false,
        adopt: false,
        confirmArchive: false,
        preview: null,
        result: null,
        error: null,
        steps: [],
        downgradeReason: null,
        trusted: null,
      });
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
      const result = await withProgress(() => invoke('catalog:sync', { ...target(), dryRun: true }));
      if (result.ok) {
        const { changed, conflicts } = result.value.diff;
        const reviewed = Object.fromEntries([...changed, ...conflicts].flatMap((c) => (c.content ? [[c.key, c.content] as const] : [])));
        set({ preview: result.value, reviewed, busy: false });
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
      set({ busy: true, error: null });
      const result = await withProgress(() =>
        invoke('catalog:sync', {
          ...target(),
          takeCatalog: [...get().takeCatalog],
          ...(get().confirmArchive ? { confirmArchive: true } : {}),
        }),
      );
      set(result.ok ? { result: result.value, preview: null, busy: false } : { error: result.error, busy: false });
    },
    allowDowngrade: async (reason) => {
      set({ downgradeReason: reason.trim() });
      await get().check();
    },
    trustPublisher: async (publicKey, name) => {
      set({ busy: true });
      const result = await invoke('catalog:trust', { publicKey: publicKey.trim(), name: name.trim(), catalogPath: get().path.trim() });
      if (!result.ok) {
        set({ busy: false });
        return result.error;
      }
      set({ trusted: result.value, busy: false });
      await get().check();
      return null;
    },
  };
});
