/**
 * Opening a long log's events on threads gives what the one-thread loop
 * gives: the same events (as the canonical JSON their commitments hash), and
 * for a broken one the same first error. Threads run the compiled worker
 * (npm run build:node).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../../shared/errors.js';
import { canonicalJson } from '../canonical-json.js';
import { loadSodium, type Sodium } from '../keys/crypto-runtime.js';
import { seal } from '../keys/key-hierarchy.js';
import { setWorkerUrlForTests } from '../worker-once.js';
import { openEventsOnThreads } from './audit-event-threads.js';
import { eventAd, eventCommit, openRecordEventChecked, type AuditEvent, type AuditRecord } from './audit-log.js';

const VAULT = 'test-vault';
const COUNT = 300;
let sodium: Sodium;
const keys = new Map<number, Uint8Array>();
let lines: string[];

/** Records as the log holds them (only what opening reads is real: seq, epoch, body, commit, time). */
function record(seq: number, epoch: number, event: AuditEvent): string {
  const key = keys.get(epoch) ?? new Uint8Array(32);
  const body = sodium.to_base64(seal(sodium, key, canonicalJson(event), eventAd(VAULT, seq, epoch)), sodium.base64_variants.ORIGINAL);
  const time = new Date(Date.UTC(2026, 11, 1) + seq * 1000).toISOString();
  return canonicalJson({ v: 1, seq, time, epoch, prev: '0'.repeat(64), commit: eventCommit(sodium, event), body, sig: '' });
}

function oneThread(log: readonly string[]): { canonical: string[]; times: string[]; epochs: number[] } | string {
  try {
    const opened = log.map((line, i) => {
      const r = JSON.parse(line) as AuditRecord;
      return { r, ...openRecordEventChecked(sodium, VAULT, r, i + 1, (e) => keys.get(e)) };
    });
    return { canonical: opened.map((o) => o.canonical), times: opened.map((o) => o.r.time), epochs: opened.map((o) => o.r.epoch) };
  } catch (error) {
    return `${(error as LifeboatError).code}: ${(error as LifeboatError).message}`;
  }
}

async function threaded(log: readonly string[]): Promise<{ canonical: string[]; times: string[]; epochs: number[] } | string> {
  try {
    return await openEventsOnThreads(VAULT, log, keys);
  } catch (error) {
    return `${(error as LifeboatError).code}: ${(error as LifeboatError).message}`;
  }
}

beforeAll(async () => {
  sodium = await loadSodium();
  keys.set(1, sodium.crypto_aead_xchacha20poly1305_ietf_keygen());
  keys.set(2, sodium.crypto_aead_xchacha20poly1305_ietf_keygen());
  lines = Array.from({ length: COUNT }, (_, seq) =>
    record(seq, seq < 100 ? 1 : 2, {
      type: 'secret.revealed',
      actor: 'alice',
      role: 'owner',
      recordTitle: `DB "${seq}" | ü`,
      reason: `INC-${seq}`,
      details: { n: seq },
      salt: `s${seq}`,
    }),
  );
});

afterEach(() => {
  setWorkerUrlForTests('audit-event-worker', null);
});

describe('opening audit events on threads', () => {
  it('gives the one-thread events, times and epochs (two key epochs), and leaves the keys it was given intact', async () => {
    const before = [...keys.values()].map((k) => sodium.to_hex(k));
    const opened = await threaded(lines);
    expect(opened).toEqual(oneThread(lines));
    expect(typeof opened === 'string' ? [] : opened.canonical).toHaveLength(COUNT);
    expect([...keys.values()].map((k) => sodium.to_hex(k))).toEqual(before);
  });

  it('names the same first line when a body is swapped in, or an event does not match its commitment', async () => {
    const swapped = [...lines];
    const victim = JSON.parse(swapped[250] ?? '') as AuditRecord;
    swapped[250] = canonicalJson({ ...victim, body: (JSON.parse(swapped[249] ?? '') as AuditRecord).body });
    const recommitted = JSON.parse(swapped[40] ?? '') as AuditRecord;
    swapped[40] = canonicalJson({ ...recommitted, commit: 'f'.repeat(64) });
    const one = oneThread(swapped);
    expect(one).toBe('AUDIT_BROKEN: audit.log line 41 (seq 40): the event does not match its commitment.');
    expect(await threaded(swapped)).toBe(one);
    const unknownEpoch = [...lines];
    unknownEpoch[299] = canonicalJson({ ...(JSON.parse(lines[299] ?? '') as AuditRecord), epoch: 9 });
    expect(await threaded(unknownEpoch)).toBe(oneThread(unknownEpoch));
    expect(await threaded(unknownEpoch)).toMatch(/line 300 \(seq 299\) uses key epoch 9/);
  });

  it('a thread that cannot start is ENGINE_UNAVAILABLE, never events', async () => {
    setWorkerUrlForTests('audit-event-worker', pathToFileURL(join(tmpdir(), 'no-such-lifeboat-worker.js')));
    expect(await threaded(lines)).toMatch(/^ENGINE_UNAVAILABLE: The audit log could not be read/);
  });
});
