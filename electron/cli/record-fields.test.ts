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

  it('reads a duration as the catalog does, and other numbers as whole numbers only', () => {
    expect(parseFields(['rtoMinutes=1 h 30 min', 'rpoMinutes=4H', 'estimatedMinutes=45'])).toEqual({ rtoMinutes: 90, rpoMinutes: 240, estimatedMinutes: 45 });
    expect(parseFields(['tier=2', 'escalationOrder=1'])).toEqual({ tier: 2, escalationOrder: 1 });
    expect(() => parseFields(['tier=1h'])).toThrow(/tier=1h: expected a whole number\.$/);
    expect(() => parseFields(['rtoMinutes=1.5h'])).toThrow(/expected a whole number or a duration/);
  });

  it('keeps text as given, and refuses a text field given twice', () => {
    expect(parseFields(['owner=team-a', 'notes=a=b'])).toEqual({ owner: 'team-a', notes: 'a=b' });
    expect(() => parseFields(['owner=a', 'owner=b'])).toThrow(/owner is given twice/);
  });
});
