/**
 * Copying from the window (issue 19, item 3): every copy goes to the system
 * clipboard through main, and the window says what happened where the copy
 * button is: "Copied — clears in 30 s" counting down, or, where main can
 * reach no clipboard, the sentence that says so (asked of main first, so a
 * secret's copy is refused before anything is logged).
 */
import { create } from 'zustand';
import { NO_CLIPBOARD_MESSAGE } from '../../../shared/clipboard';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { invoke } from '../lifeboat-client';

/** What the last copy did, shown next to the button it came from (`key`). */
export interface CopyNotice {
  key: string;
  /** Copied, with the clipboard cleared at `clearsAt` (epoch ms); or refused, with the sentence why. */
  outcome: { copied: true; clearsAt: number } | { copied: false; message: string };
}

/** The copy notice's key of a sealed field's copy button. */
export function sealedCopyKey(recordId: string, field: string): string {
  return `sealed:${recordId}:${field}`;
}

export interface ClipboardState {
  /** Whether main can reach a system clipboard; null until asked. */
  available: boolean | null;
  notice: CopyNotice | null;
  /** Asks main once whether there is a clipboard (before a copy is offered or logged). */
  ensureAvailable: () => Promise<boolean>;
  /** Non-secret text (a phone number, a command): copied through main, cleared after 30 s. */
  copyText: (key: string, text: string) => Promise<void>;
  /** A copy that main made (a sealed field): show its countdown. */
  copied: (key: string, clearsInSeconds: number) => void;
  /** A copy that did not happen: say why, where the button is. */
  refused: (key: string, error: LifeboatErrorShape) => void;
  dismiss: () => void;
}

export const useClipboardStore = create<ClipboardState>((set, get) => ({
  available: null,
  notice: null,

  ensureAvailable: async () => {
    const known = get().available;
    if (known !== null) {
      return known;
    }
    const result = await invoke('clipboard:status', {});
    const available = result.ok && result.value.available;
    set({ available });
    return available;
  },

  copyText: async (key, text) => {
    if (!(await get().ensureAvailable())) {
      set({ notice: { key, outcome: { copied: false, message: NO_CLIPBOARD_MESSAGE } } });
      return;
    }
    const result = await invoke('clipboard:copy-text', { text });
    if (result.ok) {
      get().copied(key, result.value.clearsInSeconds);
    } else {
      get().refused(key, result.error);
    }
  },

  copied: (key, clearsInSeconds) => {
    set({ notice: { key, outcome: { copied: true, clearsAt: Date.now() + clearsInSeconds * 1000 } } });
  },

  refused: (key, error) => {
    if (error.code === 'CLIPBOARD_UNAVAILABLE') {
      set({ available: false });
    }
    set({ notice: { key, outcome: { copied: false, message: error.message } } });
  },

  dismiss: () => {
    set({ notice: null });
  },
}));
