/**
 * Copying from the window (issue 19, item 3): where there is no system
 * clipboard a copy is refused before anything is logged; where there is one
 * the copy is logged, then made, and cleared after 30 s if still ours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVault, refusal } from '../../test/support/test-vault.js';
import type { VaultSession } from '../vault/vault-session.js';
import { auditEntries } from './audit.js';
import { copyPlainText, copySecretField } from './clipboard-copy.js';
import { createRecord } from './records.js';
import { CLIPBOARD_CLEAR_SECONDS, memoryClipboard, noClipboard, vaultClipboard } from './secret-clipboard.js';

let session: VaultSession;
let id: string;

beforeAll(async () => {
  ({ session } = await newVault());
  ({ id } = await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'hunter2-copy' } }));
}, 60_000);

afterAll(async () => {
  await session.lock();
});

describe('copying with no system clipboard', () => {
  it('refuses a secret before unsealing or logging anything, with the sentence the window shows', async () => {
    const before = session.internals().log.size;
    const error = await refusal(copySecretField(vaultClipboard(noClipboard()), session, { id, field: 'password', reason: 'INC-7 restore' }));
    expect(error.code).toBe('CLIPBOARD_UNAVAILABLE');
    expect(error.message).toBe('No system clipboard on this laptop — select and copy by hand.');
    expect(session.internals().log.size).toBe(before);
  });

  it('refuses a phone number the same way', async () => {
    expect((await refusal(copyPlainText(vaultClipboard(noClipboard()), '+44 20 7946 0101'))).code).toBe('CLIPBOARD_UNAVAILABLE');
  });
});

describe('copying to the system clipboard', () => {
  it('logs the copy, copies, and clears after 30 s', async () => {
    const system = memoryClipboard();
    const pending: (() => void)[] = [];
    const copied = await copySecretField(
      vaultClipboard(system),
      session,
      { id, field: 'password', reason: 'INC-7 restore' },
      (callback) => (pending.push(callback), {}),
    );
    expect(copied).toEqual({ clearsInSeconds: CLIPBOARD_CLEAR_SECONDS });
    expect(system.read()).toBe('hunter2-copy');
    expect(auditEntries(session).at(-1)?.event).toMatchObject({ type: 'secret.copied', recordId: id, field: 'password', reason: 'INC-7 restore' });
    pending[0]?.();
    await expect.poll(() => system.read()).toBe('');
  });

  it('clears a copied phone number too, unless something else was copied since', async () => {
    const system = memoryClipboard();
    const pending: (() => void)[] = [];
    const schedule = (callback: () => void) => (pending.push(callback), {});
    const clipboard = vaultClipboard(system);
    await copyPlainText(clipboard, '+44 20 7946 0101', schedule);
    pending[0]?.();
    await expect.poll(() => system.read()).toBe('');
    await copyPlainText(clipboard, '+44 20 7946 0102', schedule);
    void system.write('copied in another app');
    pending[1]?.();
    await Promise.resolve();
    expect(system.read()).toBe('copied in another app');
  });
});
