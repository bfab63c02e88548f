/**
 * Banners the member dismissed (issue 19, item 8), per vault and kind, kept
 * in memory only (docs/window.md, "Banners"). A dismissal covers the
 * banner's exact text: when what it says changes, it comes back. A critical
 * banner (failed unlock attempts) is news at every unlock: its dismissal
 * lasts until the vault locks. The others last until the window closes.
 * Nothing read from the vault is kept here, only the vault's id and the
 * banner's own sentence.
 */
import { create } from 'zustand';

export type BannerKind = 'demo' | 'insecure-kdf' | 'failed-attempts';

/** Kinds whose dismissal lasts only until the vault locks. */
export const CRITICAL_BANNERS: ReadonlySet<BannerKind> = new Set<BannerKind>(['failed-attempts']);

/** One dismissal: this vault, this kind of banner, saying exactly this. */
export function bannerKey(vaultId: string, kind: BannerKind, text: string): string {
  return JSON.stringify([vaultId, kind, text]);
}

export interface BannerState {
  dismissed: ReadonlySet<string>;
  /** Dismissals of critical banners, forgotten on lock (forget-on-lock.ts). */
  dismissedUntilLock: ReadonlySet<string>;
  dismiss: (kind: BannerKind, key: string) => void;
  isDismissed: (key: string) => boolean;
  forgetCritical: () => void;
}

export const useBannerStore = create<BannerState>((set, get) => ({
  dismissed: new Set<string>(),
  dismissedUntilLock: new Set<string>(),
  dismiss: (kind, key) => {
    if (CRITICAL_BANNERS.has(kind)) {
      set({ dismissedUntilLock: new Set([...get().dismissedUntilLock, key]) });
    } else {
      set({ dismissed: new Set([...get().dismissed, key]) });
    }
  },
  isDismissed: (key) => get().dismissed.has(key) || get().dismissedUntilLock.has(key),
  forgetCritical: () => {
    set({ dismissedUntilLock: new Set<string>() });
  },
}));
