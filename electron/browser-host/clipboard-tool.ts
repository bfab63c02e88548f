/**
 * The system clipboard for the browser host (issue 19, item 3): Chromium's
 * own clipboard is out of reach of main, so main runs the desktop's
 * clipboard tool, the first found on PATH of wl-copy (under Wayland), xclip
 * and xsel. The text goes to the tool on stdin, never in its arguments (any
 * user of the laptop can read another process's argv in /proc). No tool:
 * noClipboard(), and the window says so before anything is logged.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import { childEnvironment } from '../chromium/chromium-runtime.js';
import { noClipboard, type SecretClipboard } from '../operations/secret-clipboard.js';

export interface ClipboardTool {
  name: 'wl-copy' | 'xclip' | 'xsel';
  /** Takes the text on stdin. */
  write: readonly string[];
  /** The program and arguments that print the clipboard. */
  read: { program: string; args: readonly string[] };
  /** Arguments that empty the clipboard; absent: write an empty text. */
  clear?: readonly string[];
}

const TOOLS: readonly ClipboardTool[] = [
  { name: 'wl-copy', write: [], read: { program: 'wl-paste', args: ['--no-newline'] }, clear: ['--clear'] },
  { name: 'xclip', write: ['-selection', 'clipboard', '-in'], read: { program: 'xclip', args: ['-selection', 'clipboard', '-out'] } },
  { name: 'xsel', write: ['--clipboard', '--input'], read: { program: 'xsel', args: ['--clipboard', '--output'] }, clear: ['--clipboard', '--delete'] },
];

/** A tool that does not answer within this long is killed: a copy must not hang the window. */
const TOOL_TIMEOUT_MS = 3000;
/** More than any text we copy: a tool that prints more is not a clipboard. */
const MAX_READ_BYTES = 1 << 20;

/** The executable of that name in one of PATH's folders (absolute folders only: a relative one is the vault's, or anyone's). */
export function findOnPath(program: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) {
      continue;
    }
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) {
        return candidate;
      }
    } catch {
      // Not here: the next folder.
    }
  }
  return null;
}

/** The clipboard tool this laptop has, in the order above; wl-copy only in a Wayland session. */
export function findClipboardTool(env: NodeJS.ProcessEnv): { tool: ClipboardTool; path: string; readPath: string } | null {
  for (const tool of TOOLS) {
    if (tool.name === 'wl-copy' && !env['WAYLAND_DISPLAY']) {
      continue;
    }
    const path = findOnPath(tool.name, env);
    const readPath = tool.read.program === tool.name ? path : findOnPath(tool.read.program, env);
    if (path && readPath) {
      return { tool, path, readPath };
    }
  }
  return null;
}

function failed(tool: string, what: string): LifeboatError {
  return new LifeboatError('CLIPBOARD_FAILED', `The clipboard tool ${tool} ${what}: the clipboard may not hold what you copied.`);
}

/**
 * Runs the tool with `input` on stdin. Done when the tool exits, not when its
 * pipes close: xclip and wl-copy leave a child behind to serve the text.
 */
function runWithInput(name: string, path: string, args: readonly string[], input: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, [...args], { stdio: ['pipe', 'ignore', 'ignore'], env, detached: false });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(failed(name, 'did not answer'));
    }, TOOL_TIMEOUT_MS);
    child.on('error', () => {
      clearTimeout(timer);
      reject(failed(name, 'could not start'));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve();
      } else {
        reject(failed(name, `failed (exit ${String(code)})`));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function runForOutput(name: string, path: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, [...args], { stdio: ['ignore', 'pipe', 'ignore'], env });
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(failed(name, 'did not answer'));
    }, TOOL_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_READ_BYTES) {
        chunks.push(chunk);
      }
    });
    child.on('error', () => {
      clearTimeout(timer);
      reject(failed(name, 'could not start'));
    });
    child.on('close', () => {
      clearTimeout(timer);
      // An empty clipboard makes some tools exit non-zero: either way it does not hold our text.
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** The system clipboard through the tool found on PATH, or noClipboard() when there is none. */
export function toolClipboard(env: NodeJS.ProcessEnv): SecretClipboard {
  const found = findClipboardTool(env);
  if (!found) {
    return noClipboard();
  }
  const { tool, path, readPath } = found;
  // The tool gets the desktop's variables (DISPLAY, WAYLAND_DISPLAY), never a passphrase from ours.
  const toolEnv = childEnvironment(env);
  return {
    kind: 'system',
    write: (text) => runWithInput(tool.name, path, tool.write, text, toolEnv),
    read: () => runForOutput(tool.read.program, readPath, tool.read.args, toolEnv),
    clear: () => runWithInput(tool.name, path, tool.clear ?? tool.write, '', toolEnv),
  };
}
