/**
 * One-time codes from a vault (issue 21): a seed entered as a URI, a Base32
 * key or a QR image is stored sealed; a code is a reveal, logged before the
 * seed is decrypted; HOTP counters advance and are saved; the two-person
 * rule covers codes; the laptop's clock is checked against the vault.
 */
import { readFileSync } from 'node:fs';
import { HOTP, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { qrJpeg, qrPng } from '../../test/support/qr-images.js';
import { PASSPHRASES, newVault, unlockAs } from '../../test/support/test-vault.js';
import { AuditLog } from '../vault/audit/audit-log.js';
import { auditEntries } from '../vault/audit/vault-audit.js';
import { addMember } from '../vault/vault-members.js';
import type { VaultSession } from '../vault/vault-session.js';
import { generateCode, seedFromQrImage } from './one-time-codes.js';
import { createRecord, editRecord, openRecord, revealField } from './records.js';

// RFC 6238's SHA-1 seed, "12345678901234567890" in Base32.
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => () => new Date(seconds * 1000);

let dir: string;
let owner: VaultSession;
let totpId: string;
let hotpId: string;
let covered: string;

beforeAll(async () => {
  ({ dir, session: owner } = await newVault());
  await addMember(owner, { name: 'dave', role: 'responder', passphrase: PASSPHRASES['dave'] ?? '' });
  totpId = (
    await createRecord(owner, {
      type: 'secret',
      title: 'Entra break-glass admin',
      data: { username: 'bg-admin@example.org', totp: `otpauth://totp/Entra:bg-admin?secret=${RFC_SEED}&digits=8&issuer=Entra` },
    })
  ).id;
  hotpId = (await createRecord(owner, { type: 'secret', title: 'VPN token', data: { totp: `otpauth://hotp/VPN?secret=${RFC_SEED}&counter=0` } })).id;
  covered = (await createRecord(owner, { type: 'secret', title: 'AWS root', data: { totp: RFC_SEED.toLowerCase(), twoPerson: true } })).id;
}, 60_000);

afterAll(async () => {
  await owner.lock();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('storing a seed', () => {
  it('seals it like any secret: the record shows •••• and a reveal gives the canonical otpauth URI', async () => {
    const view = await openRecord(owner, totpId);
    expect(view.data['totp']).toBe('••••');
    expect(view.sealedFields).toContain('totp');
    const stored = await revealField(owner, totpId, 'totp', 'back up the seed');
    expect(stored).toMatch(/^otpauth:\/\/totp\/Entra:bg-admin\?issuer=Entra&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&digits=8&period=30$/);
  });

  it('a bare Base32 key becomes a TOTP URI named after the record', async () => {
    const stored = await revealField(owner, covered, 'totp', 'check the import', { member: 'dave', passphrase: PASSPHRASES['dave'] ?? '' });
    expect(stored).toContain('otpauth://totp/AWS%20root?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('refuses a malformed URI naming the field and the part, and stores nothing', async () => {
    const before = owner.internals().log.size;
    await expect(createRecord(owner, { type: 'secret', title: 'Bad', data: { totp: `otpauth://totp/x?secret=${RFC_SEED}&digits=9` } })).rejects.toMatchObject({
      code: 'VAULT_BAD_INPUT',
      message: 'The field "totp": otpauth URI: digits must be 6–8, got "9".',
    });
    expect(owner.internals().log.size).toBe(before);
    expect(
      owner
        .store()
        .list('secret')
        .map((r) => r.title),
    ).not.toContain('Bad');
  });

  it('sets lastRotated when a sealed value is stored, and again when it changes', async () => {
    const view = await openRecord(owner, totpId);
    expect(view.data['lastRotated']).toBe(new Date().toISOString().slice(0, 10));
    await editRecord(owner, totpId, { set: { lastRotated: '2020-01-01' } });
    expect((await openRecord(owner, totpId)).data['lastRotated']).toBe('2020-01-01');
    await editRecord(owner, totpId, { set: { username: 'bg-admin2@example.org' } });
    expect((await openRecord(owner, totpId)).data['lastRotated']).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe('generating a code', () => {
  it('gives the RFC 6238 code at the injected time, the next one and the seconds left', async () => {
    const code = await generateCode(owner, { id: totpId, reason: 'INC-7: SSO is down', now: at(59) });
    expect(code).toMatchObject({ type: 'totp', digits: 8, code: '94287082', secondsLeft: 1, period: 30, field: 'totp' });
    expect(code.next).toBe(new TOTP({ secret: RFC_SEED, digits: 8 }).generate({ timestamp: 60_000 }));
  });

  it('logs "code generated" with the reason, never the seed or the code', async () => {
    const code = await generateCode(owner, { id: totpId, reason: 'INC-8: console login', now: at(1111111109) });
    const event = auditEntries(owner).at(-1)?.event;
    expect(event).toMatchObject({
      type: 'code.generated',
      recordId: totpId,
      recordTitle: 'Entra break-glass admin',
      field: 'totp',
      reason: 'INC-8: console login',
    });
    const written = JSON.stringify(event);
    expect(written).not.toContain(RFC_SEED);
    expect(written).not.toContain(code.code);
  });

  it('attack: when the audit log cannot be written, no code is made at all', async () => {
    const made = vi.spyOn(TOTP.prototype, 'generate');
    vi.spyOn(AuditLog.prototype, 'append').mockRejectedValue(new Error('disk full'));
    await expect(generateCode(owner, { id: totpId, reason: 'INC-9', now: at(59) })).rejects.toThrow();
    expect(made).not.toHaveBeenCalled();
  });

  it('the event is written before the code is made', async () => {
    const logged = vi.spyOn(AuditLog.prototype, 'append');
    const made = vi.spyOn(TOTP.prototype, 'generate');
    await generateCode(owner, { id: totpId, reason: 'INC-10', now: at(59) });
    expect(logged.mock.invocationCallOrder).toHaveLength(1);
    expect(made.mock.invocationCallOrder.length).toBeGreaterThan(0);
    expect(Math.min(...made.mock.invocationCallOrder)).toBeGreaterThan(logged.mock.invocationCallOrder[0] ?? Infinity);
  });

  it('needs a reason, and refuses a field that holds no seed, before logging', async () => {
    const before = owner.internals().log.size;
    await expect(generateCode(owner, { id: totpId, reason: ' ' })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    await expect(generateCode(owner, { id: totpId, reason: 'INC-11', field: 'password' })).rejects.toMatchObject({ code: 'VAULT_BAD_INPUT' });
    expect(owner.internals().log.size).toBe(before);
  });

  it('HOTP: each code uses the next counter (RFC 4226), saved before the code is shown', async () => {
    const first = await generateCode(owner, { id: hotpId, reason: 'VPN login' });
    const second = await generateCode(owner, { id: hotpId, reason: 'VPN login again' });
    expect([first.code, first.counter, first.secondsLeft]).toEqual(['755224', 0, null]);
    expect([second.code, second.counter, second.next]).toEqual(['287082', 1, '359152']);
    // Saved: another session (bob's laptop, or after a restart) continues from counter 2.
    await owner.lock();
    owner = await unlockAs(dir, 'alice');
    const third = await generateCode(owner, { id: hotpId, reason: 'VPN login after a restart' });
    expect([third.code, third.counter]).toEqual(['359152', 2]);
    expect(new HOTP({ secret: RFC_SEED }).generate({ counter: 3 })).toBe(third.next);
  });

  it('HOTP: when the advanced counter cannot be saved, no code is shown', async () => {
    vi.spyOn(owner, 'commit').mockRejectedValueOnce(new Error('disk full'));
    await expect(generateCode(owner, { id: hotpId, reason: 'VPN, disk full' })).rejects.toThrow('disk full');
  });

  it('the two-person rule covers codes: refused alone, given with a second member named in the log', async () => {
    await expect(generateCode(owner, { id: covered, reason: 'INC-12', now: at(59) })).rejects.toMatchObject({ code: 'TWO_PERSON_REQUIRED' });
    const code = await generateCode(owner, { id: covered, reason: 'INC-12', now: at(59), second: { member: 'dave', passphrase: PASSPHRASES['dave'] ?? '' } });
    expect(code.code).toBe('287082');
    expect(auditEntries(owner).at(-1)?.event).toMatchObject({ type: 'code.generated', details: { twoPerson: true, secondMember: 'dave' } });
  });

  it('shows the laptop clock in UTC and warns when it is older than the newest audit event', async () => {
    const now = await generateCode(owner, { id: totpId, reason: 'INC-13' });
    expect(now.clock.suspect).toBe(false);
    expect(now.clock.nowUtc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const drawer = await generateCode(owner, { id: totpId, reason: 'INC-13 again', now: () => new Date('2001-01-01T00:00:00Z') });
    expect(drawer.clock).toMatchObject({ suspect: true, nowUtc: '2001-01-01T00:00:00Z' });
    expect(drawer.clock.warning).toContain('the newest audit event');
  });
});

describe('reading a seed from a QR image', () => {
  const uri = `otpauth://totp/ACME:ops?secret=${RFC_SEED}&issuer=ACME&algorithm=SHA512&digits=8`;

  it('reads a generated PNG and JPEG', () => {
    for (const image of [qrPng(uri), qrJpeg(uri, 4)]) {
      const seed = seedFromQrImage(image, 'enrol.png');
      expect(seed).toMatchObject({ type: 'totp', issuer: 'ACME', label: 'ops' });
      expect(seed.uri).toContain('algorithm=SHA512&digits=8');
    }
  });

  it('reads the committed fixture images (test/fixtures/one-time-codes)', () => {
    const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/one-time-codes/${name}`, import.meta.url));
    expect(seedFromQrImage(fixture('github-totp.png'), 'github-totp.png')).toMatchObject({ issuer: 'GitHub', label: 'breakglass-admin' });
    expect(seedFromQrImage(fixture('registrar-sha256.jpg'), 'registrar-sha256.jpg').uri).toContain('algorithm=SHA256&digits=8&period=60');
  });

  it('refuses, naming the file: not an image, no QR code, a QR code without a seed, a bad seed', () => {
    expect(() => seedFromQrImage(new TextEncoder().encode('hello'), 'notes.txt')).toThrow('notes.txt: not a PNG or JPEG image.');
    expect(() => seedFromQrImage(qrPng('https://example.org/'), 'site.png')).toThrow('site.png: the QR code holds no otpauth:// link');
    expect(() => seedFromQrImage(qrPng(`otpauth://totp/x?secret=${RFC_SEED}&digits=10`), 'bad.png')).toThrow('otpauth URI: digits must be 6–8, got "10".');
    const blank = qrPng('x').fill(0, 40);
    expect(() => seedFromQrImage(blank, 'broken.png')).toThrow(/broken\.png: /);
  });

  it('attack: a tiny PNG claiming an enormous image is refused before it is inflated', () => {
    const png = qrPng('x');
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    expect(() => seedFromQrImage(png, 'bomb.png')).toThrow('bomb.png: the image is 100000×100000 pixels, too large to read.');
  });
});
