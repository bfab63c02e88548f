/**
 * Times as on-call screens write them (issue 23): in a schedule's zone and
 * the laptop's, by the platform's own time-zone data (Intl), never by hand.
 * Zod-free: the renderer bundles it.
 */

/** `2026-12-20 09:00 GMT` in `zone` (an IANA name), or in UTC when the zone is unknown to this laptop. */
export function timeInZone(iso: string, zone: string): string {
  const date = new Date(iso);
  try {
    const parts = (locale: string): Intl.DateTimeFormatPart[] =>
      new Intl.DateTimeFormat(locale, {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      }).formatToParts(date);
    const british = parts('en-GB');
    const get = (type: string, from = british): string => from.find((p) => p.type === type)?.value ?? '';
    // The abbreviation people use where they have one: en-GB says BST but GMT-5, en-US says EST but GMT+1.
    const american = get('timeZoneName', parts('en-US'));
    const name = /^GMT[+-]/.test(american) ? get('timeZoneName') : american;
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${name}`;
  } catch {
    return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  }
}

/** The time in the schedule's zone, and in the laptop's when that differs: `2026-12-20 09:00 GMT (10:00 CET here)`. */
export function timeForBoth(iso: string, scheduleZone: string, laptopZone: string): string {
  const there = timeInZone(iso, scheduleZone);
  const here = timeInZone(iso, laptopZone);
  if (here === there) {
    return there;
  }
  return `${there} (${here.slice(0, 10) === there.slice(0, 10) ? here.slice(11) : here} here)`;
}
