// Builds real on-disk vaults fast.
//
// createRecord would log (fsync) and write a whole new snapshot for every
// record: O(n²) bytes written, hours at 20,000 records. Instead the vault is
// created with the real createVault (default Argon2id), every record goes
// through the engine's own validation (validateData), ids (newRecordId) and
// field sealing (seal, with the documented AD) straight into the session's
// RecordStore in one transaction, one `record.created` audit record per
// record is signed with the engine's functions and appended with one fsync,
// the log is reloaded with the real AuditLog.load (which checks the chain),
// and one snapshot is committed. lock() then logs vault.locked, commits again
// and writes the checkpoint, exactly as the app does. The result is opened
// by the real openVault in every measurement.
import { performance } from 'node:perf_hooks';
import { AuditLog } from '../../dist/node/electron/vault/audit/audit-log.js';
import { seal } from '../../dist/node/electron/vault/keys/key-hierarchy.js';
import { createVault } from '../../dist/node/electron/vault/vault-open.js';
import { newRecordId, validateData } from '../../dist/node/electron/vault/records/vault-records.js';
import { SEALED_FIELDS } from '../../dist/node/shared/records.js';
import { appendLinesOnce, signAuditLines } from './audit-gen.mjs';

export const OWNER = 'alice';
export const PASSPHRASE = 'bench correct horse battery staple';

/** A record's sealed fields, as sealFields in vault-records.ts does it (docs/vault-format.md). */
function sealSecrets(sodium, contentKey, vaultId, id, data) {
  const out = { ...data };
  for (const field of SEALED_FIELDS) {
    if (typeof out[field] === 'string') {
      const sealed = seal(sodium, contentKey, out[field], `lifeboat-field|${vaultId}|${id}|${field}`);
      out[field] = { $sealed: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL) };
    }
  }
  return out;
}

/**
 * Adds plain records { type, title, data } to an unlocked session: logged
 * (one signed record.created each), stored in one transaction, committed
 * once. Returns the stored records (ids, titles) and the time it took.
 */
export async function bulkAdd(session, plain) {
  const started = performance.now();
  const state = session.internals();
  const { sodium, header, keys, dir } = state;
  const store = session.store();
  const now = new Date().toISOString();
  const stored = plain.map((r) => {
    const id = newRecordId(sodium, r.type);
    const data = sealSecrets(sodium, keys.content, header.vaultId, id, validateData(r.type, r.data));
    return {
      id,
      type: r.type,
      title: r.title,
      data,
      revision: 1,
      createdAt: now,
      createdBy: OWNER,
      updatedAt: now,
      updatedBy: OWNER,
      deleted: false,
      changed: Object.keys(r.data),
    };
  });
  const { lines } = signAuditLines(sodium, {
    vaultId: header.vaultId,
    epoch: keys.epoch,
    auditKey: keys.audit,
    signingSecretKey: keys.signingSecret,
    startSeq: state.log.size,
    prevHash: state.log.headHash(),
    startTime: new Date(),
    events: stored.map((r) => ({ type: 'record.created', actor: OWNER, role: 'owner', recordId: r.id, recordTitle: r.title })),
  });
  await appendLinesOnce(dir, lines);
  state.log = await AuditLog.load(sodium, dir, header.vaultId);
  store.transaction(() => {
    for (const { changed, ...record } of stored) {
      store.put(record, 'created', changed);
    }
  });
  await session.commit();
  return { stored, ms: performance.now() - started };
}

/** A new vault at `dir` (default KDF: Argon2id MODERATE) holding `plain`, locked when done. */
export async function buildVault(dir, plain, { name = 'Bench' } = {}) {
  const t0 = performance.now();
  const session = await createVault(dir, { owner: OWNER, passphrase: PASSPHRASE, name, insecureFastKdf: false });
  const createMs = performance.now() - t0;
  const { stored, ms } = await bulkAdd(session, plain);
  const t1 = performance.now();
  await session.lock();
  return { stored, createMs, addMs: ms, lockMs: performance.now() - t1 };
}
