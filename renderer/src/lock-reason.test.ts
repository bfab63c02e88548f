import { describe, expect, it } from 'vitest';
import { LOCK_REASONS } from '../../shared/vault-contract';
import { lockSentence } from './lock-reason';

describe('why the vault locked, in the lock screen’s words', () => {
  it('names the idle setting that ran out, sleep, the screen lock and the member’s own Lock', () => {
    expect(lockSentence({ reason: 'idle', idleMinutes: 5 })).toBe('Locked after 5 min without activity.');
    expect(lockSentence({ reason: 'sleep', idleMinutes: null })).toBe('Locked: the laptop went to sleep.');
    expect(lockSentence({ reason: 'screen-locked', idleMinutes: null })).toBe('Locked: the screen was locked.');
    expect(lockSentence({ reason: 'user', idleMinutes: null })).toBe('Locked by you.');
  });

  it('has a sentence for every reason main can give', () => {
    for (const reason of LOCK_REASONS) {
      expect(lockSentence({ reason, idleMinutes: null })).toMatch(/^Locked/);
    }
  });
});
