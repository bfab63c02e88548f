import { describe, expect, it } from 'vitest';
import { defaultVaultName, VAULT_NAME_MAX, vaultNameFor } from './vault-name.js';

describe('a new vault’s name (issue 19)', () => {
  it('defaults to the folder’s name without .lifeboat', () => {
    expect(defaultVaultName('/media/usb/ops.lifeboat')).toBe('ops');
    expect(defaultVaultName('/media/usb/Payments.LIFEBOAT/')).toBe('Payments');
    expect(defaultVaultName('relative/team-vault')).toBe('team-vault');
    expect(defaultVaultName('/tmp/.lifeboat')).toBe('Lifeboat vault');
    expect(defaultVaultName('/tmp/ops\nvault.lifeboat')).toBe('ops vault');
  });

  it('takes the name given, trimmed; a blank one is the default', () => {
    expect(vaultNameFor('/x/ops.lifeboat', '  Ops recovery ')).toBe('Ops recovery');
    expect(vaultNameFor('/x/ops.lifeboat', '   ')).toBe('ops');
    expect(vaultNameFor('/x/ops.lifeboat', undefined)).toBe('ops');
  });

  it('refuses control characters and over-long names, naming the field', () => {
    expect(() => vaultNameFor('/x/v', 'a\tb')).toThrow(/vault name contains a control character/);
    expect(() => vaultNameFor('/x/v', 'n'.repeat(VAULT_NAME_MAX + 1))).toThrow(/vault name is 121 characters long/);
  });
});
