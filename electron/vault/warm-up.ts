/**
 * Warming the engine's WebAssembly while the member types the passphrase,
 * so the unlock that follows runs at full speed.
 *
 * Why: V8 first runs WebAssembly with a quick baseline compiler and
 * recompiles a function with its optimising compiler only once it has run
 * for a while. libsodium's stream cipher and sql.js's FTS4 code ran cold on
 * the first unlock of a process: at 5,000 runbooks the first decryption,
 * database open and search took 215–270 ms cold against 155–170 ms after
 * this warm-up (bench/README.md).
 *
 * When: from prepareUnlock(), where the unlock screen or the passphrase
 * prompt is shown, never during Argon2id. Argon2id is bound by memory
 * bandwidth: work beside it that touches memory (this does, and so does V8
 * compiling the warmed code) made it about 100 ms slower, eating the gain.
 * So a warm-up still going when any Argon2id starts (kdfStarts) stops: the
 * step under way finishes, the rest wait for the next prepareUnlock().
 *
 * What: the engine functions an unlock calls, on throwaway data: a 1 MiB
 * snapshot encrypted and decrypted under a random key, a signature made and
 * checked with a random key pair, and an in-memory database with a few
 * invented records, indexed and searched. No vault file is read or written and
 * no secret is involved. It yields between steps; it runs to the end once per
 * process, as compiled code lasts for the life of the process. A failure
 * here is ignored: it only means the unlock runs cold, as it did before.
 */
import { loadSodium, type Sodium } from './keys/crypto-runtime.js';
import { kdfStarts, prewarmKdf } from './keys/kdf-worker.js';
import { RecordStore, type StoredRecord } from './records/record-store.js';
import { decryptSnapshot, encryptSnapshot } from './storage/snapshot-file.js';

let warmed = false;
let running: Promise<number> | null = null;

/** Whether this process has been warmed up (diagnostics and tests). */
export function engineWarmedUp(): boolean {
  return warmed;
}

/** Tests only: make the next warm-up run again. */
export function resetWarmUpForTests(): void {
  warmed = false;
  running = null;
}

/**
 * Call where a person is about to type a passphrase (app start, after a
 * lock, the command line's prompt): Argon2id's worker loads libsodium and the
 * engine warms up while the member types. Returns at once.
 */
export function prepareUnlock(): void {
  prewarmKdf();
  if (warmed || running) {
    return;
  }
  // Any Argon2id that starts from now on (an unlock, a new vault, a new member) stops it.
  const since = kdfStarts();
  running = (async () => {
    try {
      return await warmUpEngine(await loadSodium(), () => kdfStarts() !== since);
    } catch {
      return 0;
    } finally {
      // Here rather than in a later callback: a prompt shown right after must start a new one.
      running = null;
    }
  })();
}

/** The warm-up under way, if any (tests). */
export function warmUpSettled(): Promise<number> {
  return running ?? Promise.resolve(0);
}

const WARM_UP_SNAPSHOT_BYTES = 1024 * 1024;

function cryptoStep(sodium: Sodium): void {
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const plain = new Uint8Array(WARM_UP_SNAPSHOT_BYTES);
  const meta = { vaultId: 'warm-up', generation: 1, keyEpoch: 1, savedAt: '', savedBy: '', auditHead: { size: 0, hash: '' }, dbBytes: plain.length };
  decryptSnapshot(sodium, key, encryptSnapshot(sodium, key, meta, plain), 'warm-up');
  const pair = sodium.crypto_sign_keypair();
  const message = sodium.crypto_generichash(32, plain.subarray(0, 4096), null);
  sodium.crypto_sign_verify_detached(sodium.crypto_sign_detached(message, pair.privateKey), message, pair.publicKey);
  sodium.memzero(key);
  sodium.memzero(pair.privateKey);
}

const PARAGRAPH =
  'Restore the primary database from the latest verified backup, check replication lag on every replica, ' +
  'then fail over the writers and confirm the application health checks pass before reopening traffic. ';

function inventedRecords(): StoredRecord[] {
  const at = new Date(0).toISOString();
  const base = { revision: 1, createdAt: at, createdBy: 'warm-up', updatedAt: at, updatedBy: 'warm-up', deleted: false };
  const records: StoredRecord[] = [];
  for (let i = 0; i < 12; i += 1) {
    records.push({
      ...base,
      id: `warm-up-runbook-${i}`,
      type: 'runbook',
      title: `Recover service ${i}`,
      data: {
        service: `service-${i}`,
        body: `# Recovery ${i}\n\n${PARAGRAPH.repeat(12)}`,
        steps: ['Stop the writers', 'Restore the backup'],
        validation: ['Health checks pass'],
        tags: ['database'],
      },
    });
  }
  records.push({ ...base, id: 'warm-up-service', type: 'service', title: 'service-0', data: { dependsOn: ['service-1'], owner: 'platform' } });
  records.push({ ...base, id: 'warm-up-contact', type: 'contact', title: 'On-call lead', data: { role: 'Incident commander', channels: ['phone'] } });
  return records;
}

function searchStep(store: RecordStore): void {
  for (const query of ['restore', 'replication lag', 'fail*']) {
    store.search(query);
  }
  store.list();
}

/**
 * Runs the warm-up, yielding to the event loop between steps; returns how
 * many of its steps ran (0 when this process was already warm).
 */
export async function warmUpEngine(sodium: Sodium, stop: () => boolean = () => false): Promise<number> {
  if (warmed) {
    return 0;
  }
  let store: RecordStore | null = null;
  let done = 0;
  const steps: (() => void | Promise<void>)[] = [
    () => {
      cryptoStep(sodium);
    },
    async () => {
      store = await RecordStore.open();
    },
    () => {
      for (const record of inventedRecords()) {
        store?.put(record, 'created', []);
      }
    },
    () => {
      if (store) {
        searchStep(store);
      }
    },
  ];
  try {
    for (const step of steps) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stop()) {
        return done;
      }
      await step();
      done += 1;
    }
    warmed = true;
  } catch {
    // Only costs speed: the unlock runs cold.
  } finally {
    (store as RecordStore | null)?.close();
  }
  return done;
}
