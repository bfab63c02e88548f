/**
 * `lifeboat add --field totp=…`, `lifeboat code` and `lifeboat secret
 * rotated|disabled` (issue 21), run in-process through the dispatcher.
 */
import { runCliCaptured, type CapturedRun } from '../../test/support/cli-in-process.js';
import { TOTP } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';

const SEED = 'JBSWY3DPEHPK3PXP';
let dir: string;

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  await created.session.lock();
}, 60_000);

function lifeboat(...argv: string[]): Promise<CapturedRun> {
  return runCliCaptured(argv);
}

async function add(title: string, totp: string): Promise<{ code: number; id: string; err: string }> {
  const result = await lifeboat(
    'add',
    dir,
    '--as',
    'alice',
    '--type',
    'secret',
    '--title',
    title,
    '--field',
    `totp=${totp}`,
    '--field',
    'disableAfterUse=true',
    '--json',
  );
  return { code: result.code, id: result.code === 0 ? (JSON.parse(result.out) as { id: string }).id : '', err: result.err };
}

async function lastEvent(): Promise<Record<string, unknown> | undefined> {
  const alice = await unlockAs(dir, 'alice');
  try {
    // Unlocks and locks (this check's own among them) are not what a verb did.
    const done = auditEntries(alice).filter((e) => !e.event.type.startsWith('vault.'));
    const { salt: _salt, ...event } = done.at(-1)?.event ?? { salt: '' };
    return event;
  } finally {
    await alice.lock();
  }
}

describe('lifeboat code', () => {
  it('stores a seed from --field totp=otpauth://… and prints the code as JSON, logged first', async () => {
    const { id } = await add('Entra break-glass', `otpauth://totp/Entra:admin?secret=${SEED}&issuer=Entra`);
    const result = await lifeboat('code', dir, '--as', 'alice', id, '--reason', 'INC-31: SSO down', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as { code: string; secondsLeft: number; next: string };
    expect(json.code).toMatch(/^\d{6}$/);
    expect(json.next).toMatch(/^\d{6}$/);
    expect(json.secondsLeft).toBeGreaterThanOrEqual(1);
    expect(json.secondsLeft).toBeLessThanOrEqual(30);
    const totp = new TOTP({ secret: SEED });
    expect([totp.generate(), totp.generate({ timestamp: Date.now() - 30_000 })]).toContain(json.code);
    expect(await lastEvent()).toMatchObject({ type: 'code.generated', recordId: id, reason: 'INC-31: SSO down' });
  });

  it('a bare Base32 seed works too; the text form says the seconds left and the clock in UTC', async () => {
    const { id } = await add('Registrar', SEED.toLowerCase());
    const result = await lifeboat('code', dir, '--as', 'alice', id, '--reason', 'INC-32');
    expect(result.out).toMatch(/^\d{6} {2}\(\d+ s left; next \d{6}\)\nLaptop clock: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
  });

  it('a malformed seed is exit 2 naming the part; no reason is exit 2 and logs nothing', async () => {
    const bad = await add('Bad', `otpauth://totp/x?secret=${SEED}&algorithm=MD5`);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('otpauth URI: algorithm must be SHA1, SHA256 or SHA512, got "MD5".');
    const { id } = await add('Another', SEED);
    const before = await lastEvent();
    expect((await lifeboat('code', dir, '--as', 'alice', id)).code).toBe(2);
    expect(await lastEvent()).toEqual(before);
  });

  it('secret rotated and secret disabled are logged', async () => {
    const { id } = await add('VPN emergency', SEED);
    expect((await lifeboat('secret', 'rotated', dir, '--as', 'alice', id, '--note', 'new seed enrolled')).out).toBe(
      `"VPN emergency" marked rotated (${new Date().toISOString().slice(0, 10)}).\n`,
    );
    expect((await lifeboat('secret', 'disabled', dir, '--as', 'alice', id)).out).toBe('"VPN emergency" confirmed disabled again.\n');
    expect(await lastEvent()).toMatchObject({ type: 'secret.disabled-confirmed', recordId: id });
    expect((await lifeboat('secret', 'expired', dir, '--as', 'alice', id)).code).toBe(2);
  });
});
