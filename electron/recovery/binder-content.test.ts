import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { binderPayload, contentHash, parseBinderPayload } from './binder-content.js';

const VAULT = '0123456789abcdef0123456789abcdef';

describe('the content hash, as docs/recovery.md defines it', () => {
  it('is the first 16 hex digits of SHA-256 over the documented canonical JSON, sealed values as "sealed"', () => {
    const record = { id: 'sec-0011223344', type: 'secret', title: 'Root', data: { username: { $sealed: 'AAAA' }, notes: 'in the safe', tags: ['db'] } };
    // Written out by hand, as another implementation would: keys sorted, no spaces.
    const canonical = `{"data":{"notes":"in the safe","tags":["db"],"username":"sealed"},"id":"sec-0011223344","title":"Root","type":"secret","v":1,"vaultId":"${VAULT}"}`;
    expect(contentHash(VAULT, record)).toBe(createHash('sha256').update(canonical).digest('hex').slice(0, 16));
  });

  it('changes with any shown field, never with the ciphertext of a sealed one', () => {
    const base = { id: 'rb-0011223344', type: 'runbook', title: 'Restore', data: { body: 'one', password: { $sealed: 'AAAA' } } };
    expect(contentHash(VAULT, { ...base, data: { ...base.data, body: 'two' } })).not.toBe(contentHash(VAULT, base));
    expect(contentHash(VAULT, { ...base, data: { ...base.data, password: { $sealed: 'BBBB' } } })).toBe(contentHash(VAULT, base));
    expect(contentHash(VAULT.replace('0', 'f'), base)).not.toBe(contentHash(VAULT, base));
  });
});

describe('the QR payload', () => {
  it('round-trips', () => {
    const page = { vaultId: VAULT, recordId: 'rb-0011223344', revision: 12, hash: '0123456789abcdef' };
    const text = binderPayload(page);
    expect(text).toBe(`lifeboat-binder:1:${VAULT}:rb-0011223344:12:0123456789abcdef`);
    expect(parseBinderPayload(`  ${text}\n`)).toEqual(page);
  });

  it.each([
    ['https://example.com/x', 'not a Lifeboat binder code'],
    [`lifeboat-binder:1:${VAULT}:rb-0011223344:12`, 'has 4 parts after'],
    [`lifeboat-binder:1:${VAULT.slice(1)}:rb-0011223344:12:0123456789abcdef`, 'vault id'],
    [`lifeboat-binder:1:${VAULT}:RB 1:12:0123456789abcdef`, 'record id'],
    [`lifeboat-binder:1:${VAULT}:rb-0011223344:0:0123456789abcdef`, 'revision'],
    [`lifeboat-binder:1:${VAULT}:rb-0011223344:3:0123456789ABCDEF`, 'content hash'],
  ])('refuses %s, naming the part', (text, said) => {
    let error: unknown;
    try {
      parseBinderPayload(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('VAULT_BAD_INPUT');
    expect((error as LifeboatError).message).toContain(said);
  });
});
