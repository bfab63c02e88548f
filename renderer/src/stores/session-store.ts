/**
 * The unlocked vault, if any: who is in, and as which role. Main locks the
 * vault itself when idle; the countdown to that follows the requests main
 * sees (activity.ts). After a lock, `lastLock` is main's word for why (the
 * unlock screen says it); the next unlock by the same member goes back to
 * where they were (resume-point.ts).
 */
import { create } from 'zustand';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { LastLock, SessionInfo } from '../../../shared/vault-contract';
import { chooseDestination } from '../destination';
import { invoke, onVaultLocked } from '../lifeboat-client';
import { useLibraryStore } from './library-store';
import { captureResume, resumeAfterUnlock } from './resume-point';

export interface SessionState {
  session: SessionInfo | null;
  /** Why the vault last locked (main's word), until the next unlock. */
  lastLock: LastLock | null;
  busy: boolean;
  error: LifeboatErrorShape | null;
  unlock: (dir: string, member: string, passphrase: string) => Promise<boolean>;
  /** `typedDir` in the browser host; the desktop shell asks for the folder with main's dialog. */
  /** `name`: the vault's name; blank takes the folder's name (main decides, electron/vault/vault-name.ts). */
  create: (typedDir: string, owner: string, passphrase: string, name?: string) => Promise<boolean>;
  lock: () => Promise<void>;
  demo: () => Promise<boolean>;
  clearError: () => void;
}

export const LAST_VAULT_KEY = 'lifeboat.lastVault';
const RECENT_KEY = 'lifeboat.recentVaults';

/** Folders of vaults opened here, newest first (paths only: nothing secret). */
export function recentVaults(): string[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, 5) : [];
  } catch {
    return [];
  }
}

function rememberVault(dir: string): void {
  localStorage.setItem(LAST_VAULT_KEY, dir);
  localStorage.setItem(RECENT_KEY, JSON.stringify([dir, ...recentVaults().filter((p) => p !== dir)].slice(0, 5)));
}

export const useSessionStore = create<SessionState>((set, get) => {
  /** Asks main why the vault locked (a status is not activity: it keeps nothing open). */
  const learnWhy = async (): Promise<void> => {
    const status = await invoke('vault:status', {});
    if (status.ok && status.value.session === null) {
      set({ lastLock: status.value.lastLock });
    }
  };
  // Main locked the vault by itself: the window follows (stores forget what they read: forget-on-lock.ts).
  onVaultLocked(() => {
    if (get().session !== null) {
      set({ session: null });
      void learnWhy();
    }
  });
  const enter = async (request: () => Promise<Awaited<ReturnType<typeof invoke<'vault:unlock'>>>>): Promise<boolean> => {
    set({ busy: true, error: null });
    const result = await request();
    if (result.ok) {
      // Main's word for where the vault is (a dialog's choice never passes through a form).
      rememberVault(result.value.dir);
      set({ session: result.value, busy: false, lastLock: null });
      await resumeAfterUnlock(result.value);
      return true;
    }
    set({ error: result.error, busy: false });
    return false;
  };
  return {
    session: null,
    lastLock: null,
    busy: false,
    error: null,
    unlock: (dir, member, passphrase) => enter(() => invoke('vault:unlock', { dir, member, passphrase })),
    create: async (typedDir, owner, passphrase, name) => {
      const chosen = await chooseDestination('new-vault', typedDir);
      if (chosen === 'cancelled' || 'error' in chosen) {
        set({ error: chosen === 'cancelled' ? null : chosen.error });
        return false;
      }
      const named = name?.trim() ? { name: name.trim() } : {};
      return enter(() => invoke('vault:create', { to: chosen.to, owner, passphrase, ...named }));
    },
    demo: async () => {
      set({ busy: true, error: null });
      const result = await invoke('vault:demo', {});
      set(result.ok ? { session: result.value, busy: false, lastLock: null } : { error: result.error, busy: false });
      if (result.ok) {
        await resumeAfterUnlock(result.value);
      }
      return result.ok;
    },
    lock: async () => {
      // Where the member was is noted and the library is off the screen at once; the unlock screen
      // comes once main has locked (the vault folder is free then).
      const before = get().session;
      if (before) {
        captureResume(before);
      }
      useLibraryStore.getState().reset();
      await invoke('vault:lock', {});
      set({ session: null, error: null });
      await learnWhy();
    },
    clearError: () => {
      set({ error: null });
    },
  };
});
