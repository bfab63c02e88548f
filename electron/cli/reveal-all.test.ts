/**
 * `lifeboat reveal --all` (issue 19, item 4): a credential's every sealed
 * field for one reason, in one audit event listing the fields; from a
 * procedure that lists it; a field and --all together is a usage mistake.
 */
import { runCliCaptured, type CapturedRun } from '../../test/support/cli-in-process.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { newVault, unlockAs } from '../../test/support/test-vault.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { createRecord } from '../vault/records/vault-records.js';

let dir: string;
let secret: string;
let procedure: string;

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  secret = (await createRecord(created.session, { type: 'secret', title: 'Registrar', data: { username: 'ops@example.org', password: 'reg-pw' } })).id;
  procedure = (await createRecord(created.session, { type: 'procedure', title: 'Move DNS away', data: { secrets: [secret] } })).id;
  await created.session.lock();
}, 60_000);

function lifeboat(...argv: string[]): Promise<CapturedRun> {
  return runCliCaptured(argv);
}

async function reveals(): Promise<{ field?: string; details?: Record<string, unknown> }[]> {
  const alice = await unlockAs(dir, 'alice');
  try {
    return auditEntries(alice)
      .filter((e) => e.event.type === 'secret.revealed')
      .map((e) => ({ ...(e.event.field ? { field: e.event.field } : {}), ...(e.event.details ? { details: e.event.details } : {}) }));
  } finally {
    await alice.lock();
  }
}

describe('lifeboat reveal --all', () => {
  it('prints every sealed field for one reason, logged as one event listing them', async () => {
    const result = await lifeboat('reveal', dir, '--as', 'alice', secret, '--all', '--from', procedure, '--reason', 'INC-21 move DNS');
    expect(result).toMatchObject({ code: 0, out: 'username: ops@example.org\npassword: reg-pw\n' });
    expect(await reveals()).toEqual([{ field: 'username, password', details: { fields: 'username,password', credential: true, procedure } }]);
    const json = await lifeboat('reveal', dir, '--as', 'alice', secret, '--all', '--reason', 'INC-21 again', '--json');
    expect(JSON.parse(json.out)).toEqual({ id: secret, fields: { username: 'ops@example.org', password: 'reg-pw' } });
  });

  it('refuses a field and --all together, and --from without --all (exit 2), logging nothing', async () => {
    const before = (await reveals()).length;
    expect((await lifeboat('reveal', dir, '--as', 'alice', secret, 'password', '--all', '--reason', 'INC-21')).code).toBe(2);
    expect((await lifeboat('reveal', dir, '--as', 'alice', secret, 'password', '--from', procedure, '--reason', 'INC-21')).code).toBe(2);
    expect((await reveals()).length).toBe(before);
  });
});
