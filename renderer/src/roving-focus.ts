/**
 * A row of chips is one tab stop (WAI-ARIA "roving tabindex"): Tab enters the
 * row on the chosen chip (or the first), arrow keys, Home and End move
 * inside it, Tab leaves it. The member chips of the unlock screen use it, so
 * a vault with twelve members is not twelve Tab presses (issue 19).
 */
import type { KeyboardEvent } from 'react';

/** Where focus goes from `at` of `count` chips for `key`, or null when the key is not ours. */
export function nextChip(key: string, at: number, count: number): number | null {
  if (count === 0) {
    return null;
  }
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (at + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (at - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** The chip that holds the row's tab stop: the chosen one, else the first. */
export function tabStop(chosen: number): (index: number) => 0 | -1 {
  const stop = Math.max(0, chosen);
  return (index) => (index === stop ? 0 : -1);
}

/** onKeyDown for the row's container: moves focus among its buttons. */
export function onChipKeys(event: KeyboardEvent<HTMLElement>): void {
  const chips = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
  const at = chips.indexOf(event.target as HTMLButtonElement);
  const next = at === -1 ? null : nextChip(event.key, at, chips.length);
  if (next === null) {
    return;
  }
  event.preventDefault();
  chips[next]?.focus();
}
