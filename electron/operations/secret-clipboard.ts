/**
 * Where a copied secret goes. The value never crosses to the renderer: main
 * puts it on the clipboard after the engine has logged the copy, and clears
 * it 30 seconds later if it is still there. The Electron shell passes the
 * system clipboard; the browser host cannot reach it and keeps the value in
 * a host-only clipboard (tests read it there).
 */
export interface SecretClipboard {
  kind: 'system' | 'host-only';
  write(text: string): void;
  /** Electron's newer clipboard API reads asynchronously. */
  read(): string | Promise<string>;
  clear(): void;
}

/**
 * The clipboard as the vault uses it: it remembers what it last put there,
 * so it clears only its own text (never what the person copied since, in
 * the app or elsewhere), and a lock can clear it at once (security issue 15:
 * after a lock no decrypted text stays in main, nor on the clipboard it filled).
 */
export interface VaultClipboard extends SecretClipboard {
  /** Counts writes: a timer holds this number, never the copied text. */
  readonly writes: number;
  /** Clears the clipboard if it still holds what the vault last put there; forgets that text either way. */
  clearOwn(): Promise<void>;
}

export const CLIPBOARD_CLEAR_SECONDS = 30;

export function memoryClipboard(): SecretClipboard {
  let content = '';
  return {
    kind: 'host-only',
    write: (text) => {
      content = text;
    },
    read: () => content,
    clear: () => {
      content = '';
    },
  };
}

export function vaultClipboard(target: SecretClipboard): VaultClipboard {
  let own: string | null = null;
  let writes = 0;
  return {
    kind: target.kind,
    get writes() {
      return writes;
    },
    write: (text) => {
      writes += 1;
      own = text;
      target.write(text);
    },
    read: () => target.read(),
    clear: () => {
      own = null;
      target.clear();
    },
    clearOwn: async () => {
      const copied = own;
      own = null;
      if (copied !== null && (await target.read()) === copied) {
        target.clear();
      }
    },
  };
}

/** Copies, then clears after the delay unless something else was copied since. */
export function copyWithExpiry(
  clipboard: VaultClipboard,
  value: string,
  schedule: (callback: () => void, ms: number) => { unref?: () => void } = setTimeout,
): void {
  clipboard.write(value);
  const copy = clipboard.writes;
  // The timer keeps the number of the write, not the value: a secret must not outlive a lock in a closure.
  const timer = schedule(() => {
    if (clipboard.writes === copy) {
      void clipboard.clearOwn();
    }
  }, CLIPBOARD_CLEAR_SECONDS * 1000);
  timer.unref?.();
}
