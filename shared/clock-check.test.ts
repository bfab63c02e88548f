import { describe, expect, it } from 'vitest';
import { checkLaptopClock } from './clock-check.js';

describe('checkLaptopClock', () => {
  const now = new Date('2026-12-07T21:00:00.000Z');

  it('shows the clock in UTC and trusts it when nothing seen is newer', () => {
    const check = checkLaptopClock(now, [
      { what: 'the newest audit event', time: '2026-12-07T20:59:00.000Z' },
      { what: "the vault's last save", time: undefined },
    ]);
    expect(check).toEqual({ nowUtc: '2026-12-07T21:00:00Z', suspect: false });
  });

  it('names the newest evidence the clock is earlier than, and by how much', () => {
    const check = checkLaptopClock(now, [
      { what: 'the newest audit event', time: '2026-12-09T21:00:00.000Z' },
      { what: "the vault's last save", time: '2026-12-08T09:00:00.000Z' },
    ]);
    expect(check.suspect).toBe(true);
    expect(check.warning).toContain('2 days earlier than the newest audit event (2026-12-09T21:00:00.000Z)');
  });

  it('forgives a clock a few minutes behind, not one an hour behind', () => {
    expect(checkLaptopClock(now, [{ what: 'a save', time: '2026-12-07T21:04:00.000Z' }]).suspect).toBe(false);
    const hour = checkLaptopClock(now, [{ what: 'a save', time: '2026-12-07T22:00:00.000Z' }]);
    expect(hour.warning).toContain('60 minutes earlier than a save');
  });

  it('ignores evidence that is not a time rather than trusting or failing on it', () => {
    expect(checkLaptopClock(now, [{ what: 'planted', time: 'not a date' }]).suspect).toBe(false);
  });
});
