import { describe, expect, it } from 'vitest';
import { nextChip, tabStop } from './roving-focus';

describe('a row of chips as one tab stop', () => {
  it('moves with the arrow keys, wrapping at the ends, and jumps with Home and End', () => {
    expect(nextChip('ArrowRight', 0, 3)).toBe(1);
    expect(nextChip('ArrowRight', 2, 3)).toBe(0);
    expect(nextChip('ArrowLeft', 0, 3)).toBe(2);
    expect(nextChip('ArrowDown', 1, 3)).toBe(2);
    expect(nextChip('ArrowUp', 1, 3)).toBe(0);
    expect(nextChip('Home', 2, 3)).toBe(0);
    expect(nextChip('End', 0, 3)).toBe(2);
  });

  it('leaves Tab, Enter and letters to the page', () => {
    for (const key of ['Tab', 'Enter', ' ', 'a']) {
      expect(nextChip(key, 0, 3)).toBeNull();
    }
    expect(nextChip('ArrowRight', 0, 0)).toBeNull();
  });

  it('gives the tab stop to the chosen chip only, or to the first when none is chosen', () => {
    expect([0, 1, 2].map(tabStop(1))).toEqual([-1, 0, -1]);
    expect([0, 1, 2].map(tabStop(-1))).toEqual([0, -1, -1]);
  });
});
