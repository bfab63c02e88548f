// Audit records made with the engine's own sealing, commitment and signing
// functions (the same steps as AuditLog.append), but written in one go with a
// single fsync: 100,000 fsynced appends would take minutes and measure the
// disk, not the format. What reads them back (AuditLog.load, verifyAudit,
// verifyAuditLines) is the real engine, unchanged.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIT_FILE, ZERO_HASH, eventAd, eventCommit, lineHash, signedBytes } from '../../dist/node/electron/vault/audit/audit-log.js';
import { canonicalJson } from '../../dist/node/electron/vault/canonical-json.js';
import { seal } from '../../dist/node/electron/vault/keys/key-hierarchy.js';

/**
 * Signs `events` (without salt) as records seq = startSeq…, chained to
 * `prevHash`, one millisecond apart from `startTime`. Returns the lines
 * (without newlines) and the new head hash.
 */
export function signAuditLines(sodium, { vaultId, epoch, auditKey, signingSecretKey, startSeq, prevHash, startTime, events }) {
  const lines = [];
  let prev = prevHash ?? ZERO_HASH;
  const t0 = startTime.getTime();
  events.forEach((event, i) => {
    const seq = startSeq + i;
    const full = { ...event, salt: sodium.to_base64(sodium.randombytes_buf(16), sodium.base64_variants.ORIGINAL) };
    const sealed = seal(sodium, auditKey, canonicalJson(full), eventAd(vaultId, seq, epoch));
    const unsigned = {
      v: 1,
      seq,
      time: new Date(t0 + i).toISOString(),
      epoch,
      prev,
      commit: eventCommit(sodium, full),
      body: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
    };
    const sig = sodium.crypto_sign_detached(signedBytes(unsigned), signingSecretKey);
    const line = canonicalJson({ ...unsigned, sig: sodium.to_base64(sig, sodium.base64_variants.ORIGINAL) });
    lines.push(line);
    prev = lineHash(sodium, line);
  });
  return { lines, headHash: prev };
}

/** Appends lines to the vault's audit.log with one write and one fsync. */
export async function appendLinesOnce(vaultDir, lines) {
  const handle = await open(join(vaultDir, AUDIT_FILE), 'a');
  try {
    // Written in slices of 10,000 lines: one 50 MB string is not needed.
    for (let i = 0; i < lines.length; i += 10_000) {
      await handle.write(`${lines.slice(i, i + 10_000).join('\n')}\n`);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A plausible day-to-day mix of events for `count` records (opens, reveals with reasons, edits, syncs). */
export function auditEventMix(count, records, member = { actor: 'alice', role: 'owner' }) {
  const events = [];
  for (let i = 0; i < count; i += 1) {
    const record = records[i % records.length];
    const kind = i % 20;
    if (kind < 12) {
      events.push({ type: 'record.opened', ...member, recordId: record.id, recordTitle: record.title });
    } else if (kind < 15) {
      events.push({
        type: 'secret.revealed',
        ...member,
        recordId: record.id,
        recordTitle: record.title,
        field: 'password',
        reason: `INC-${1000 + (i % 9000)}: restore after outage`,
      });
    } else if (kind < 18) {
      events.push({ type: 'record.edited', ...member, recordId: record.id, recordTitle: record.title, details: { fields: 'steps' } });
    } else if (kind < 19) {
      events.push({ type: 'vault.unlocked', ...member, details: { failedAttemptsSinceLastUnlock: 0 } });
    } else {
      events.push({ type: 'vault.locked', ...member });
    }
  }
  return events;
}
