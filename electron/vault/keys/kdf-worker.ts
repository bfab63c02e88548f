/**
 * Argon2id in a worker thread, called synchronously (argon2id) or awaited
 * (argon2idAsync, so the caller can work meanwhile).
 *
 * Why: crypto_pwhash needs its whole memory cost (256 MiB by default) inside
 * libsodium's WebAssembly heap, and a WebAssembly heap never shrinks. Run in
 * the main instance, every unlock leaves the process 256 MiB bigger for as
 * long as it lives. Run in a worker with its own libsodium, the memory goes
 * back to the system when the worker ends, before the database is loaded.
 *
 * How: the caller posts the job and blocks on Atomics.wait (allowed in Node's
 * main thread) until the worker flips a shared status word, so the API stays
 * the synchronous crypto_pwhash it replaces; the main thread was blocked for
 * the same time before. The result is the same function of the same inputs:
 * the same libsodium build computes it.
 *
 * A worker is started ahead of time (prewarmKdf: at app start, before a
 * passphrase prompt) so loading libsodium in it (~70 ms) is not on the
 * unlock's path; each one is used once and ended. If a worker cannot start
 * or fails, the derivation runs in the main instance instead: slower to give
 * memory back, never a different key and never a lost unlock.
 *
 * A derivation may also be started ahead (deriveAhead: the command line,
 * before it has even loaded the code that opens the vault, issue #20); the
 * next argon2idAsync with the very same inputs takes its result, any other
 * ignores it and derives its own. Nothing is trusted from it but a key for
 * exactly the inputs that asked.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Sodium } from './crypto-runtime.js';

/** Below this memory cost (tests, MIN parameters) a worker costs more than it saves. */
export const WORKER_MIN_MEMLIMIT = 32 * 1024 * 1024;
const READY_TIMEOUT_MS = 10_000;
/** Far above SENSITIVE's few seconds: only a worker that died silently gets here. */
const JOB_TIMEOUT_MS = 10 * 60_000;

const STARTING = 0;
const READY = 1;
const DONE = 2;
const FAILED = 3;
const KEY_BYTES = 32;

// CommonJS, run with eval: the worker needs no file of its own beside the
// compiled engine (vitest runs the TypeScript sources), only libsodium.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const status = new Int32Array(workerData.shared, 0, 1);
const out = new Uint8Array(workerData.shared, 4, ${KEY_BYTES});
const signal = (value) => { Atomics.store(status, 0, value); Atomics.notify(status, 0); if (value !== ${READY}) parentPort.postMessage(value); };
try {
  const sodium = require(workerData.sodiumPath);
  sodium.ready.then(() => {
    signal(${READY});
    parentPort.once('message', (job) => {
      try {
        const key = sodium.crypto_pwhash(${KEY_BYTES}, job.passphrase, job.salt, job.opslimit, job.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
        out.set(key);
        sodium.memzero(key);
        signal(${DONE});
      } catch (error) {
        signal(${FAILED});
      }
    });
  }, () => signal(${FAILED}));
} catch (error) {
  signal(${FAILED});
}
`;

interface WarmWorker {
  worker: Worker;
  shared: SharedArrayBuffer;
  status: Int32Array;
  /** Set when the thread has ended (or failed to start): its 'exit' event will not come again for a job. */
  gone: boolean;
}

let warm: WarmWorker | null = null;
const runs = { worker: 0, mainThread: 0 };
let started = 0;

/**
 * How many derivations have started in this process. Argon2id is bound by
 * memory bandwidth: other heavy work (the engine's warm-up) watches this to
 * get out of its way.
 */
export function kdfStarts(): number {
  return started;
}

/** How many derivations ran where, in this process (diagnostics and tests). */
export function kdfRuns(): Readonly<typeof runs> {
  return { ...runs };
}
let sodiumPathOverride: string | null = null;

function sodiumPath(): string {
  return sodiumPathOverride ?? createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
}

function spawn(): WarmWorker | null {
  try {
    const shared = new SharedArrayBuffer(4 + KEY_BYTES);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, sodiumPath: sodiumPath() }, stdout: true, stderr: true });
    // An idle warm worker must never keep a command-line run alive.
    worker.unref();
    const entry: WarmWorker = { worker, shared, status: new Int32Array(shared, 0, 1), gone: false };
    worker
      .on('error', () => undefined)
      .on('exit', () => {
        entry.gone = true;
      });
    return entry;
  } catch {
    return null;
  }
}

/** Starts a worker now so the next derivation does not wait for it. Idempotent. */
export function prewarmKdf(): void {
  // The next derivation is under way already: another thread loading libsodium beside it would only slow it.
  if (ahead) {
    return;
  }
  if (warm?.gone) {
    warm = null;
  }
  warm ??= spawn();
}

function end(entry: WarmWorker): void {
  new Uint8Array(entry.shared).fill(0);
  void entry.worker.terminate().catch(() => undefined);
}

/** Waits while the status word holds `from`; returns the new status, or `from` on time-out. */
function waitWhile(status: Int32Array, from: number, timeoutMs: number): number {
  const deadline = Date.now() + timeoutMs;
  let now = Atomics.load(status, 0);
  while (now === from && Date.now() < deadline) {
    Atomics.wait(status, 0, from, deadline - Date.now());
    now = Atomics.load(status, 0);
  }
  return now;
}

/** The warm worker (or a new one) for a derivation whose memory is worth giving back; null: derive in process. */
function takeWorker(memlimit: number): WarmWorker | null {
  if (memlimit < WORKER_MIN_MEMLIMIT) {
    return null;
  }
  // A warm worker that ended while idle is replaced, not handed out.
  const entry = warm && !warm.gone ? warm : spawn();
  warm = null;
  return entry;
}

/** The fallback, and the small derivations: libsodium in this thread. */
function inMainThread(sodium: Sodium, passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Uint8Array {
  runs.mainThread += 1;
  return sodium.crypto_pwhash(KEY_BYTES, passphrase, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

/** The Argon2id worker's key, or null when the worker could not do it (the caller derives in process). */
function deriveInWorker(entry: WarmWorker, passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Uint8Array | null {
  try {
    // Its exit cannot be seen while this thread waits in Atomics.wait: checked before.
    if (entry.gone) {
      return null;
    }
    entry.worker.postMessage({ passphrase, salt, opslimit, memlimit });
    const ready = waitWhile(entry.status, STARTING, READY_TIMEOUT_MS);
    if (ready !== READY && ready !== DONE) {
      return null;
    }
    if (waitWhile(entry.status, READY, JOB_TIMEOUT_MS) !== DONE) {
      return null;
    }
    return new Uint8Array(entry.shared, 4, KEY_BYTES).slice();
  } finally {
    end(entry);
  }
}

/**
 * The same derivation without blocking the main thread: it can read and check
 * the audit log meanwhile (the unlock does). Falls back like argon2id().
 */
export async function argon2idAsync(sodium: Sodium, passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Promise<Uint8Array> {
  const early = takeAhead({ passphrase, salt, opslimit, memlimit });
  const earlyKey = early ? await early : null;
  if (earlyKey) {
    runs.worker += 1;
    return earlyKey;
  }
  started += 1;
  const entry = takeWorker(memlimit);
  const key = entry ? await deriveInWorkerAsync(entry, passphrase, salt, opslimit, memlimit) : null;
  if (key) {
    runs.worker += 1;
    return key;
  }
  return inMainThread(sodium, passphrase, salt, opslimit, memlimit);
}

function deriveInWorkerAsync(
  entry: WarmWorker,
  passphrase: string,
  salt: Uint8Array,
  opslimit: number,
  memlimit: number,
  keepAlive = true,
): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const { worker, status, shared } = entry;
    const finish = (): void => {
      clearTimeout(timer);
      worker.off('message', finish).off('error', finish).off('exit', finish);
      resolve(Atomics.load(status, 0) === DONE ? new Uint8Array(shared, 4, KEY_BYTES).slice() : null);
      end(entry);
    };
    const timer = setTimeout(finish, JOB_TIMEOUT_MS);
    worker.on('message', finish).on('error', finish).on('exit', finish);
    // While a job runs the worker must keep the process alive (a command-line unlock awaits it);
    // one started ahead does so only once taken (takeAhead), so a run that ends sooner (a busy
    // vault) is not held up. After the listeners: listening for 'message' refs the worker again.
    if (keepAlive) {
      worker.ref();
    } else {
      worker.unref();
      timer.unref();
    }
    // A warm worker that died while idle (before any job) would never answer.
    if (Atomics.load(status, 0) === FAILED || entry.gone) {
      finish();
      return;
    }
    worker.postMessage({ passphrase, salt, opslimit, memlimit });
  });
}

interface KdfInputs {
  passphrase: string;
  salt: Uint8Array;
  opslimit: number;
  memlimit: number;
}

interface Ahead extends KdfInputs {
  worker: Worker;
  key: Promise<Uint8Array | null>;
}

let ahead: Ahead | null = null;

function sameInputs(a: KdfInputs, b: KdfInputs): boolean {
  return (
    a.passphrase === b.passphrase &&
    a.opslimit === b.opslimit &&
    a.memlimit === b.memlimit &&
    a.salt.length === b.salt.length &&
    a.salt.every((byte, i) => byte === b.salt[i])
  );
}

/**
 * Starts the derivation for these inputs now, in a worker, so that it runs
 * while the caller does other work (loads the code that will need the key).
 * The next argon2idAsync takes it if its inputs are the same, else it is
 * dropped (its key zeroed). Only derivations worth a worker; one at a time
 * (a second call while one is pending does nothing). It does not keep the
 * process alive until taken: a run that fails sooner (a busy vault) exits.
 */
export function deriveAhead(passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): void {
  if (ahead || memlimit < WORKER_MIN_MEMLIMIT) {
    return;
  }
  const entry = takeWorker(memlimit);
  if (!entry) {
    return;
  }
  started += 1;
  const inputs = { passphrase, salt: salt.slice(), opslimit, memlimit };
  ahead = { ...inputs, worker: entry.worker, key: deriveInWorkerAsync(entry, passphrase, inputs.salt, opslimit, memlimit, false) };
}

/** The key started ahead for exactly these inputs, if any; any derivation ahead is dropped either way. */
function takeAhead(inputs: KdfInputs): Promise<Uint8Array | null> | null {
  const pending = ahead;
  ahead = null;
  if (!pending) {
    return null;
  }
  if (!sameInputs(pending, inputs)) {
    // Another passphrase or slot: its key is of no use, and zeroed once there (a key not taken at all ends with the process).
    void pending.key.then((key) => key?.fill(0));
    return null;
  }
  // Now awaited: the process must wait for it.
  pending.worker.ref();
  return pending.key;
}

/** crypto_pwhash(32, …, Argon2id v1.3): in a worker when the memory cost is worth giving back. */
export function argon2id(sodium: Sodium, passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Uint8Array {
  started += 1;
  const entry = takeWorker(memlimit);
  const key = entry ? deriveInWorker(entry, passphrase, salt, opslimit, memlimit) : null;
  if (key) {
    runs.worker += 1;
    return key;
  }
  return inMainThread(sodium, passphrase, salt, opslimit, memlimit);
}

/** Tests only: make the next workers load libsodium from `path` (null: the real one). */
export function setKdfWorkerSodiumPathForTests(path: string | null): void {
  if (warm) {
    end(warm);
    warm = null;
  }
  sodiumPathOverride = path;
}
