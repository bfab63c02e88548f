import { CLIPBOARD_CLEAR_SECONDS, NO_CLIPBOARD_MESSAGE } from '../../shared/clipboard.js';
import { LifeboatError } from '../../shared/errors.js';

export { CLIPBOARD_CLEAR_SECONDS, NO_CLIPBOARD_MESSAGE };

/**
 * Where a copied secret goes. The value never crosses to the renderer: main
 * puts it on the clipboard after the engine has logged the copy, and clears
 * it 30 seconds later if it is still there. The Electron shell passes
 * Electron's clipboard; the browser host a system clipboard tool found on
 * PATH (browser-host/clipboard-tool.ts), or none: then nothing is copied,
 * and nothing logged (issue 19, item 3).
 */
export interface SecretClipboard {
  /** 'none': this laptop has no clipboard Lifeboat can reach; every copy is refused before it is logged. */
  kind: 'system' | 'none';
  /** A tool runs as a child process: its write and clear finish later. */
  write(text: string): void | Promise<void>;
  /** Electron's newer clipboard API reads asynchronously, and so does a tool. */
  read(): string | Promise<string>;
  clear(): void | Promise<void>;
}

/** The browser host with no clipboard tool on PATH: reads nothing, and refuses to be written. */
export function noClipboard(): SecretClipboard {
  const refuse = (): never => {
    throw new LifeboatError('CLIPBOARD_UNAVAILABLE', NO_CLIPBOARD_MESSAGE);
  };
  return { kind: 'none', write: refuse, read: () => '', clear: () => undefined };
}

/**
 * Refuses a copy where there is no clipboard, before anything is unsealed
 * or logged: the audit log must never say a secret was copied when it went
 * nowhere.
 */
export function requireClipboard(clipboard: SecretClipboard): void {
  if (clipboard.kind === 'none') {
    throw new LifeboatError('CLIPBOARD_UNAVAILABLE', NO_CLIPBOARD_MESSAGE);
  }
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

/** A clipboard in memory, standing in for the system one in tests (unit tests, and e2e tests that read what was copied). */
export function memoryClipboard(): SecretClipboard {
  let content = '';
  return {
    kind: 'system',
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
      return target.write(text);
    },
    read: () => target.read(),
    clear: () => {
      own = null;
      return target.clear();
    },
    clearOwn: async () => {
      const copied = own;
      own = null;
      if (copied !== null && (await target.read()) === copied) {
        await target.clear();
      }
    },
  };
}

/**
 * Copies, then clears after the delay unless something else was copied
 * since. The write starts at once (a test may read the clipboard straight
 * after the call); the promise settles when a tool has taken the text.
 */
export async function copyWithExpiry(
  clipboard: VaultClipboard,
  value: string,
  schedule: (callback: () => void, ms: number) => { unref?: () => void } = setTimeout,
): Promise<void> {
  const written = clipboard.write(value);
  const copy = clipboard.writes;
  // The timer keeps the number of the write, not the value: a secret must not outlive a lock in a closure.
  const timer = schedule(() => {
    if (clipboard.writes === copy) {
      void clipboard.clearOwn();
    }
  }, CLIPBOARD_CLEAR_SECONDS * 1000);
  timer.unref?.();
  await written;
}
