/**
 * Banners the member dismissed (issue 19, item 8), per vault and kind, for as
 * long as the window is open: kept in memory only, so a restart shows them
 * again (docs/window.md, "Banners"). A dismissal covers the banner's exact
 * text: when what it says changes (another failed unlock attempt), it comes
 * back. Nothing read from the vault is kept here, only the vault's id and the
 * banner's own sentence, so a lock does not forget it.
 */
import { create } from 'zustand';

export type BannerKind = 'demo' | 'insecure-kdf' | 'failed-attempts';

/** One dismissal: this vault, this kind of banner, saying exactly this. */
export function bannerKey(vaultId: string, kind: BannerKind, text: string): string {
  return JSON.stringify([vaultId, kind, text]);
}

export interface BannerState {
  dismissed: ReadonlySet<string>;
  dismiss: (key: string) => void;
}

export const useBannerStore = create<BannerState>((set, get) => ({
  dismissed: new Set<string>(),
  dismiss: (key) => {
    set({ dismissed: new Set([...get().dismissed, key]) });
  },
}));
