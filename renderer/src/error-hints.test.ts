import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { hintFor } from './error-hints';

/** Every code a sync can end with: the catalog's own, and the vault codes the catalog reader reuses. */
const SYNC_CODES = [
  ...(Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => code.startsWith('CATALOG_')),
  'VAULT_NOT_FOUND',
  'VAULT_TAMPERED',
  'VAULT_BAD_INPUT',
  'VAULT_FORBIDDEN',
  'VAULT_IO',
] as const satisfies readonly ErrorCode[];

describe('hints in the sync screen’s own words (issue 19, item 9)', () => {
  it('a missing .lbcat is not a vault folder that should end in .lifeboat', () => {
    expect(hintFor('VAULT_NOT_FOUND')).toContain('should end in .lifeboat');
    const hint = hintFor('VAULT_NOT_FOUND', 'catalog') ?? '';
    expect(hint).toContain('.lbcat');
    expect(hint).not.toContain('.lifeboat');
  });

  it('a tampered catalog does not send the owner to `lifeboat doctor`: the vault is fine, the file is not', () => {
    expect(hintFor('VAULT_TAMPERED')).toContain('lifeboat doctor');
    const hint = hintFor('VAULT_TAMPERED', 'catalog') ?? '';
    expect(hint).toContain('the vault was not changed');
    expect(hint).toContain('fresh copy');
    expect(hint).not.toContain('doctor');
  });

  it('every code a sync can end with has a hint, and none speaks of the vault folder, its header or the doctor', () => {
    for (const code of SYNC_CODES) {
      const hint = hintFor(code, 'catalog');
      expect(hint, code).toBeTruthy();
      expect(hint, code).not.toMatch(/\.lifeboat|header\.json|doctor/);
    }
  });

  it('a downgrade and an untrusted publisher point to the fix on the same screen', () => {
    expect(hintFor('CATALOG_ROLLBACK', 'catalog')).toContain('below, with a reason');
    expect(hintFor('CATALOG_UNTRUSTED', 'catalog')).toContain('below');
  });
});
