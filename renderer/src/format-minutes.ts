/**
 * Durations as people read them, the same on every screen: "45 min",
 * "14.2 min", "1 h 20 min", "—" when unknown. Rounded once before splitting,
 * so 119.6 reads "2 h", never "1 h 60 min".
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
