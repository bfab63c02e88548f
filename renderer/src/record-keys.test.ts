import { describe, expect, it } from 'vitest';
import { scrollTarget } from './record-keys';

describe('reading keys for the open record', () => {
  it('pages down and up by the pane less a little overlap, without passing either end', () => {
    expect(scrollTarget('PageDown', 0, 500, 3000)).toBe(460);
    expect(scrollTarget('PageDown', 2400, 500, 3000)).toBe(2500);
    expect(scrollTarget('PageUp', 460, 500, 3000)).toBe(0);
    expect(scrollTarget('PageUp', 1000, 500, 3000)).toBe(540);
  });

  it('goes to the top with Home and the bottom with End', () => {
    expect(scrollTarget('Home', 1200, 500, 3000)).toBe(0);
    expect(scrollTarget('End', 0, 500, 3000)).toBe(2500);
  });

  it('leaves the arrows, Enter and letters to the list', () => {
    for (const key of ['ArrowDown', 'ArrowUp', 'Enter', 'a']) {
      expect(scrollTarget(key, 0, 500, 3000)).toBeNull();
    }
  });
});
