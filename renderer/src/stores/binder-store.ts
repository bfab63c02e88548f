/**
 * The printed binder on the window's side (issue #21): what to print, its
 * contents page as a preview, where it was written, and the answer for a
 * pasted page code. Forgotten on lock with every other vault store
 * (forget-on-lock.ts). No sealed value ever reaches this store.
 */
import { create } from 'zustand';
import type { BinderContents, PageCheckView } from '../../../shared/binder-contract';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { chooseDestination } from '../destination';
import { invoke } from '../lifeboat-client';

export type BinderChoice = { search: string } | { services: string[] } | { all: true };

interface BinderState {
  /** The choice the preview shows: printing prints exactly this. */
  previewed: BinderChoice | null;
  contents: BinderContents | null;
  written: { path: string; bytes: number; records: number } | null;
  check: PageCheckView | null;
  error: LifeboatErrorShape | null;
  checkError: LifeboatErrorShape | null;
  busy: boolean;
  preview: (choice: BinderChoice) => Promise<void>;
  print: (typed: string) => Promise<void>;
  verify: (code: string) => Promise<void>;
  discardPreview: () => void;
}

export const useBinderStore = create<BinderState>((set, get) => ({
  previewed: null,
  contents: null,
  written: null,
  check: null,
  error: null,
  checkError: null,
  busy: false,

  preview: async (choice) => {
    set({ busy: true, error: null, written: null, contents: null, previewed: null });
    const result = await invoke('binder:preview', { choice });
    set(result.ok ? { busy: false, contents: result.value, previewed: choice } : { busy: false, error: result.error });
  },

  print: async (typed) => {
    const choice = get().previewed;
    if (!choice) {
      return;
    }
    set({ busy: true, error: null, written: null });
    const chosen = await chooseDestination('binder', typed);
    if (chosen === 'cancelled' || 'error' in chosen) {
      set({ busy: false, error: chosen === 'cancelled' ? null : chosen.error });
      return;
    }
    const result = await invoke('binder:print', { choice, to: chosen.to });
    set(
      result.ok
        ? { busy: false, written: { path: result.value.path, bytes: result.value.bytes, records: result.value.summary.records } }
        : { busy: false, error: result.error },
    );
  },

  verify: async (code) => {
    set({ checkError: null, check: null });
    const result = await invoke('binder:verify', { code: code.trim() });
    set(result.ok ? { check: result.value } : { checkError: result.error });
  },

  discardPreview: () => {
    set({ contents: null, previewed: null, written: null, error: null });
  },
}));
