/**
 * A stand-in for a desktop clipboard tool (xclip), for the unit and e2e
 * tests of the browser host's clipboard (issue 19, item 3): a shell script
 * in a folder of its own, to put on PATH. Like xclip it reads the text from
 * stdin and prints it back with -out; it also records its arguments, so a
 * test can prove the copied text never appears in them.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeClipboardTool {
  /** The folder to put on PATH. */
  dir: string;
  /** What the clipboard holds now ('' when empty). */
  content(): string;
  /** Every argument list the tool was called with, one line per call. */
  calls(): string[];
}

export function fakeClipboardTool(name: 'xclip' | 'xsel' = 'xclip'): FakeClipboardTool {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-clip-'));
  const store = join(dir, 'clipboard.txt');
  const args = join(dir, 'calls.txt');
  // Absolute paths only: the tests put nothing but this folder on PATH.
  const script = `#!/bin/sh
printf '%s\\n' "$*" >> '${args}'
case "$*" in
  *-out*|*--output*) /bin/cat '${store}' 2>/dev/null ;;
  *--delete*) : > '${store}' ;;
  *) /bin/cat > '${store}' ;;
esac
`;
  writeFileSync(join(dir, name), script);
  chmodSync(join(dir, name), 0o755);
  return {
    dir,
    content: () => (existsSync(store) ? readFileSync(store, 'utf8') : ''),
    calls: () => (existsSync(args) ? readFileSync(args, 'utf8').split('\n').filter(Boolean) : []),
  };
}

/** A folder with no clipboard tool in it: PATH for "this laptop has none". */
export function emptyPathDir(): string {
  return mkdtempSync(join(tmpdir(), 'lifeboat-nopath-'));
}
