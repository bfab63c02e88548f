// The victim of sync-crash.test.ts: a plain Node process that opens a vault
// (built engine, dist/node), syncs one signed catalog into it and locks it,
// unless it is killed with SIGKILL first, which is the point.
//
//   node test/integration/sync-worker.mjs <vault dir> <catalog.lbcat>
//
// Environment: LIFEBOAT_SYNC_MEMBER, LIFEBOAT_SYNC_PASSPHRASE.
//
// Protocol, one line per write(2) on stdout (well under PIPE_BUF, never torn):
//   START {pid}         the engine is loaded; the unlock starts now;
//   OPEN {pid}          the vault is open;
//   SYNCING {bytes}     syncCatalog is called now;
//   PHASE {label}       the sync reported a new step (where a kill landed);
//   DONE {applied}      syncCatalog's promise RESOLVED: the sync must now be durable;
//   LOCKED {}           the vault is locked; the worker exits 0;
//   ERR {message,code}  something unexpected failed: the worker exits with code 1.
import { readFileSync } from 'node:fs';
import { emit, fail } from '../support/worker-output.mjs';
import { syncCatalog } from '../../dist/node/electron/catalog/catalog-sync.js';
import { openVault } from '../../dist/node/electron/vault/vault-open.js';

/** A victim left running (its test gone) stops by itself. */
const MAX_RUN_MS = 60_000;

async function main() {
  const [dir, catalogPath] = process.argv.slice(2);
  const member = process.env.LIFEBOAT_SYNC_MEMBER;
  const passphrase = process.env.LIFEBOAT_SYNC_PASSPHRASE;
  if (!dir || !catalogPath || !member || !passphrase) {
    fail('usage: LIFEBOAT_SYNC_MEMBER=… LIFEBOAT_SYNC_PASSPHRASE=… sync-worker.mjs <vault dir> <catalog.lbcat>');
  }
  setTimeout(() => process.exit(0), MAX_RUN_MS).unref();
  const bytes = new Uint8Array(readFileSync(catalogPath));

  emit('START', { pid: process.pid });
  const session = await openVault(dir, { member, passphrase });
  emit('OPEN', { pid: process.pid });

  let phase = '';
  emit('SYNCING', { bytes: bytes.length });
  const report = await syncCatalog(
    session,
    { kind: 'signed', bytes, label: catalogPath },
    {
      progress: (_done, _total, label) => {
        if (label !== phase) {
          phase = label;
          emit('PHASE', { label });
        }
      },
    },
  );
  emit('DONE', { applied: report.applied, version: report.catalogVersion });
  await session.lock();
  emit('LOCKED', {});
}

main().catch((error) => {
  fail(error instanceof Error ? error.message : String(error), { code: error?.code, stack: error?.stack });
});
