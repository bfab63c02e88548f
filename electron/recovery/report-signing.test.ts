/**
 * The signed JSON evidence report (issue #6): a fresh export verifies with no
 * vault key; any change to what it says, to its checkpoint, its signature or
 * its keys is refused with a LifeboatError (AUDIT_BROKEN when the document is
 * well formed but not what the vault signed, VAULT_BAD_INPUT when it is not a
 * report at all), and never with a crash. Also the export plumbing: logged
 * first, PDF only through a printer.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { mulberry32 } from '../../test/support/seeded-random.mjs';
import { at, useEngineClock } from '../../test/support/engine-clock.js';
import { newVault } from '../../test/support/test-vault.js';
import { canonicalBytes, canonicalJson } from '../vault/canonical-json.js';
import { loadSodium, type Sodium } from '../vault/keys/crypto-runtime.js';
import { auditEntries, signCheckpoint } from '../vault/audit/vault-audit.js';
import { createRecord, revealField } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { endSession, markStep, recordCheck, startSession } from './recovery-sessions.js';
import { exportReport } from './report-export.js';
import { verifyReportFile, verifySignedReport, type SignedReport } from './report-signing.js';

const open = useEngineClock();
let sodium: Sodium;
beforeEach(async () => {
  sodium = await loadSodium();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lifeboat-report-'));
}

/** A vault with one ended session: a useful service, a reveal, a failed check. */
async function endedSession(scenario = 'Postgres primary lost'): Promise<{ session: VaultSession; id: string }> {
  const { session } = await newVault();
  open.push(session);
  await createRecord(session, { type: 'service', title: 'Postgres', data: { tier: 1, rtoMinutes: 60 } });
  await createRecord(session, {
    type: 'runbook',
    title: 'Restore Postgres',
    data: { service: 'Postgres', steps: ['Restore base backup', 'Replay WAL'], validation: ['SELECT 1 works', 'Orders page loads'], estimatedMinutes: 40 },
  });
  const secret = (await createRecord(session, { type: 'secret', title: 'Postgres superuser', data: { username: 'postgres', password: 'pw' } })).id;
  const { id } = await startSession(session, { kind: 'incident', scenario, services: ['Postgres'] });
  at(5);
  await revealField(session, secret, 'password', 'INC-42: restore');
  at(20);
  await markStep(session, id, 'Postgres', 0, true);
  at(30);
  await recordCheck(session, id, 'Postgres', 1, false, 'HTTP 500 on /orders');
  await recordCheck(session, id, 'Postgres', 0, true);
  at(42);
  await recordCheck(session, id, 'Postgres', 1, true);
  at(50);
  await endSession(session, id);
  return { session, id };
}

async function exportJson(session: VaultSession, id: string): Promise<{ path: string; text: string; doc: SignedReport }> {
  const path = join(tempDir(), 'report.json');
  await exportReport(session, id, 'json', path);
  const text = readFileSync(path, 'utf8');
  return { path, text, doc: JSON.parse(text) as SignedReport };
}

/** The error verifying `json` raises; fails the test if it verifies or throws anything but a LifeboatError. */
function refusal(json: unknown): LifeboatError {
  try {
    verifySignedReport(sodium, json, 'report.json');
  } catch (error) {
    if (!(error instanceof LifeboatError)) {
      throw new Error(`verification crashed instead of refusing: ${String(error)}`);
    }
    return error;
  }
  throw new Error('an altered report verified');
}

/** Re-signs a document as whoever holds `signingSecret` would (the format is public: docs in report-signing.ts). */
function resign(doc: Omit<SignedReport, 'signature'>, signingSecret: Uint8Array, epoch: number): SignedReport {
  const prefix = new TextEncoder().encode('lifeboat-evidence-report-v1\n');
  const body = canonicalBytes(doc);
  const bytes = new Uint8Array(prefix.length + body.length);
  bytes.set(prefix);
  bytes.set(body, prefix.length);
  const sig = sodium.crypto_sign_detached(bytes, signingSecret);
  return { ...doc, signature: { epoch, sig: sodium.to_base64(sig, sodium.base64_variants.ORIGINAL) } };
}

function signingKey(session: VaultSession): Uint8Array {
  const key = session.internals().keys.signingSecret;
  if (!key) {
    throw new Error('a full member has a signing key');
  }
  return key;
}

describe('a signed evidence report', () => {
  it('verifies fresh from the export, names its session, and was logged before it was written', async () => {
    const { session, id } = await endedSession();
    const { path, doc } = await exportJson(session, id);

    const verified = await verifyReportFile(path);
    expect(verified).toMatchObject({ vaultId: session.vaultId, sessionId: id, scenario: 'Postgres primary lost', epoch: 1 });
    expect(doc.report.services[0]).toMatchObject({ title: 'Postgres', usefulMinutes: 42, verdict: 'met' });
    expect(doc.report.reveals.map((r) => r.actor)).toEqual(['alice']);

    // The checkpoint covers the log up to and including the export event itself.
    const entries = auditEntries(session);
    const exported = entries.filter((e) => e.event.type === 'session.report-exported');
    expect(exported.map((e) => e.event.details)).toEqual([{ sessionId: id, format: 'json', to: path }]);
    expect(verified.checkpointSize).toBe((exported[0]?.seq ?? -1) + 1);

    // Logged first: when the file cannot be written, the attempt is still on record.
    const unwritable = join(path, 'not-a-folder', 'report.json');
    await expect(exportReport(session, id, 'markdown', unwritable)).rejects.toBeInstanceOf(LifeboatError);
    expect(existsSync(unwritable)).toBe(false);
    expect(auditEntries(session).at(-1)?.event).toMatchObject({
      type: 'session.report-exported',
      details: { sessionId: id, format: 'markdown', to: unwritable },
    });
  });

  it('refuses each targeted alteration with the code that says why', async () => {
    const { session, id } = await endedSession();
    const { doc } = await exportJson(session, id);
    const other = await endedSession('Another vault entirely');
    const otherDoc = (await exportJson(other.session, other.id)).doc;
    const alter = (change: (copy: SignedReport) => void): SignedReport => {
      const copy = structuredClone(doc);
      change(copy);
      return copy;
    };

    // The untouched copy verifies, so each refusal below is due to its one change.
    expect(verifySignedReport(sodium, structuredClone(doc), 'report.json').sessionId).toBe(id);

    const cases: [string, SignedReport, 'AUDIT_BROKEN' | 'VAULT_BAD_INPUT' | 'VAULT_TAMPERED'][] = [
      ['scenario text', alter((c) => (c.report.session.scenario = 'Routine maintenance')), 'AUDIT_BROKEN'],
      ['a usefulMinutes number', alter((c) => ((c.report.services[0] as { usefulMinutes: number | null }).usefulMinutes = 41)), 'AUDIT_BROKEN'],
      ['a verdict', alter((c) => ((c.report.services[0] as { verdict: string }).verdict = 'missed')), 'AUDIT_BROKEN'],
      ['a reveal actor', alter((c) => ((c.report.reveals[0] as { actor: string }).actor = 'mallory')), 'AUDIT_BROKEN'],
      ['a dropped reveal', alter((c) => (c.report.reveals = [])), 'AUDIT_BROKEN'],
      ['the checkpoint', alter((c) => (c.checkpoint = c.checkpoint.replace(/\n\d+\n/, '\n1\n'))), 'AUDIT_BROKEN'],
      ['the checkpoint, another vault', alter((c) => (c.checkpoint = otherDoc.checkpoint)), 'AUDIT_BROKEN'],
      ['the signature bytes', alter((c) => (c.signature.sig = otherDoc.signature.sig)), 'AUDIT_BROKEN'],
      ['the signature, not base64', alter((c) => (c.signature.sig = '!!!')), 'AUDIT_BROKEN'],
      ['the signature epoch', alter((c) => (c.signature.epoch = 2)), 'AUDIT_BROKEN'],
      // Caught before the signature: the keys are not signed by the identity this report names.
      ["the publicKeys: another vault's key", alter((c) => (c.publicKeys = otherDoc.publicKeys)), 'VAULT_TAMPERED'],
      // The identity signed its keys under the genuine vault id.
      ['the vaultId', alter((c) => (c.vaultId = otherDoc.vaultId)), 'VAULT_TAMPERED'],
      ['the publicKeys: not a key', alter((c) => ((c.publicKeys[0] as { publicKey: string }).publicKey = 'AAAA')), 'VAULT_BAD_INPUT'],
      ['the publicKeys: none', alter((c) => (c.publicKeys = [])), 'VAULT_BAD_INPUT'],
      ['the format', alter((c) => ((c as { format: string }).format = 'lifeboat-audit-export')), 'VAULT_BAD_INPUT'],
      ['the version', alter((c) => ((c as { version: number }).version = 3)), 'VAULT_BAD_INPUT'],
      ['the version, older', alter((c) => ((c as { version: number }).version = 1)), 'AUDIT_BROKEN'],
      ['a missing report field', alter((c) => Reflect.deleteProperty(c.report.session, 'endedBy')), 'VAULT_BAD_INPUT'],
      ['a number made a string', alter((c) => ((c.report.session as { durationMinutes: unknown }).durationMinutes = '50')), 'VAULT_BAD_INPUT'],
      ['an extra top-level field', alter((c) => Object.assign(c, { comment: 'approved' })), 'VAULT_BAD_INPUT'],
    ];
    for (const [what, altered, code] of cases) {
      expect({ what, code: refusal(altered).code }).toEqual({ what, code });
    }
    for (const junk of [null, 42, 'report', [], {}]) {
      expect(refusal(junk).code).toBe('VAULT_BAD_INPUT');
    }
  });

  it('refuses a report made with another vault’s key that claims this vault', async () => {
    const ours = await endedSession();
    const doc = (await exportJson(ours.session, ours.id)).doc;
    const theirs = await endedSession('Forged');
    const forgerKey = signingKey(theirs.session);
    const { signature: _signature, ...unsigned } = doc;

    // Our keys listed, their signature: the signature does not verify.
    expect(
      refusal(resign({ ...unsigned, report: { ...unsigned.report, session: { ...unsigned.report.session, scenario: 'Forged' } } }, forgerKey, 1)).code,
    ).toBe('AUDIT_BROKEN');
    // Their keys listed under our vault id: not signed by our identity (the fingerprint people compare), refused first.
    const theirKeys = theirs.session.internals().header.auditPublicKeys;
    expect(refusal(resign({ ...unsigned, publicKeys: theirKeys, checkpoint: signCheckpoint(theirs.session) }, forgerKey, 1)).code).toBe('VAULT_TAMPERED');
    expect(refusal(resign({ ...unsigned, publicKeys: theirKeys }, forgerKey, 1)).code).toBe('VAULT_TAMPERED');
    // Their identity too: it all chains, but to their fingerprint, not ours.
    const theirIdentity = theirs.session.header.identity?.publicKey ?? '';
    const chained = resign(
      { ...unsigned, vaultId: theirs.session.vaultId, identityKey: theirIdentity, publicKeys: theirKeys, checkpoint: signCheckpoint(theirs.session) },
      forgerKey,
      1,
    );
    // Unpinned, it is caught only because its body still names our vault; pinned, by the fingerprint.
    expect(refusal(chained).code).toBe('AUDIT_BROKEN');
    expect(() => verifySignedReport(sodium, chained, 'report.json', ours.session.fingerprint)).toThrow(/not [0-9a-f ]+: do not trust/);
    // A report body that names another vault than the signed document.
    const ourKey = signingKey(ours.session);
    const renamed = { ...unsigned, report: { ...unsigned.report, vault: { ...unsigned.report.vault, id: theirs.session.vaultId } } };
    expect(refusal(resign(renamed, ourKey, 1)).code).toBe('AUDIT_BROKEN');
  });

  it('survives a sweep of 200 seeded single-character mutations: verified only when the JSON means the same', async () => {
    const { session, id } = await endedSession();
    const { path, text } = await exportJson(session, id);
    const original = canonicalJson(JSON.parse(text));
    const seed = 20260302;
    const random = mulberry32(seed);
    const alphabet = ' \t\n"\\{}[]:,0123456789.-+eEaAzZ/=—';
    const outcomes = { verified: 0, AUDIT_BROKEN: 0, VAULT_BAD_INPUT: 0, VAULT_TAMPERED: 0 };
    for (let i = 0; i < 200; i += 1) {
      const position = Math.floor(random() * text.length);
      const kind = random();
      const char = alphabet[Math.floor(random() * alphabet.length)] ?? 'x';
      const mutated =
        kind < 0.6
          ? text.slice(0, position) + char + text.slice(position + 1)
          : kind < 0.8
            ? text.slice(0, position) + text.slice(position + 1)
            : text.slice(0, position) + char + text.slice(position);
      if (mutated === text) {
        continue;
      }
      writeFileSync(path, mutated);
      let same: boolean;
      try {
        same = canonicalJson(JSON.parse(mutated)) === original;
      } catch {
        same = false;
      }
      const label = { seed, i, position, kind, char, around: JSON.stringify(mutated.slice(Math.max(0, position - 20), position + 20)) };
      try {
        await verifyReportFile(path);
        // Success is only right when the change was meaningless (whitespace between tokens).
        expect({ ...label, same }).toEqual({ ...label, same: true });
        outcomes.verified += 1;
      } catch (error) {
        if (!(error instanceof LifeboatError)) {
          throw new Error(`mutation ${JSON.stringify(label)} crashed verification: ${String(error)}`);
        }
        expect({ ...label, code: error.code, same }).toEqual({
          ...label,
          code: expect.stringMatching(/^(AUDIT_BROKEN|VAULT_BAD_INPUT|VAULT_TAMPERED)$/) as unknown,
          same: false,
        });
        outcomes[error.code as 'AUDIT_BROKEN' | 'VAULT_BAD_INPUT' | 'VAULT_TAMPERED'] += 1;
      }
    }
    // The sweep must reach the signature check often, not just break the JSON syntax.
    expect(outcomes.AUDIT_BROKEN).toBeGreaterThan(20);
    expect(outcomes.VAULT_BAD_INPUT).toBeGreaterThan(20);
  });
});

describe('exporting other formats', () => {
  it('refuses PDF without a printer, writing and logging nothing', async () => {
    const { session, id } = await endedSession();
    const path = join(tempDir(), 'report.pdf');
    const before = session.internals().log.size;
    await expect(exportReport(session, id, 'pdf', path)).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect(existsSync(path)).toBe(false);
    expect(session.internals().log.size).toBe(before);
  });

  it('logs no export when the printer fails (Chromium missing or crashed)', async () => {
    const { session, id } = await endedSession();
    const path = join(tempDir(), 'report.pdf');
    const before = session.internals().log.size;
    await expect(exportReport(session, id, 'pdf', path, () => Promise.reject(new Error('no chromium')))).rejects.toThrow('no chromium');
    expect(existsSync(path)).toBe(false);
    expect(session.internals().log.size).toBe(before);
  });

  it('hands the printer the report HTML and writes what it returns', async () => {
    const { session, id } = await endedSession('Printer plumbing check');
    const path = join(tempDir(), 'report.pdf');
    const printed: string[] = [];
    const result = await exportReport(session, id, 'pdf', path, (html) => {
      printed.push(html);
      return Promise.resolve(new TextEncoder().encode(html));
    });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('Printer plumbing check');
    expect(readFileSync(path, 'utf8')).toBe(printed[0]);
    expect(result).toEqual({ path, bytes: Buffer.byteLength(printed[0] ?? '') });
    expect(auditEntries(session).at(-1)?.event).toMatchObject({ type: 'session.report-exported', details: { sessionId: id, format: 'pdf', to: path } });
  });

  it('writes Markdown that names the session', async () => {
    const { session, id } = await endedSession('Markdown check');
    const path = join(tempDir(), 'report.md');
    await exportReport(session, id, 'markdown', path);
    const markdown = readFileSync(path, 'utf8');
    expect(markdown).toContain('Markdown check');
    expect(markdown).toContain(id);
  });
});

describe('unsigned content', () => {
  // The nested report schemas are not strict, so zod strips unknown keys: the
  // signature must be checked over the document as written, or text added
  // inside `report` after signing would verify, yet be in the file a person reads.
  it('refuses a field added inside the report after signing', async () => {
    const { session, id } = await endedSession();
    const { doc } = await exportJson(session, id);
    const copy = structuredClone(doc);
    Object.assign(copy.report.services[0] ?? {}, { waiver: 'RTO miss approved by the CISO' });
    Object.assign(copy.report.session, { verdictOverride: 'met' });
    expect(refusal(copy).code).toMatch(/^(AUDIT_BROKEN|VAULT_BAD_INPUT)$/);
  });
});
