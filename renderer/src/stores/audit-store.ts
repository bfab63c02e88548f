/** The audit timeline, its verification, and export (owners and auditors). */
import { create } from 'zustand';
import type { AuditExportFormat } from '../../../shared/audit-export-formats';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { AuditEntryView } from '../../../shared/vault-contract';
import { chooseDestination } from '../destination';
import { invoke } from '../lifeboat-client';

export interface AuditState {
  entries: AuditEntryView[];
  checks: string[] | null;
  verifiedRecords: number;
  exportedTo: string | null;
  /** The format of the last export, for what to say about checking it. */
  exportedFormat: AuditExportFormat;
  error: LifeboatErrorShape | null;
  busy: boolean;
  load: () => Promise<void>;
  verify: () => Promise<void>;
  /** Exports in `format` where the member chooses: main's dialog in the desktop shell, else `typed`. */
  exportTo: (typed: string, format?: AuditExportFormat) => Promise<void>;
}

export const useAuditStore = create<AuditState>((set) => ({
  entries: [],
  checks: null,
  verifiedRecords: 0,
  exportedTo: null,
  exportedFormat: 'lifeboat',
  error: null,
  busy: false,
  load: async () => {
    const result = await invoke('audit:list', {});
    set(result.ok ? { entries: [...result.value].reverse(), error: null } : { error: result.error });
  },
  verify: async () => {
    set({ busy: true, checks: null });
    const result = await invoke('audit:verify', {});
    set(result.ok ? { checks: result.value.checks, verifiedRecords: result.value.records, error: null, busy: false } : { error: result.error, busy: false });
  },
  exportTo: async (typed, format = 'lifeboat') => {
    set({ busy: true, exportedTo: null });
    const chosen = await chooseDestination('export', typed, { subject: 'audit-export', format });
    if (chosen === 'cancelled' || 'error' in chosen) {
      set({ busy: false, error: chosen === 'cancelled' ? null : chosen.error });
      return;
    }
    const result = await invoke('audit:export', { to: chosen.to, format });
    set(result.ok ? { exportedTo: result.value.path, exportedFormat: result.value.format, error: null, busy: false } : { error: result.error, busy: false });
  },
}));
