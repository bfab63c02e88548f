/** The lock screen's sentence for why the vault locked (main's word: vault:status lastLock). */
import type { LastLock } from '../../shared/vault-contract';

export function lockSentence(lock: Pick<LastLock, 'reason' | 'idleMinutes'>): string {
  switch (lock.reason) {
    case 'idle':
      return lock.idleMinutes === null ? 'Locked after a while without activity.' : `Locked after ${lock.idleMinutes} min without activity.`;
    case 'sleep':
      return 'Locked: the laptop went to sleep.';
    case 'screen-locked':
      return 'Locked: the screen was locked.';
    case 'quit':
      return 'Locked: Lifeboat was closing.';
    case 'user':
      return 'Locked by you.';
  }
}
