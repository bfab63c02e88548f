import { describe, expect, it } from 'vitest';
import { parseFields } from './record-fields.js';

describe('--field parsing', () => {
  it('reads lists, durations and the two-person flag, and names a bad value', () => {
    expect(parseFields(['steps=a', 'steps=b', 'estimatedMinutes=1h30m', 'twoPerson=true'])).toEqual({
      steps: ['a', 'b'],
      estimatedMinutes: 90,
      twoPerson: true,
    });
    expect(parseFields(['twoPerson=false'])).toEqual({ twoPerson: false });
    expect(() => parseFields(['twoPerson=yes'])).toThrow(/twoPerson=yes: expected true or false/);
    expect(() => parseFields(['rtoMinutes=soon'])).toThrow(/rtoMinutes=soon/);
  });
});
