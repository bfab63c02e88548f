/**
 * App-level state: which host runs us and whether the engine passed its
 * self-test. Later concerns (session, library, audit, sync) get their own stores.
 */
import { create } from 'zustand';
import type { AppInfo, EngineStatus } from '../../../shared/contract';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { ProgressEvent } from '../../../shared/progress';
import { invoke, lifeboatApi } from '../lifeboat-client';

/** The workspace's tabs (App.tsx shows those the member's role allows). */
export type View = 'library' | 'plan' | 'readiness' | 'sessions' | 'audit' | 'sync' | 'members';

export interface AppState {
  view: View;
  /** Any screen may send the member to another (a graph node to its runbook, home to a running session). */
  setView: (view: View) => void;
  info: AppInfo | null;
  engine: EngineStatus | null;
  checking: boolean;
  progress: ProgressEvent | null;
  error: LifeboatErrorShape | null;
  loadInfo: () => Promise<void>;
  checkEngine: () => Promise<void>;
}

export const useAppStore = create<AppState>((set, get) => ({
  view: 'library',
  setView: (view) => {
    set({ view });
  },
  info: null,
  engine: null,
  checking: false,
  progress: null,
  error: null,

  loadInfo: async () => {
    const result = await invoke('app:info', {});
    set(result.ok ? { info: result.value } : { error: result.error });
  },

  checkEngine: async () => {
    if (get().checking) {
      return;
    }
    set({ checking: true, progress: null, error: null });
    const unsubscribe = lifeboatApi()?.onProgress((event) => {
      set({ progress: event });
    });
    try {
      const result = await invoke('engine:status', {});
      set(result.ok ? { engine: result.value } : { error: result.error });
    } finally {
      unsubscribe?.();
      set({ checking: false });
    }
  },
}));
