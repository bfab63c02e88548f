/**
 * The auditor's window (issue #22): the filtered timeline, a page at a time
 * (filtering runs in main: shared/audit-filter.ts), saved views, and the
 * emergency-access report's preview and save.
 *
 * Saved views live in this laptop's app settings (the window's local
 * storage, one list per vault id), not in the vault: an auditor cannot write
 * to the vault, and a view is a personal shortcut made of filter criteria,
 * never anything read from the log.
 */
import { create } from 'zustand';
import type { AccessReport, AccessReportFormat } from '../../../shared/access-report';
import type { AuditPage } from '../../../shared/access-contract';
import { AUDIT_PAGE_SIZE, AuditFilterSchema, type AuditFilter, type SavedView } from '../../../shared/audit-filter';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { chooseDestination } from '../destination';
import { invoke } from '../lifeboat-client';

const VIEWS_KEY = 'lifeboat.auditViews.';

export function readSavedViews(vaultId: string): SavedView[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(VIEWS_KEY + vaultId) ?? '[]') as unknown;
    if (!Array.isArray(parsed)) {
      return [];
    }
    return parsed.flatMap((v: unknown) => {
      const view = v as { name?: unknown; filter?: unknown };
      const filter = AuditFilterSchema.safeParse(view.filter);
      return typeof view.name === 'string' && filter.success ? [{ name: view.name, filter: filter.data }] : [];
    });
  } catch {
    return [];
  }
}

function writeSavedViews(vaultId: string, views: readonly SavedView[]): void {
  localStorage.setItem(VIEWS_KEY + vaultId, JSON.stringify(views.map(({ name, filter }) => ({ name, filter }))));
}

/** Drops empty criteria, so a view saves only what it filters on. */
export function cleanFilter(filter: AuditFilter): AuditFilter {
  const out: AuditFilter = {};
  for (const [key, value] of Object.entries(filter) as [keyof AuditFilter, unknown][]) {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

export interface AuditViewState {
  filter: AuditFilter;
  page: AuditPage | null;
  loading: boolean;
  savedViews: SavedView[];
  /** The view last applied, while the filter still equals it. */
  viewName: string | null;
  report: AccessReport | null;
  reportBusy: boolean;
  savedTo: string | null;
  error: LifeboatErrorShape | null;
  generation: number;
  setFilter: (patch: Partial<AuditFilter>) => Promise<void>;
  applyView: (view: SavedView) => Promise<void>;
  loadViews: (vaultId: string) => void;
  saveView: (vaultId: string, name: string) => void;
  deleteView: (vaultId: string, name: string) => void;
  query: (more?: boolean) => Promise<void>;
  previewReport: () => Promise<void>;
  saveReport: (format: AccessReportFormat, typed: string) => Promise<void>;
}

export const useAuditViewStore = create<AuditViewState>((set, get) => ({
  filter: {},
  page: null,
  loading: false,
  savedViews: [],
  viewName: null,
  report: null,
  reportBusy: false,
  savedTo: null,
  error: null,
  generation: 0,
  setFilter: async (patch) => {
    set({ filter: cleanFilter({ ...get().filter, ...patch }), viewName: null, report: null });
    await get().query();
  },
  applyView: async (view) => {
    set({ filter: cleanFilter(view.filter), viewName: view.name, report: null });
    await get().query();
  },
  loadViews: (vaultId) => {
    set({ savedViews: readSavedViews(vaultId) });
  },
  saveView: (vaultId, name) => {
    const trimmed = name.trim();
    if (trimmed === '') {
      return;
    }
    const views = [...get().savedViews.filter((v) => v.name !== trimmed), { name: trimmed, filter: get().filter }];
    writeSavedViews(vaultId, views);
    set({ savedViews: views, viewName: trimmed });
  },
  deleteView: (vaultId, name) => {
    const views = get().savedViews.filter((v) => v.name !== name);
    writeSavedViews(vaultId, views);
    set({ savedViews: views, viewName: get().viewName === name ? null : get().viewName });
  },
  query: async (more = false) => {
    const generation = get().generation + 1;
    const offset = more ? (get().page?.entries.length ?? 0) : 0;
    set({ generation, loading: true });
    const result = await invoke('audit:query', { filter: get().filter, offset, limit: AUDIT_PAGE_SIZE });
    // A newer filter was typed meanwhile (or the vault locked): its answer wins.
    if (get().generation !== generation) {
      return;
    }
    if (!result.ok) {
      set({ error: result.error, loading: false });
      return;
    }
    const previous = get().page;
    set({
      page: more && previous ? { ...result.value, entries: [...previous.entries, ...result.value.entries] } : result.value,
      loading: false,
      error: null,
    });
  },
  previewReport: async () => {
    set({ reportBusy: true, savedTo: null });
    const { from, to } = get().filter;
    const result = await invoke('audit:access-report', { ...(from ? { from } : {}), ...(to ? { to } : {}) });
    set(result.ok ? { report: result.value, reportBusy: false, error: null } : { error: result.error, reportBusy: false });
  },
  saveReport: async (format, typed) => {
    set({ reportBusy: true, savedTo: null });
    const chosen = await chooseDestination('report', typed, { subject: 'access-report', format });
    if (chosen === 'cancelled' || 'error' in chosen) {
      set({ reportBusy: false, error: chosen === 'cancelled' ? null : chosen.error });
      return;
    }
    const { from, to } = get().filter;
    const result = await invoke('audit:access-report-save', { period: { ...(from ? { from } : {}), ...(to ? { to } : {}) }, format, to: chosen.to });
    set(result.ok ? { savedTo: result.value.path, reportBusy: false, error: null } : { error: result.error, reportBusy: false });
  },
}));
