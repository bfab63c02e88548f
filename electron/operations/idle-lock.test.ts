/**
 * Main owns the idle lock (issue 19): the person's activity in the window
 * (the `vault:activity` heartbeat) and every request that reaches the vault
 * restart the timer; the status the countdown reads does not; the lock
 * screen learns why the vault locked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IDLE_NEUTRAL_CHANNELS } from '../../shared/channel-names.js';
import { idleClock } from '../../test/support/idle-clock.js';
import { newVault } from '../../test/support/test-vault.js';
import { createVaultHandlers } from '../ipc/vault-handlers.js';
import { setAutoLockMinutes } from './vault-access.js';
import { VaultService } from './vault-service.js';

const MINUTE = 60_000;
let service: VaultService | null = null;

afterEach(async () => {
  await service?.lock();
  service = null;
});

async function openWithOneMinute() {
  const clock = idleClock();
  service = new VaultService(clock);
  const { session, dir } = await newVault();
  await setAutoLockMinutes(session, 1);
  await service.replace(session, dir);
  const handlers = createVaultHandlers(service);
  const context = { progress: () => undefined } as never;
  /** Lets the lock that a due timer queued finish. */
  const settle = () => service?.exclusive(() => undefined);
  return { service, clock, handlers, context, settle };
}

describe('the idle lock in main', () => {
  it('keeps the vault open while the window reports activity every 8 s for 2 minutes (1-minute setting)', async () => {
    const { service, clock, handlers, context, settle } = await openWithOneMinute();
    for (let t = 0; t < 2 * MINUTE; t += 8000) {
      clock.advance(8000);
      await settle();
      expect(service.isUnlocked).toBe(true);
      expect(await handlers['vault:activity']({}, context)).toEqual({ unlocked: true, locksInMs: MINUTE });
    }
  });

  it('locks after the setting without activity, and says why: idle, after 1 minute', async () => {
    const { service, clock, handlers, context, settle } = await openWithOneMinute();
    clock.advance(MINUTE - 1);
    await settle();
    expect(service.isUnlocked).toBe(true);
    expect(service.locksInMs()).toBe(1);
    clock.advance(1);
    await settle();
    expect(service.isUnlocked).toBe(false);
    const status = await handlers['vault:status']({}, context);
    expect(status.session).toBeNull();
    expect(status.lastLock).toMatchObject({ reason: 'idle', idleMinutes: 1 });
    expect(await handlers['vault:activity']({}, context)).toEqual({ unlocked: false, locksInMs: null });
  });

  it('does not count the status the countdown reads, nor the other idle-neutral channels', async () => {
    const { service, clock, handlers, context, settle } = await openWithOneMinute();
    clock.advance(50_000);
    await handlers['vault:status']({}, context);
    await handlers['app:remembered']({}, context);
    await handlers['vault:members-preview']({ dir: (await handlers['vault:status']({}, context)).session?.dir ?? '' }, context);
    expect(service.locksInMs()).toBe(10_000);
    clock.advance(10_000);
    await settle();
    expect(service.isUnlocked).toBe(false);
    expect(IDLE_NEUTRAL_CHANNELS).toContain('vault:status');
    expect(IDLE_NEUTRAL_CHANNELS).not.toContain('vault:activity');
  });

  it('counts any request that reaches the vault, like a search', async () => {
    const { service, clock, handlers, context } = await openWithOneMinute();
    clock.advance(50_000);
    await handlers['records:search']({ query: 'restore' }, context);
    expect(service.locksInMs()).toBe(MINUTE);
  });

  it('says "by you", "sleep" or "screen locked" for the host’s own locks, and forgets the reason once a vault is open again', async () => {
    const { service, handlers, context } = await openWithOneMinute();
    await handlers['vault:lock']({}, context);
    expect(service.lastLock?.reason).toBe('user');
    for (const reason of ['sleep', 'screen-locked'] as const) {
      const { session, dir } = await newVault();
      await service.replace(session, dir);
      expect(service.lastLock).toBeNull();
      await service.lock(reason);
      expect(service.lastLock).toMatchObject({ reason, idleMinutes: null });
    }
  });

  it('leaves no timer behind once locked', async () => {
    const { service, clock, handlers, context } = await openWithOneMinute();
    await handlers['vault:lock']({}, context);
    expect(clock.pending()).toBe(0);
    expect(service.locksInMs()).toBeNull();
  });
});
