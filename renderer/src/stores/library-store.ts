/**
 * What the member is looking at: the record list, search results, the open
 * record, and a revealed secret (which hides itself after 30 seconds).
 */
import { create } from 'zustand';
import { NO_CLIPBOARD_MESSAGE } from '../../../shared/clipboard';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { RecordSummary, RecordType, RecordView } from '../../../shared/records';
import type { SearchHitSchema } from '../../../shared/vault-contract';
import type { z } from 'zod';
import { invoke } from '../lifeboat-client';
import { sealedCopyKey, useClipboardStore } from './clipboard-store';

export type SearchHit = z.output<typeof SearchHitSchema>;

export const REVEAL_SECONDS = 30;
export const RECENT_LIMIT = 5;

/** A pause this long after the last keystroke settles the search: it is logged (docs/security.md, "Every read is accounted for"). */
export const SEARCH_SETTLE_MS = 1500;
let settleTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Bumped by reset() (the vault locked, another member came in): an answer to
 * a request sent before it must not land in the store after it, or a record
 * opened just before a lock would be held, and shown to the next member.
 */
let generation = 0;
/** The settle request on its way, if any: Enter waits for it rather than sending another. */
let settling: Promise<void> | null = null;

function cancelSettle(): void {
  if (settleTimer !== undefined) {
    clearTimeout(settleTimer);
    settleTimer = undefined;
  }
}

export interface Revealed {
  recordId: string;
  field: string;
  value: string;
  hideAt: number;
}

export interface LibraryState {
  records: RecordSummary[];
  query: string;
  typeFilter: RecordType | null;
  hits: SearchHit[] | null;
  /** The query as searched when words of it were corrected ("Showing results for …"), else null. */
  corrected: string | null;
  /** Search the query as typed, without correction (the member asked for it). */
  exact: boolean;
  /** Searches the current query again as typed. */
  searchAsTyped: () => Promise<void>;
  selected: RecordView | null;
  /** The records opened in this session, newest first (at most RECENT_LIMIT): the home's "Recently opened". Forgotten on lock. */
  recent: Pick<RecordSummary, 'id' | 'type' | 'title'>[];
  revealed: Revealed | null;
  error: LifeboatErrorShape | null;
  load: () => Promise<void>;
  search: (query: string) => Promise<void>;
  /**
   * The query the member settled on (Enter, opening a hit, a pause): main
   * logs it once, with the records whose text the results show. Results
   * while typing are not logged; a query is settled once.
   */
  settleSearch: () => Promise<void>;
  settled: string | null;
  /** Enter in the search box: settles the query and opens its first hit, if it has one. */
  openTopHit: () => Promise<void>;
  setTypeFilter: (type: RecordType | null) => Promise<void>;
  open: (id: string) => Promise<void>;
  close: () => void;
  reveal: (field: string, reason: string) => Promise<boolean>;
  copy: (field: string, reason: string) => Promise<boolean>;
  hide: () => void;
  reset: () => void;
}

export const useLibraryStore = create<LibraryState>((set, get) => ({
  records: [],
  query: '',
  typeFilter: null,
  hits: null,
  corrected: null,
  exact: false,
  selected: null,
  recent: [],
  revealed: null,
  error: null,
  settled: null,

  load: async () => {
    const { typeFilter } = get();
    const sent = generation;
    const result = await invoke('records:list', typeFilter ? { type: typeFilter } : {});
    if (sent !== generation) {
      return;
    }
    set(result.ok ? { records: result.value, error: null } : { error: result.error });
  },

  search: async (query) => {
    // A new query is corrected again; the same one keeps the member's "as typed".
    set(query === get().query ? { query } : { query, exact: false });
    cancelSettle();
    if (query.trim() === '') {
      set({ hits: null, corrected: null });
      return;
    }
    settleTimer = setTimeout(() => {
      settleTimer = undefined;
      void get().settleSearch();
    }, SEARCH_SETTLE_MS);
    const { typeFilter, exact } = get();
    const sent = generation;
    const result = await invoke('records:search', { query, ...(typeFilter ? { type: typeFilter } : {}), ...(exact ? { exact } : {}) });
    // Only the answer to the latest query may land (typing is faster than answers).
    if (get().query === query && sent === generation) {
      set(result.ok ? { hits: result.value.hits, corrected: result.value.corrected, error: null } : { error: result.error });
    }
  },

  searchAsTyped: async () => {
    set({ exact: true, settled: null });
    await get().search(get().query);
  },

  settleSearch: async () => {
    cancelSettle();
    const { query, typeFilter, settled, exact } = get();
    const key = `${typeFilter ?? ''}\u0000${exact ? 'exact' : ''}\u0000${query.trim()}`;
    if (query.trim() === '') {
      return;
    }
    if (settled === key) {
      await settling;
      return;
    }
    set({ settled: key });
    const sent = generation;
    const request = invoke('records:search-settled', { query, ...(typeFilter ? { type: typeFilter } : {}), ...(exact ? { exact } : {}) }).then((result) => {
      if (get().query === query && sent === generation) {
        set(result.ok ? { hits: result.value.hits, corrected: result.value.corrected, error: null } : { error: result.error, settled: null });
      }
    });
    settling = request;
    await request;
    if (settling === request) {
      settling = null;
    }
  },

  openTopHit: async () => {
    const { query } = get();
    await get().settleSearch();
    // The settled answer is for this query (a later keystroke wins: nothing opens then).
    const top = get().query === query ? get().hits?.[0] : undefined;
    if (top) {
      await get().open(top.id);
    }
  },

  setTypeFilter: async (type) => {
    set({ typeFilter: type });
    await get().load();
    await get().search(get().query);
  },

  open: async (id) => {
    // Opening a hit settles the search that found it. Not awaited: main runs requests one at a
    // time in the order sent, so the search is still logged before the open, and the record
    // appears as quickly as before.
    if (get().hits !== null) {
      void get().settleSearch();
    }
    const sent = generation;
    const result = await invoke('records:open', { id });
    if (sent !== generation) {
      return;
    }
    if (!result.ok) {
      set({ error: result.error });
      return;
    }
    const { id: openedId, type, title } = result.value;
    const recent = [{ id: openedId, type, title }, ...get().recent.filter((r) => r.id !== openedId)].slice(0, RECENT_LIMIT);
    set({ selected: result.value, recent, revealed: null, error: null });
  },

  close: () => {
    set({ selected: null, revealed: null });
  },

  reveal: async (field, reason) => {
    const selected = get().selected;
    if (!selected) {
      return false;
    }
    const result = await invoke('secret:reveal', { id: selected.id, field, reason });
    if (!result.ok) {
      set({ error: result.error });
      return false;
    }
    set({ revealed: { recordId: selected.id, field, value: result.value.value, hideAt: Date.now() + REVEAL_SECONDS * 1000 }, error: null });
    return true;
  },

  copy: async (field, reason) => {
    const selected = get().selected;
    if (!selected) {
      return false;
    }
    const clipboard = useClipboardStore.getState();
    // No clipboard: say so before anything is logged (main would refuse too, before the log).
    if (!(await clipboard.ensureAvailable())) {
      set({ error: { code: 'CLIPBOARD_UNAVAILABLE', message: NO_CLIPBOARD_MESSAGE } });
      return false;
    }
    const result = await invoke('secret:copy', { id: selected.id, field, reason });
    if (!result.ok) {
      set({ error: result.error });
      return false;
    }
    clipboard.copied(sealedCopyKey(selected.id, field), result.value.clearsInSeconds);
    set({ error: null });
    return true;
  },

  hide: () => {
    set({ revealed: null });
  },

  reset: () => {
    generation += 1;
    settling = null;
    cancelSettle();
    set({
      settled: null,
      records: [],
      query: '',
      hits: null,
      corrected: null,
      exact: false,
      selected: null,
      recent: [],
      revealed: null,
      error: null,
      typeFilter: null,
    });
  },
}));
