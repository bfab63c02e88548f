/**
 * The browser host's system clipboard (issue 19, item 3): the desktop's
 * clipboard tool found on PATH, the text on its stdin and never in its
 * arguments, and none at all when PATH has no tool.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPathDir, fakeClipboardTool } from '../../test/support/fake-clipboard-tool.js';
import { findClipboardTool, toolClipboard } from './clipboard-tool.js';

describe('finding the clipboard tool', () => {
  it('uses xclip or xsel from PATH, and wl-copy only in a Wayland session', () => {
    const xsel = fakeClipboardTool('xsel');
    expect(findClipboardTool({ PATH: xsel.dir })?.tool.name).toBe('xsel');
    const wayland = mkdtempSync(join(tmpdir(), 'lifeboat-wl-'));
    for (const name of ['wl-copy', 'wl-paste']) {
      writeFileSync(join(wayland, name), '#!/bin/sh\n');
      chmodSync(join(wayland, name), 0o755);
    }
    const path = `${wayland}:${xsel.dir}`;
    expect(findClipboardTool({ PATH: path })?.tool.name).toBe('xsel');
    expect(findClipboardTool({ PATH: path, WAYLAND_DISPLAY: 'wayland-0' })?.tool.name).toBe('wl-copy');
  });

  it('ignores relative PATH folders (the current folder could be anyone’s) and files that cannot run', () => {
    const tool = fakeClipboardTool();
    chmodSync(join(tool.dir, 'xclip'), 0o644);
    expect(findClipboardTool({ PATH: tool.dir })).toBeNull();
    chmodSync(join(tool.dir, 'xclip'), 0o755);
    expect(findClipboardTool({ PATH: '.' })).toBeNull();
  });
});

describe('the clipboard through a tool', () => {
  it('copies on stdin (never in the arguments), reads back and clears', async () => {
    const tool = fakeClipboardTool();
    const clipboard = toolClipboard({ PATH: tool.dir });
    expect(clipboard.kind).toBe('system');
    await clipboard.write('hunter2 with spaces');
    expect(tool.content()).toBe('hunter2 with spaces');
    expect(await clipboard.read()).toBe('hunter2 with spaces');
    await clipboard.clear();
    expect(tool.content()).toBe('');
    expect(tool.calls().join('\n')).not.toContain('hunter2');
  });

  it('says plainly when the tool fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-badclip-'));
    writeFileSync(join(dir, 'xclip'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(dir, 'xclip'), 0o755);
    await expect(Promise.resolve(toolClipboard({ PATH: dir }).write('x'))).rejects.toMatchObject({
      code: 'CLIPBOARD_FAILED',
      message: 'The clipboard tool xclip failed (exit 1): the clipboard may not hold what you copied.',
    });
  });

  it('is none when PATH has no tool: a write is refused with the sentence the window shows', () => {
    const clipboard = toolClipboard({ PATH: emptyPathDir() });
    expect(clipboard.kind).toBe('none');
    expect(() => clipboard.write('hunter2')).toThrow('No system clipboard on this laptop — select and copy by hand.');
  });
});
