import { describe, expect, it } from 'vitest';
import { formatMinutes } from './format-minutes';

describe('formatMinutes (renderer)', () => {
  it('reads as people say durations, and never shows 60 minutes next to the hours', () => {
    expect(formatMinutes(undefined)).toBe('—');
    expect(formatMinutes(0)).toBe('0 min');
    expect(formatMinutes(14.24)).toBe('14.2 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(85)).toBe('1 h 25 min');
    expect(formatMinutes(119.6)).toBe('2 h');
    expect(formatMinutes(179.5)).toBe('3 h');
  });
});
