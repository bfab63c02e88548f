/** Minutes from one engine time to another, to a tenth (the precision reports show). */
export function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round(((Date.parse(to) - Date.parse(from)) / 60_000) * 10) / 10);
}
