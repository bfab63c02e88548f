import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/progress';
import { nextSteps } from './sync-store';

const ev = (done: number, total: number | null, label: string): ProgressEvent => ({ taskId: 'catalog-sync', label, done, total, finished: label === 'Done' });

describe('the sync screen’s list of finished phases (issue 19)', () => {
  it('lists each phase once it is over, with its counts; a phase starting adds nothing; the apply count keeps one line', () => {
    const events = [
      ev(0, 5, 'Reading and checking the catalog'),
      ev(1, 5, 'Read 4 files'),
      ev(2, 5, 'Verified the signature and 4 file hashes'),
      ev(2, 5, 'Parsing every file'),
      ev(3, 5, 'Parsed 4 entries'),
      ev(4, 5, 'Compared 4 entries with the vault: 120 changes'),
      ev(4, 5, 'Applying the changes in one transaction'),
      ev(50, 120, 'Applied 50 of 120 changes'),
      ev(100, 120, 'Applied 100 of 120 changes'),
      ev(120, 120, 'Applied 120 of 120 changes'),
      ev(1, 1, 'Done'),
    ];
    let steps: string[] = [];
    let previous: ProgressEvent | null = null;
    for (const event of events) {
      steps = nextSteps(steps, previous, event);
      previous = event;
    }
    expect(steps).toEqual([
      'Read 4 files',
      'Verified the signature and 4 file hashes',
      'Parsed 4 entries',
      'Compared 4 entries with the vault: 120 changes',
      'Applied 120 of 120 changes',
    ]);
  });
});
