/**
 * `lifeboat audit export --format`, `audit verify --export … --siem` and
 * `audit collect` through the CLI's own parsing, in-process (the spawned
 * contract is in test/integration/cli-contract.test.ts): exit codes, the
 * sentences an auditor reads, and bad input changing nothing.
 */
import { runCliCaptured, type CapturedRun } from '../../test/support/cli-in-process.js';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newVault } from '../../test/support/test-vault.js';
import { createRecord } from '../vault/records/vault-records.js';

let dir: string;
const work = mkdtempSync(join(tmpdir(), 'lb-siem-cli-'));

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  await createRecord(created.session, { type: 'secret', title: 'Registrar', data: { password: 'reg-pw' } });
  await created.session.lock();
}, 60_000);

function lifeboat(...argv: string[]): Promise<CapturedRun> {
  return runCliCaptured(argv);
}

describe('lifeboat audit export --format / verify --siem / collect', () => {
  it('exports each format, and verify --siem matches it to the signed export', async () => {
    const signed = join(work, 'signed.json');
    for (const format of ['jsonl', 'ocsf', 'cef']) {
      const copy = join(work, `copy.${format}`);
      const exported = await lifeboat('audit', 'export', dir, '--as', 'alice', '--format', format, '--out', copy);
      expect(exported.code, exported.err).toBe(0);
      expect(exported.out).toMatch(new RegExp(`^Wrote \\d+ ${format} lines to .*--siem `));
    }
    expect((await lifeboat('audit', 'export', dir, '--as', 'alice', '--out', signed)).code).toBe(0);
    for (const format of ['jsonl', 'ocsf', 'cef']) {
      const checked = await lifeboat('audit', 'verify', '--export', signed, '--siem', join(work, `copy.${format}`));
      expect(checked.code, checked.err).toBe(0);
      expect(checked.out).toMatch(new RegExp(`\\(${format}, \\d+ lines, seq 0–\\d+\\) matches the signed export`));
    }
  });

  it('bad input is exit 2 naming the option, and writes nothing', async () => {
    const out = join(work, 'never.cef');
    const badFormat = await lifeboat('audit', 'export', dir, '--as', 'alice', '--format', 'leef', '--out', out);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toMatch(/--format leef is not a format: give lifeboat, jsonl, ocsf, cef/);
    const badDate = await lifeboat('audit', 'export', dir, '--as', 'alice', '--format', 'cef', '--from', 'yesterday', '--out', out);
    expect(badDate.code).toBe(2);
    expect(badDate.err).toMatch(/--from yesterday is not a date/);
    expect(existsSync(out)).toBe(false);
    expect((await lifeboat('audit', 'verify', '--siem', out)).code).toBe(2);
  });

  it('verify --siem exits 4 naming the first line that differs', async () => {
    const lines = readFileSync(join(work, 'copy.jsonl'), 'utf8').trimEnd().split('\n');
    lines[1] = (lines[1] ?? '').replace('"actor":"alice"', '"actor":"mallory"');
    const tampered = join(work, 'tampered.jsonl');
    writeFileSync(tampered, `${lines.join('\n')}\n`);
    const checked = await lifeboat('audit', 'verify', '--export', join(work, 'signed.json'), '--siem', tampered);
    expect(checked.code).toBe(4);
    expect(checked.err).toMatch(/tampered\.jsonl line 2 \(seq 1\) does not match the signed export: actor differs/);
  });

  it('collect prints each fingerprint and writes the timeline and summary; a wrong pin is exit 4', async () => {
    const out = join(work, 'collected');
    const collected = await lifeboat('audit', 'collect', join(work, 'signed.json'), '--out', out);
    expect(collected.code, collected.err).toBe(0);
    expect(collected.out).toMatch(/Collected 1 verified export\(s\) of 1 vault\(s\)/);
    expect(collected.out).toMatch(/Ops: fingerprint [0-9a-f ]+, 1 export\(s\)/);
    expect(existsSync(join(out, 'timeline.jsonl')) && existsSync(join(out, 'summary.json'))).toBe(true);
    const again = await lifeboat('audit', 'collect', join(work, 'signed.json'), '--out', out);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists: collect into an empty folder/);
    const pinned = await lifeboat('audit', 'collect', join(work, 'signed.json'), '--fingerprint', 'dead beef', '--out', join(work, 'pinned'));
    expect(pinned.code).toBe(4);
    expect(existsSync(join(work, 'pinned'))).toBe(false);
  });

  it('collect --sign-with signs the summary; verify --export checks it with its timeline: 0, or 4 when edited or not the pinned vault', async () => {
    const out = join(work, 'signed-collection');
    const collected = await lifeboat('audit', 'collect', join(work, 'signed.json'), '--out', out, '--sign-with', dir, '--as', 'alice');
    expect(collected.code, collected.err).toBe(0);
    expect(collected.err).not.toMatch(/NOT signed/);
    expect(collected.out).toMatch(/signed by alice of Ops\. Check both with: lifeboat audit verify --export .*summary\.json --fingerprint FP/);
    const fingerprint = (await lifeboat('audit', 'verify', '--export', join(out, 'summary.json'), '--json')).out;
    const fp = (JSON.parse(fingerprint) as { fingerprint: string }).fingerprint;
    const verified = await lifeboat('audit', 'verify', '--export', join(out, 'summary.json'), '--fingerprint', fp);
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toMatch(/^Collection summary verified \(1 export\(s\) of 1 vault\(s\), 0 gap\(s\)\)/);
    expect(verified.out).toMatch(/The signer vault is the one whose fingerprint you gave/);
    expect((await lifeboat('audit', 'verify', '--export', join(out, 'summary.json'), '--fingerprint', 'dead beef')).code).toBe(4);
    writeFileSync(join(out, 'timeline.jsonl'), readFileSync(join(out, 'timeline.jsonl'), 'utf8').replace('"actor":"alice"', '"actor":"mallory"'));
    const edited = await lifeboat('audit', 'verify', '--export', join(out, 'summary.json'), '--fingerprint', fp);
    expect(edited.code).toBe(4);
    expect(edited.err).toMatch(/is not the timeline the signed summary names/);
    // Without --sign-with: written, with a loud warning, and never verified.
    const unsigned = await lifeboat('audit', 'collect', join(work, 'signed.json'), '--out', join(work, 'unsigned-collection'));
    expect(unsigned.code).toBe(0);
    expect(unsigned.err).toMatch(/^warning: .*summary\.json is NOT signed/);
    expect((await lifeboat('audit', 'verify', '--export', join(work, 'unsigned-collection', 'summary.json'))).code).toBe(4);
    const asAlone = await lifeboat('audit', 'collect', join(work, 'signed.json'), '--out', join(work, 'as-alone'), '--as', 'alice');
    expect(asAlone.code).toBe(2);
    expect(existsSync(join(work, 'as-alone'))).toBe(false);
  });
});
