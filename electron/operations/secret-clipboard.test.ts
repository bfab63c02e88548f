import { describe, expect, it } from 'vitest';
import { CLIPBOARD_CLEAR_SECONDS, copyWithExpiry, memoryClipboard, vaultClipboard } from './secret-clipboard.js';

function manualSchedule() {
  const pending: { callback: () => void; ms: number }[] = [];
  return { pending, schedule: (callback: () => void, ms: number) => (pending.push({ callback, ms }), {}) };
}

async function settle(): Promise<void> {
  await Promise.resolve();
  await Promise.resolve();
}

describe('copying a secret', () => {
  it('clears the clipboard after 30 seconds', async () => {
    const clipboard = vaultClipboard(memoryClipboard());
    const { pending, schedule } = manualSchedule();
    void copyWithExpiry(clipboard, 'hunter2', schedule);
    expect(clipboard.read()).toBe('hunter2');
    expect(pending[0]?.ms).toBe(CLIPBOARD_CLEAR_SECONDS * 1000);
    pending[0]?.callback();
    await settle();
    expect(clipboard.read()).toBe('');
  });

  it('leaves alone whatever was copied since, in the app or elsewhere', async () => {
    const system = memoryClipboard();
    const clipboard = vaultClipboard(system);
    const { pending, schedule } = manualSchedule();
    void copyWithExpiry(clipboard, 'hunter2', schedule);
    void clipboard.write('the ticket number');
    pending[0]?.callback();
    await settle();
    expect(clipboard.read()).toBe('the ticket number');

    void copyWithExpiry(clipboard, 'hunter3', schedule);
    void system.write('copied in another app');
    pending[1]?.callback();
    await settle();
    expect(system.read()).toBe('copied in another app');
  });
});

describe('clearing what the vault copied (at lock)', () => {
  it('clears text the vault put there, once, and never text copied elsewhere since', async () => {
    const system = memoryClipboard();
    const clipboard = vaultClipboard(system);
    void clipboard.write('+44 20 7946 0101');
    await clipboard.clearOwn();
    expect(system.read()).toBe('');

    void clipboard.write('hunter2');
    void system.write('copied in another app');
    await clipboard.clearOwn();
    expect(system.read()).toBe('copied in another app');
    // Forgotten: a later clear does not remember it either.
    void system.write('hunter2');
    await clipboard.clearOwn();
    expect(system.read()).toBe('hunter2');
  });
});
