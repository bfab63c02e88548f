import { describe, expect, it } from 'vitest';
import { decodeSlot, encodeSlot } from './anchor-file.js';
import { defaultStateDir } from './state-dir.js';

const VAULT = '0123456789abcdef0123456789abcdef';
const STATE = { headerSerial: 3, generation: 12, logSize: 40, logHash: 'ab'.repeat(32) };

describe('an anchor slot', () => {
  it('reads back what was written, as one line of JSON in 512 bytes', () => {
    const slot = encodeSlot(VAULT, 7, STATE);
    expect(slot.length).toBe(512);
    expect(slot.toString('utf8').trimEnd()).toMatch(/^\{"check":"[0-9a-f]{32}","generation":12,"headerSerial":3,/);
    expect(decodeSlot(slot, VAULT)).toEqual({ write: 7, state: STATE });
  });

  it('is no slot when torn, altered, empty or of another vault', () => {
    const slot = encodeSlot(VAULT, 7, STATE);
    expect(decodeSlot(slot.subarray(0, 100), VAULT)).toBeNull();
    expect(decodeSlot(Buffer.from(slot.toString('utf8').replace('"logSize":40', '"logSize":41')), VAULT)).toBeNull();
    expect(decodeSlot(Buffer.alloc(512), VAULT)).toBeNull();
    expect(decodeSlot(slot, 'f'.repeat(32))).toBeNull();
  });
});

describe('the state folder', () => {
  it('is LIFEBOAT_STATE_DIR, else the XDG state folder (absolute only), else the platform’s', () => {
    expect(defaultStateDir({ LIFEBOAT_STATE_DIR: '/srv/state', XDG_STATE_HOME: '/x' }, 'linux', '/home/a')).toBe('/srv/state');
    expect(defaultStateDir({ XDG_STATE_HOME: '/x' }, 'linux', '/home/a')).toBe('/x/lifeboat');
    expect(defaultStateDir({ XDG_STATE_HOME: 'relative' }, 'linux', '/home/a')).toBe('/home/a/.local/state/lifeboat');
    expect(defaultStateDir({}, 'linux', '/home/a')).toBe('/home/a/.local/state/lifeboat');
    expect(defaultStateDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/Lifeboat');
  });
});
