import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSodium } from './keys/crypto-runtime.js';
import { argon2idAsync, kdfStarts, WORKER_MIN_MEMLIMIT } from './keys/kdf-worker.js';
import { claimedSlotKdf, unlockAhead } from './unlock-ahead.js';

const SALT = Buffer.alloc(16, 7).toString('base64');
const slot = (kdf: Record<string, unknown>) => ({
  slots: [{ member: 'alice', kdf: { alg: 'argon2id13', salt: SALT, opslimit: 3, memlimit: 256 * 2 ** 20, ...kdf } }],
});

describe('unlock ahead: the Argon2id of header.json, before the engine loads', () => {
  it('reads the member slot’s salt and costs', () => {
    expect(claimedSlotKdf(slot({}), 'alice')).toEqual({ salt: new Uint8Array(16).fill(7), opslimit: 3, memlimit: 256 * 2 ** 20 });
  });

  it('starts nothing for a header an attacker edited to ask for absurd costs, or one it cannot read', () => {
    for (const header of [
      slot({ opslimit: 5 }),
      slot({ memlimit: 2 ** 31 }),
      slot({ memlimit: 8192 }),
      slot({ opslimit: 1.5 }),
      slot({ opslimit: '3' }),
      slot({ salt: Buffer.alloc(8).toString('base64') }),
      slot({ alg: 'argon2i13' }),
      { slots: 'alice' },
      null,
      [],
    ]) {
      expect(claimedSlotKdf(header, 'alice'), JSON.stringify(header)).toBeNull();
    }
    expect(claimedSlotKdf(slot({}), 'bob')).toBeNull();
  });

  it('the unlock that follows takes the key derived ahead from the folder’s header.json', async () => {
    const sodium = await loadSodium();
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-ahead-'));
    writeFileSync(join(dir, 'header.json'), JSON.stringify(slot({ opslimit: 1, memlimit: WORKER_MIN_MEMLIMIT })));
    const salt = new Uint8Array(16).fill(7);
    const starts = kdfStarts();
    await unlockAhead(dir, 'alice', 'pw');
    expect(await argon2idAsync(sodium, 'pw', salt, 1, WORKER_MIN_MEMLIMIT)).toEqual(
      sodium.crypto_pwhash(32, 'pw', salt, 1, WORKER_MIN_MEMLIMIT, sodium.crypto_pwhash_ALG_ARGON2ID13),
    );
    expect(kdfStarts()).toBe(starts + 1);
  });

  it('never fails: no folder, no header, or a header that is not JSON starts nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-ahead-'));
    const starts = kdfStarts();
    await unlockAhead(join(dir, 'missing'), 'alice', 'pw');
    writeFileSync(join(dir, 'header.json'), '{');
    await unlockAhead(dir, 'alice', 'pw');
    expect(kdfStarts()).toBe(starts);
  });
});
