/**
 * Issue 20: a long audit log's signatures are checked on worker threads.
 * The verification must give the one-thread answer, and for a damaged or
 * forged log the one-thread first error, whichever check of whichever line
 * fails first. Each case here is an attack on an 800-record log (long
 * log (the threaded path is taken from 100 lines here, 4,096 in use), verified both ways.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { loadSodium, type Sodium } from '../keys/crypto-runtime.js';
import { setWorkerUrlForTests } from '../worker-once.js';
import { lineHash, signedBytes, ZERO_HASH, type AuditRecord } from './audit-log.js';
import { setParallelMinLinesForTests } from './audit-signatures.js';
import { verifyAuditLines, verifyAuditLinesOnThreads, type VerifyOptions } from './audit-verify.js';

const COUNT = 800;
let sodium: Sodium;
let options: VerifyOptions;
let signingKey: Uint8Array;
let lines: string[];

/** Records with real signatures and chain; bodies and commitments are opaque here (no audit key is given). */
function signLines(from: readonly Omit<AuditRecord, 'sig' | 'prev'>[]): string[] {
  let prev = ZERO_HASH;
  return from.map((record) => {
    const unsigned = { ...record, prev };
    const sig = sodium.to_base64(sodium.crypto_sign_detached(signedBytes(unsigned), signingKey), sodium.base64_variants.ORIGINAL);
    const line = canonicalJson({ ...unsigned, sig });
    prev = lineHash(sodium, line);
    return line;
  });
}

function records(): Omit<AuditRecord, 'sig' | 'prev'>[] {
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  return Array.from({ length: COUNT }, (_, seq) => ({
    v: 1 as const,
    seq,
    time: new Date(t0 + seq * 1000).toISOString(),
    epoch: 1,
    commit: sodium.to_hex(sodium.crypto_generichash(32, `event ${seq}`, null)),
    body: sodium.to_base64(sodium.randombytes_buf(48), sodium.base64_variants.ORIGINAL),
  }));
}

/** The error (code and message) a verification gives, or 'ok'. */
async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return `${(error as { code?: string }).code ?? ''}: ${(error as Error).message}`;
  }
}

async function bothWays(log: readonly string[]): Promise<string> {
  const single = await outcome(() => verifyAuditLines(sodium, log, options));
  const threaded = await outcome(() => verifyAuditLinesOnThreads(sodium, log, options));
  expect(threaded).toBe(single);
  return threaded;
}

/** A copy of the log with line `index` re-signed by `key` after `change` (or left unsigned-changed). */
function tampered(index: number, change: (record: AuditRecord) => AuditRecord, resign = false): string[] {
  const copy = [...lines];
  const record = JSON.parse(copy[index] ?? '') as AuditRecord;
  const changed = change(record);
  if (resign) {
    const { sig: _sig, ...unsigned } = changed;
    changed.sig = sodium.to_base64(sodium.crypto_sign_detached(signedBytes(unsigned), signingKey), sodium.base64_variants.ORIGINAL);
  }
  copy[index] = canonicalJson(changed);
  return copy;
}

beforeAll(async () => {
  sodium = await loadSodium();
  const pair = sodium.crypto_sign_keypair();
  signingKey = pair.privateKey;
  options = { vaultId: 'test-vault', publicKeys: new Map([[1, pair.publicKey]]) };
  lines = signLines(records());
  setParallelMinLinesForTests(100);
});

afterEach(() => {
  setWorkerUrlForTests('audit-signature-worker', null);
});

afterAll(() => {
  setParallelMinLinesForTests(null);
});

describe('verifying a long audit log on threads', () => {
  it('gives the one-thread report for a good log', async () => {
    const single = verifyAuditLines(sodium, lines, options);
    const threaded = await verifyAuditLinesOnThreads(sodium, lines, options);
    expect(threaded).toEqual(single);
    expect(threaded.records).toBe(COUNT);
  });

  it('names the same line when one signature is forged deep in the log', async () => {
    const forged = tampered(599, (r) => ({ ...r, commit: sodium.to_hex(sodium.crypto_generichash(32, 'forged', null)) }));
    expect(await bothWays(forged)).toContain('line 600 (seq 599): the signature does not verify');
  });

  it('reports a chain broken early before a forged signature later', async () => {
    const both = tampered(799, (r) => ({ ...r, body: r.body.split('').reverse().join('') }));
    // Two records swapped, each still signed: only the order is wrong.
    both.splice(399, 2, lines[400] ?? '', lines[399] ?? '');
    expect(await bothWays(both)).toContain('line 400 (seq 400): expected sequence number 399');
  });

  it('reports a forged signature early before a clock turned back later', async () => {
    const forged = tampered(199, (r) => ({ ...r, epoch: 1, body: `${r.body.slice(0, -4)}AAA=` }));
    const later = JSON.parse(forged[599] ?? '') as AuditRecord;
    forged[599] = canonicalJson({ ...later, time: '2025-01-01T00:00:00.000Z' });
    expect(await bothWays(forged)).toContain('line 200 (seq 199): the signature does not verify');
  });

  it('on one line failing two checks, reports the one the one-thread walk meets first', async () => {
    // Time turned back and signature broken on the same line: the time check comes first.
    const both = tampered(500, (r) => ({ ...r, time: '2025-01-01T00:00:00.000Z' }));
    expect(await bothWays(both)).toContain('its time goes backwards');
  });

  it('names a line that is not JSON, and a log cut short of its sealed head', async () => {
    const broken = [...lines];
    broken[500] = '{"not": "a record"';
    expect(await bothWays(broken)).toContain('audit.log line 501 is not valid JSON');
    const sealed = { ...options, sealedHead: { size: COUNT + 1, hash: ZERO_HASH } };
    expect(await outcome(() => verifyAuditLinesOnThreads(sodium, lines, sealed))).toBe(await outcome(() => verifyAuditLines(sodium, lines, sealed)));
  });

  it('a signature thread that cannot start is ENGINE_UNAVAILABLE, never a pass', async () => {
    setWorkerUrlForTests('audit-signature-worker', pathToFileURL(join(tmpdir(), 'no-such-lifeboat-worker.js')));
    expect(await outcome(() => verifyAuditLinesOnThreads(sodium, lines, options))).toMatch(/^ENGINE_UNAVAILABLE: The audit log could not be verified/);
  });
});
