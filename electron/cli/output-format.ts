/**
 * How the CLI writes values for a person reading a terminal: times,
 * durations, counts, lists of names, and values pasted into a suggested
 * command line.
 */

/** An ISO time as "2026-03-01 10:02:03Z": the engine's clock, in UTC, readable. */
export function time(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Plain minutes, as the plan is reasoned about ("115 min"), at most one decimal. */
export function minutes(value: number): string {
  return `${Math.round(value * 10) / 10} min`;
}

/** "1 service", "3 services". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "ann", "ann and bob", "ann, bob and carol". */
export function names(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1] ?? ''}`;
}

/** A value pasted into a suggested command line: quoted when the shell would split or expand it. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
