/**
 * Durations in minutes, read and written the same way everywhere: a
 * catalog's annotations and front matter, the command line's --field, and
 * every screen and report that shows one.
 */

/**
 * Days, hours, minutes, in that order, each optional: `2d`, `4h`, `30m`,
 * `1h30m`, `1d 2h`, `1 h 30 min` (units in any case, spaces allowed).
 */
const DURATION = /^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/i;

/**
 * Minutes from a duration (`30m`, `4h`, `1h30m`, `2d`, `1d 2h`, `1 h 30 min`)
 * or a whole number of minutes (`90`, `"90"`); surrounding spaces are
 * ignored. Undefined for anything else: fractions (`1.5h`), signs, other
 * units or spellings (`30 minutes`, `PT4H`, `30s`), units out of order
 * (`30m 1h`), a bare unit, or a total beyond what a number holds exactly.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const text = value.trim();
  let total: number;
  if (/^\d+$/.test(text)) {
    total = Number(text);
  } else {
    const match = DURATION.exec(text);
    if (!match || text === '') {
      return undefined;
    }
    const [, days, hours, minutes] = match;
    total = Number(days ?? 0) * 1440 + Number(hours ?? 0) * 60 + Number(minutes ?? 0);
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/**
 * Durations as people read them, the same on every screen and report:
 * "45 min", "14.2 min", "1 h", "1 h 20 min", "—" when unknown. Rounded once
 * before splitting, so 119.6 reads "2 h", never "1 h 60 min".
 */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) {
    return '—';
  }
  if (minutes < 60) {
    return `${Math.round(minutes * 10) / 10} min`;
  }
  const total = Math.round(minutes);
  const rest = total % 60;
  return `${Math.floor(total / 60)} h${rest ? ` ${rest} min` : ''}`;
}
