/**
 * The unlocked vault, if any: who is in, as which role, and the idle
 * countdown. Main locks the vault itself when idle; this mirrors it so the
 * countdown is visible, and locks first when it reaches zero.
 */
import { create } from 'zustand';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { SessionInfo } from '../../../shared/vault-contract';
import { invoke } from '../lifeboat-client';

export interface SessionState {
  session: SessionInfo | null;
  busy: boolean;
  error: LifeboatErrorShape | null;
  /** Epoch ms of the last request the vault saw. */
  lastActivity: number;
  unlock: (dir: string, member: string, passphrase: string) => Promise<boolean>;
  create: (dir: string, owner: string, passphrase: string) => Promise<boolean>;
  lock: () => Promise<void>;
  demo: () => Promise<boolean>;
  touch: () => void;
  clearError: () => void;
}

export const LAST_VAULT_KEY = 'lifeboat.lastVault';

export const useSessionStore = create<SessionState>((set) => {
  const enter = async (request: Promise<Awaited<ReturnType<typeof invoke<'vault:unlock'>>>>, dir: string): Promise<boolean> => {
    set({ busy: true, error: null });
    const result = await request;
    if (result.ok) {
      localStorage.setItem(LAST_VAULT_KEY, dir);
      set({ session: result.value, busy: false, lastActivity: Date.now() });
      return true;
    }
    set({ error: result.error, busy: false });
    return false;
  };
  return {
    session: null,
    busy: false,
    error: null,
    lastActivity: Date.now(),
    unlock: (dir, member, passphrase) => enter(invoke('vault:unlock', { dir, member, passphrase }), dir),
    create: (dir, owner, passphrase) => enter(invoke('vault:create', { dir, owner, passphrase }), dir),
    demo: async () => {
      set({ busy: true, error: null });
      const result = await invoke('vault:demo', {});
      set(result.ok ? { session: result.value, busy: false, lastActivity: Date.now() } : { error: result.error, busy: false });
      return result.ok;
    },
    lock: async () => {
      await invoke('vault:lock', {});
      set({ session: null, error: null });
    },
    touch: () => {
      set({ lastActivity: Date.now() });
    },
    clearError: () => {
      set({ error: null });
    },
  };
});
