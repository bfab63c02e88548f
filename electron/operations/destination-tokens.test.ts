/**
 * Issue 15, written as the attack: the renderer is compromised and tries to
 * make main write where the member never chose. In the desktop shell only a
 * choice made in main's own dialog counts (a token, once, for its purpose,
 * within a minute); in the browser host a typed path is checked by main.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeboatError, type ErrorCode } from '../../shared/errors.js';
import { chosenDestination, DestinationTokens, TOKEN_LIFETIME_MS } from './destination-tokens.js';
import { checkChosenPath } from './output-paths.js';

async function refusal(run: () => Promise<unknown>): Promise<LifeboatError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LifeboatError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a refusal, but it was accepted');
}

async function expectRefused(run: () => Promise<unknown>, code: ErrorCode, ...parts: string[]): Promise<void> {
  const error = await refusal(run);
  expect(error.code).toBe(code);
  for (const part of parts) {
    expect(error.message).toContain(part);
  }
  expect(error.message).toContain('Nothing was written.');
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'lb-destinations-'));
}

/** A clock the test moves by hand. */
function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let at = start;
  return {
    now: () => at,
    advance: (ms) => {
      at += ms;
    },
  };
}

describe('a host with dialogs (the desktop shell): only what main’s dialog chose', () => {
  const noVault = { vaultDir: null };

  it('refuses a path sent by a compromised renderer, whatever it names', async () => {
    const tokens = new DestinationTokens();
    for (const path of ['/home/user/.bashrc', join(scratch(), 'audit.json')]) {
      await expectRefused(() => chosenDestination(tokens, { path }, 'export', noVault), 'DESTINATION_NOT_CHOSEN', 'only where you choose in its file dialog');
    }
  });

  it('gives the chosen path for a token, once', async () => {
    const tokens = new DestinationTokens();
    const chosen = join(scratch(), 'audit.json');
    const token = tokens.issue('export', chosen);
    expect(await chosenDestination(tokens, { token }, 'export', noVault)).toBe(chosen);
    await expectRefused(() => chosenDestination(tokens, { token }, 'export', noVault), 'DESTINATION_NOT_CHOSEN', 'unknown or was already used');
  });

  it('refuses a token made up by the renderer', async () => {
    const tokens = new DestinationTokens();
    tokens.issue('export', join(scratch(), 'audit.json'));
    await expectRefused(() => chosenDestination(tokens, { token: 'A'.repeat(43) }, 'export', noVault), 'DESTINATION_NOT_CHOSEN', 'unknown');
  });

  it('refuses a token chosen for another purpose, and spends it', async () => {
    const tokens = new DestinationTokens();
    // The member chose a folder for the recovery sheets; the renderer tries to write the audit export there.
    const token = tokens.issue('sheets-folder', scratch());
    await expectRefused(
      () => chosenDestination(tokens, { token }, 'export', noVault),
      'DESTINATION_NOT_CHOSEN',
      'made for the recovery sheets, not the audit export',
    );
    await expectRefused(() => chosenDestination(tokens, { token }, 'sheets-folder', noVault), 'DESTINATION_NOT_CHOSEN', 'already used');
  });

  it('refuses a token past its minute', async () => {
    const time = clock();
    const tokens = new DestinationTokens(time.now);
    const path = join(scratch(), 'kit.pdf');
    const fresh = tokens.issue('kit', path);
    const stale = tokens.issue('kit', path);
    time.advance(TOKEN_LIFETIME_MS - 1);
    expect(await chosenDestination(tokens, { token: fresh }, 'kit', noVault)).toBe(path);
    time.advance(1);
    await expectRefused(() => chosenDestination(tokens, { token: stale }, 'kit', noVault), 'DESTINATION_NOT_CHOSEN', 'expired');
  });

  it('tokens are random and unrelated to the path', () => {
    const tokens = new DestinationTokens();
    const issued = new Set(Array.from({ length: 50 }, () => tokens.issue('report', '/media/usb/report.pdf')));
    expect(issued.size).toBe(50);
    for (const token of issued) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(token).not.toContain('media');
    }
  });

  it('still checks what the dialog chose (a link, the vault folder)', async () => {
    const tokens = new DestinationTokens();
    const dir = scratch();
    const vault = join(dir, 'ops.lifeboat');
    mkdirSync(vault);
    const link = join(dir, 'report.pdf');
    symlinkSync(join(dir, 'elsewhere'), link);
    await expectRefused(() => chosenDestination(tokens, { token: tokens.issue('report', link) }, 'report', noVault), 'VAULT_BAD_INPUT', 'symbolic link');
    const inside = join(vault, 'audit.log');
    await expectRefused(
      () => chosenDestination(tokens, { token: tokens.issue('export', inside) }, 'export', { vaultDir: vault }),
      'VAULT_BAD_INPUT',
      'inside the vault folder',
    );
  });
});

describe('a host without dialogs (the browser host): typed paths, checked by main', () => {
  it('takes a typed path that passes every check', async () => {
    const path = join(scratch(), 'audit-export.json');
    expect(await chosenDestination(null, { path }, 'export', { vaultDir: null, extensions: ['.json'] })).toBe(path);
  });

  it('refuses a token (there is no dialog to have issued it)', async () => {
    await expectRefused(() => chosenDestination(null, { token: 'x'.repeat(43) }, 'export', { vaultDir: null }), 'DESTINATION_NOT_CHOSEN', 'type the full path');
  });

  it('refuses a Markdown report typed over ~/.bashrc: the name must be the format’s', async () => {
    const home = scratch();
    writeFileSync(join(home, '.bashrc'), 'export PATH=~/bin:$PATH\n');
    await expectRefused(
      () => chosenDestination(null, { path: join(home, '.bashrc') }, 'report', { vaultDir: null, extensions: ['.md'] }),
      'VAULT_BAD_INPUT',
      'must end in .md',
    );
  });

  it('refuses a relative path, a NUL, and a missing folder', async () => {
    await expectRefused(() => checkChosenPath('audit.json', { kind: 'file' }), 'VAULT_BAD_INPUT', 'not a full path');
    await expectRefused(() => checkChosenPath(`${scratch()}/a.json\0.pdf`, { kind: 'file' }), 'VAULT_BAD_INPUT', 'NUL');
    await expectRefused(() => checkChosenPath(join(scratch(), 'gone', 'a.json'), { kind: 'file' }), 'VAULT_BAD_INPUT', 'does not exist');
    await expectRefused(() => checkChosenPath(join(scratch(), 'sheets'), { kind: 'folder' }), 'VAULT_BAD_INPUT', 'does not exist');
  });

  it('refuses a symbolic link in place of the file, whose target could be anything', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'authorized_keys'), 'ssh-ed25519 AAAA… alice\n');
    symlinkSync(join(dir, 'authorized_keys'), join(dir, 'kit.pdf'));
    await expectRefused(() => checkChosenPath(join(dir, 'kit.pdf'), { kind: 'file', extensions: ['.pdf'] }), 'VAULT_BAD_INPUT', 'symbolic link');
  });

  it('refuses anything inside the open vault folder, also through a linked folder or ..', async () => {
    const dir = scratch();
    const vault = join(dir, 'ops.lifeboat');
    mkdirSync(vault);
    symlinkSync(vault, join(dir, 'usb'));
    for (const path of [join(vault, 'audit.json'), join(dir, 'usb', 'audit.json'), `${dir}/x/../ops.lifeboat/snapshot-1.json`]) {
      mkdirSync(join(dir, 'x'), { recursive: true });
      await expectRefused(() => checkChosenPath(path, { kind: 'file', vaultDir: vault }), 'VAULT_BAD_INPUT', 'inside the vault folder');
    }
    await expectRefused(() => checkChosenPath(vault, { kind: 'folder', vaultDir: vault }), 'VAULT_BAD_INPUT', 'inside the vault folder');
    // Beside it is fine (a name that merely starts the same, too).
    expect(await checkChosenPath(join(dir, 'ops.lifeboat-audit.json'), { kind: 'file', vaultDir: vault })).toBe(join(dir, 'ops.lifeboat-audit.json'));
  });

  it('refuses a folder where a file goes, and a file where a folder goes', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'notes.txt'), 'x');
    await expectRefused(() => checkChosenPath(dir, { kind: 'file' }), 'VAULT_BAD_INPUT', 'is a folder');
    await expectRefused(() => checkChosenPath(join(dir, 'notes.txt'), { kind: 'folder' }), 'VAULT_BAD_INPUT', 'not a folder');
    await expectRefused(() => checkChosenPath(join(dir, 'notes.txt'), { kind: 'new-vault' }), 'VAULT_BAD_INPUT', 'not a folder for a vault');
  });
});
