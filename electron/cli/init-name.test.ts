/**
 * Issue 19 ("Who am I"): a CLI-made vault was named after its owner, so the
 * window read "alice  alice · owner". `init --name` names it; without it the
 * vault takes its folder's name. A bad name changes nothing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeader } from '../vault/keys/vault-header.js';
import { runCli } from './run-cli.js';

const env = { LIFEBOAT_PASSPHRASE: 'correct horse battery staple', LIFEBOAT_INSECURE_FAST_KDF: '1' };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('lifeboat init --name', () => {
  it('names the vault as given, in the header the unlock screen reads and in what init prints', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'lifeboat-init-name-')), 'ops.lifeboat');
    const c = capture();
    expect(await runCli(['init', dir, '--as', 'alice', '--name', 'Payments on-call'], c.io, { version: '1', env })).toBe(0);
    expect((await readHeader(dir)).name).toBe('Payments on-call');
    expect(c.out.join('')).toMatch(/^Created vault "Payments on-call" \([0-9a-f]{32}\) at .+; alice is its owner\.\n$/);
  });

  it("without --name, takes the folder's name (not the owner's)", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'lifeboat-init-name-')), 'payments.lifeboat');
    const c = capture();
    expect(await runCli(['init', dir, '--as', 'alice', '--json'], c.io, { version: '1', env })).toBe(0);
    expect((await readHeader(dir)).name).toBe('payments');
    expect(JSON.parse(c.out.join(''))).toMatchObject({ name: 'payments', owner: 'alice' });
  });

  it('refuses a name on two lines (exit 2) and makes no folder', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'lifeboat-init-name-')), 'ops.lifeboat');
    const c = capture();
    expect(await runCli(['init', dir, '--as', 'alice', '--name', 'ops\nreal'], c.io, { version: '1', env })).toBe(2);
    expect(c.err.join('')).toContain('The vault name contains a control character');
    expect(existsSync(dir)).toBe(false);
  });
});
