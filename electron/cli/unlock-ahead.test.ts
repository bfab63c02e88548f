import { describe, expect, it } from 'vitest';
import { unlockGuess } from './unlock-ahead.js';

const env = { LIFEBOAT_PASSPHRASE: 'pw' };

describe('the unlock a command line will do, read before its verb loads', () => {
  it('VERB DIR … --as NAME with LIFEBOAT_PASSPHRASE', () => {
    expect(unlockGuess(['v.lifeboat', '--as', 'alice', 'restore'], env)).toEqual({ dir: 'v.lifeboat', member: 'alice', passphrase: 'pw' });
    expect(unlockGuess(['v.lifeboat', 'restore', '--as=bob', '--json'], env)).toEqual({ dir: 'v.lifeboat', member: 'bob', passphrase: 'pw' });
  });

  it('nothing when the arguments do not say it plainly: the verb unlocks as usual', () => {
    expect(unlockGuess(['--as', 'alice', 'v.lifeboat'], env)).toBeNull();
    expect(unlockGuess(['v.lifeboat', 'restore'], env)).toBeNull();
    expect(unlockGuess(['v.lifeboat', '--as'], env)).toBeNull();
    expect(unlockGuess(['v.lifeboat', '--as', '--json'], env)).toBeNull();
    expect(unlockGuess(['v.lifeboat', '--', '--as', 'alice'], env)).toBeNull();
    expect(unlockGuess([], env)).toBeNull();
    // A passphrase from a file or a prompt is read by the verb itself.
    expect(unlockGuess(['v.lifeboat', '--as', 'alice'], {})).toBeNull();
    expect(unlockGuess(['v.lifeboat', '--as', 'alice'], { LIFEBOAT_PASSPHRASE: '' })).toBeNull();
  });
});
