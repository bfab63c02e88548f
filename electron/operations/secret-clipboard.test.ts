import { describe, expect, it } from 'vitest';
import { CLIPBOARD_CLEAR_SECONDS, copyWithExpiry, memoryClipboard } from './secret-clipboard.js';

function manualSchedule() {
  const pending: { callback: () => void; ms: number }[] = [];
  return { pending, schedule: (callback: () => void, ms: number) => (pending.push({ callback, ms }), {}) };
}

describe('copying a secret', () => {
  it('clears the clipboard after 30 seconds', async () => {
    const clipboard = memoryClipboard();
    const { pending, schedule } = manualSchedule();
    copyWithExpiry(clipboard, 'hunter2', schedule);
    expect(clipboard.read()).toBe('hunter2');
    expect(pending[0]?.ms).toBe(CLIPBOARD_CLEAR_SECONDS * 1000);
    pending[0]?.callback();
    await Promise.resolve();
    await Promise.resolve();
    expect(clipboard.read()).toBe('');
  });

  it('leaves alone whatever was copied since', async () => {
    const clipboard = memoryClipboard();
    const { pending, schedule } = manualSchedule();
    copyWithExpiry(clipboard, 'hunter2', schedule);
    clipboard.write('the ticket number');
    pending[0]?.callback();
    await Promise.resolve();
    await Promise.resolve();
    expect(clipboard.read()).toBe('the ticket number');
  });
});
