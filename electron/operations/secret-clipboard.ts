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

/** Copies, then clears after the delay unless something else was copied since. */
export function copyWithExpiry(
  clipboard: SecretClipboard,
  value: string,
  schedule: (callback: () => void, ms: number) => { unref?: () => void } = setTimeout,
): void {
  clipboard.write(value);
  const timer = schedule(() => {
    void Promise.resolve(clipboard.read()).then((current) => {
      if (current === value) {
        clipboard.clear();
      }
    });
  }, CLIPBOARD_CLEAR_SECONDS * 1000);
  timer.unref?.();
}
