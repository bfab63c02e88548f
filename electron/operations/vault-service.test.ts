/**
 * What the open-vault holder lets go of at a lock (security issue 15): the
 * clipboard it filled is cleared, unless the person has copied something
 * else since. What stays reachable in memory is proven by
 * test/integration/lock-memory.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newVault } from '../../test/support/test-vault.js';
import { createRecord, copyField } from './records.js';
import { copyWithExpiry, memoryClipboard } from './secret-clipboard.js';
import { VaultService } from './vault-service.js';

let service: VaultService | null = null;

afterEach(async () => {
  await service?.lock();
  service = null;
});

async function withSecret(system = memoryClipboard()) {
  service = new VaultService(globalThis, undefined, system);
  const { session, dir } = await newVault();
  await service.replace(session, dir);
  const { id } = await createRecord(session, { type: 'secret', title: 'Root', data: { password: 'hunter2-lock' } });
  return { service, session, id, system };
}

describe('locking the vault', () => {
  it('clears a copied secret at once, not 30 seconds later', async () => {
    const { service, session, id, system } = await withSecret();
    await copyWithExpiry(service.clipboard, await copyField(session, id, 'password', 'INC-9 restore'));
    expect(system.read()).toBe('hunter2-lock');
    await service.lock();
    expect(system.read()).toBe('');
  });

  it('clears text the window copied from the vault, such as a phone number', async () => {
    const { service, system } = await withSecret();
    await service.clipboard.write('+44 20 7946 0101');
    await service.lock();
    expect(system.read()).toBe('');
  });

  it('leaves what the person copied elsewhere since', async () => {
    const { service, session, id, system } = await withSecret();
    await copyWithExpiry(service.clipboard, await copyField(session, id, 'password', 'INC-9 restore'));
    void system.write('INC-9 ticket link');
    await service.lock();
    expect(system.read()).toBe('INC-9 ticket link');
  });
});
