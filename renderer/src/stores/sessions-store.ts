/**
 * Recovery sessions (exercises and real incidents): the list, the one being
 * run or reviewed, its evidence report, and exports. Every change returns the
 * engine's refreshed session, so the screen never guesses a time or a name.
 */
import { create } from 'zustand';
import { can } from '../../../shared/permissions';
import type { LifeboatErrorShape, Result } from '../../../shared/errors';
import type { RecordSummary } from '../../../shared/records';
import type { EvidenceReport, JournalKind, RecoverySession, ReportFormat, SessionKind, SessionSummary } from '../../../shared/recovery';
import { chooseDestination } from '../destination';
import { invoke } from '../lifeboat-client';
import { useSessionStore } from './session-store';

export interface ExportDone {
  format: ReportFormat;
  path: string;
  bytes: number;
}

export interface SessionsState {
  list: SessionSummary[];
  listLoaded: boolean;
  /** Services to choose from when starting (records:list type service). */
  services: RecordSummary[];
  /** The session on screen; remembered while the member visits other tabs. */
  openId: string | null;
  current: RecoverySession | null;
  report: EvidenceReport | null;
  exported: ExportDone | null;
  busy: boolean;
  error: LifeboatErrorShape | null;
  load: () => Promise<void>;
  loadServices: () => Promise<void>;
  open: (id: string, withReport: boolean) => Promise<void>;
  close: () => void;
  start: (kind: SessionKind, scenario: string, services: string[]) => Promise<boolean>;
  step: (serviceId: string, index: number, done: boolean) => Promise<boolean>;
  check: (serviceId: string, index: number, passed: boolean, note?: string) => Promise<boolean>;
  journal: (kind: JournalKind, text: string, serviceId?: string) => Promise<boolean>;
  /** A commander counts a waiting service useful (issue 19): logged with the reason. */
  override: (serviceId: string, reason: string) => Promise<boolean>;
  end: () => Promise<boolean>;
  rotated: (recordId: string) => Promise<boolean>;
  /** Exports where the member chooses: main's save dialog in the desktop shell, else `typed`. */
  exportTo: (format: ReportFormat, typed: string) => Promise<boolean>;
  clearError: () => void;
  reset: () => void;
}

const EMPTY = {
  list: [],
  listLoaded: false,
  services: [],
  openId: null,
  current: null,
  report: null,
  exported: null,
  busy: false,
  error: null,
} satisfies Partial<SessionsState>;

/**
 * The engine reads a session, awaits the audit log, then saves it: two changes
 * in flight at once would each save over the other, losing a tick the log
 * already recorded (and two log writes at once can share a sequence number).
 * So changes go one at a time, in the order they were made.
 */
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

export const useSessionsStore = create<SessionsState>((set, get) => {
  /** Applies one change to the open session; on SESSION_ENDED shows the frozen session. */
  const change = (request: (id: string) => Promise<Result<RecoverySession>>): Promise<boolean> => {
    // The session the member was looking at when they acted, even if the change waits its turn.
    const id = get().openId;
    if (id === null) {
      return Promise.resolve(false);
    }
    return serially(async () => {
      set({ busy: true });
      const result = await request(id);
      if (get().openId !== id) {
        set({ busy: false });
        return false;
      }
      if (result.ok) {
        set({ current: result.value, busy: false, error: null });
        return true;
      }
      set({ busy: false });
      if (result.error.code === 'SESSION_ENDED') {
        // Ended elsewhere: show it frozen (and its report, to those who may see it), then say why.
        const role = useSessionStore.getState().session?.role;
        await get().open(id, role !== undefined && can(role, 'sessions.lead'));
      }
      set({ error: result.error });
      return false;
    });
  };

  return {
    ...EMPTY,

    load: async () => {
      const result = await invoke('sessions:list', {});
      set(result.ok ? { list: result.value, listLoaded: true } : { error: result.error, listLoaded: true });
    },

    loadServices: async () => {
      const result = await invoke('records:list', { type: 'service' });
      set(result.ok ? { services: [...result.value].sort((a, b) => a.title.localeCompare(b.title)) } : { error: result.error });
    },

    open: async (id, withReport) => {
      // Re-opening the session on screen refreshes it in place (no flash of "opening").
      set(get().openId === id ? { error: null } : { openId: id, current: null, report: null, exported: null, error: null });
      const result = await invoke('sessions:get', { id });
      if (get().openId !== id) {
        return;
      }
      if (!result.ok) {
        set({ error: result.error });
        return;
      }
      set({ current: result.value });
      if (withReport && result.value.status === 'ended') {
        const report = await invoke('sessions:report', { id });
        if (get().openId === id) {
          set(report.ok ? { report: report.value } : { error: report.error });
        }
      }
    },

    close: () => {
      set({ openId: null, current: null, report: null, exported: null, error: null });
      void get().load();
    },

    start: (kind, scenario, services) =>
      serially(async () => {
        set({ busy: true, error: null });
        const result = await invoke('sessions:start', { kind, scenario, services });
        if (!result.ok) {
          set({ busy: false, error: result.error });
          return false;
        }
        set({ busy: false, openId: result.value.id, current: result.value, report: null, exported: null });
        return true;
      }),

    step: (serviceId, index, done) => change((id) => invoke('sessions:step', { id, serviceId, index, done })),

    check: (serviceId, index, passed, note) =>
      change((id) => invoke('sessions:check', { id, serviceId, index, passed, ...(note === undefined ? {} : { note }) })),

    journal: (kind, text, serviceId) => change((id) => invoke('sessions:journal', { id, kind, text, ...(serviceId === undefined ? {} : { serviceId }) })),

    override: (serviceId, reason) => change((id) => invoke('sessions:override', { id, serviceId, reason })),

    end: async () => {
      const ended = await change((id) => invoke('sessions:end', { id }));
      const id = get().openId;
      if (ended && id !== null) {
        const report = await invoke('sessions:report', { id });
        if (get().openId === id) {
          set(report.ok ? { report: report.value } : { error: report.error });
        }
      }
      return ended;
    },

    rotated: (recordId) => {
      const id = get().openId;
      if (id === null) {
        return Promise.resolve(false);
      }
      return serially(async () => {
        set({ busy: true });
        const result = await invoke('sessions:rotated', { id, recordId });
        if (get().openId !== id) {
          set({ busy: false });
          return false;
        }
        set(result.ok ? { report: result.value, busy: false, error: null } : { busy: false, error: result.error });
        return result.ok;
      });
    },

    // An export is logged too, so it waits its turn like every other change.
    exportTo: async (format, typed) => {
      const id = get().openId;
      if (id === null) {
        return false;
      }
      const chosen = await chooseDestination('report', typed, { subject: 'evidence-report', format });
      if (chosen === 'cancelled' || 'error' in chosen) {
        set(chosen === 'cancelled' ? {} : { error: chosen.error });
        return false;
      }
      return serially(async () => {
        set({ busy: true, exported: null });
        const result = await invoke('sessions:export', { id, format, to: chosen.to });
        if (get().openId !== id) {
          set({ busy: false });
          return result.ok;
        }
        set(result.ok ? { exported: { format, ...result.value }, busy: false, error: null } : { busy: false, error: result.error });
        return result.ok;
      });
    },

    clearError: () => {
      set({ error: null });
    },

    reset: () => {
      set({ ...EMPTY });
    },
  };
});

// Nothing of one member's session view may outlive the lock (the next member may see less).
useSessionStore.subscribe((state, previous) => {
  if (previous.session !== null && state.session === null) {
    useSessionsStore.getState().reset();
  }
});
