import { describe, expect, it } from 'vitest';
import { formatMinutes, parseDuration } from './durations.js';

describe('parseDuration', () => {
  // Every form the catalog (annotations, front matter) or the command line (--field) accepted before
  // they shared this parser, with the minutes it means.
  it.each<[unknown, number]>([
    ['90', 90],
    ['0', 0],
    ['007', 7],
    ['30m', 30],
    ['0m', 0],
    ['4h', 240],
    ['1h30m', 90],
    ['2d', 2880],
    ['1d2h3m', 1563],
    ['1d 2h', 1560],
    ['1 h 30 min', 90],
    ['30min', 30],
    ['30 MIN', 30],
    ['4H', 240],
    ['  45m  ', 45],
    ['1234567890', 1234567890],
    [45, 45],
    [0, 0],
  ])('reads %j as %i minutes', (input, minutes) => {
    expect(parseDuration(input)).toBe(minutes);
  });

  // Refused by both before; none may come back as some other number of minutes.
  it.each<[unknown]>([
    [''],
    ['   '],
    ['h'],
    ['m'],
    ['d'],
    ['min'],
    ['30 minutes'],
    ['30 mins'],
    ['30s'],
    ['1.5h'],
    ['1,5h'],
    ['PT4H'],
    ['-5'],
    ['+5'],
    ['5-'],
    ['1e3'],
    ['0x10'],
    ['1h30'],
    ['30m 1h'],
    ['1m2h'],
    ['2h1d'],
    ['1h 1h'],
    ['1 30'],
    ['٣٠m'],
    ['9007199254740993'],
    ['9007199254740993m'],
    [1.5],
    [-1],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [undefined],
    [true],
    [['30m']],
  ])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatMinutes', () => {
  it('writes minutes under an hour, and hours with the rest in minutes', () => {
    expect(formatMinutes(0)).toBe('0 min');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(12.5)).toBe('12.5 min');
    expect(formatMinutes(14.24)).toBe('14.2 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(85)).toBe('1 h 25 min');
    expect(formatMinutes(125.5)).toBe('2 h 6 min');
  });

  it('writes an unknown duration as a dash', () => {
    expect(formatMinutes(null)).toBe('—');
    expect(formatMinutes(undefined)).toBe('—');
  });

  // Rounding the rest after taking the hours once printed 119.6 minutes (a
  // measured time: usefulMinutes are kept to a tenth) as "1 h 60 min".
  it('never writes 60 minutes next to the hours', () => {
    expect(formatMinutes(119.6)).toBe('2 h');
    expect(formatMinutes(179.5)).toBe('3 h');
  });

  it('writes back what the parser reads, for whole minutes', () => {
    for (const minutes of [0, 5, 59, 60, 61, 90, 1439, 1440, 2881]) {
      const written = formatMinutes(minutes);
      expect(parseDuration(written), written).toBe(minutes);
    }
  });
});
