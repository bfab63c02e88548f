// The process measured by lock-memory.test.ts: a plain Node process standing
// in for the app's main process. It runs the built engine (dist/node) through
// the same router, handlers and VaultService as the window, uses a vault the
// way a responder would, locks it, and writes a heap snapshot.
//
//   node --expose-gc test/integration/lock-memory-worker.mjs <vault dir> <snapshot path>
//
// stdin: five lines: the marker, alice's passphrase, bob's, alice's next one,
// and a control string this script keeps on purpose (the test must find it).
// They stay bytes here (a Buffer is not a string in the heap snapshot) and
// become strings only inside use(), so what survives the lock is what the app
// keeps, not what this script does.
//
// It also counts the needles' bytes in the WebAssembly heaps of libsodium and
// SQLite, which a heap snapshot does not show: while the vault is still open
// (SQLite's holds the database then: proof that the count sees it) and after
// the lock.
// stdout, one line: DONE {"lockedOk": true, "heaps": {...}}, or ERR {...} (exit code 1).
import { readFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { emit, fail } from '../support/worker-output.mjs';
import { createHandlers } from '../../dist/node/electron/ipc/handlers.js';
import { createRouter } from '../../dist/node/electron/ipc/router.js';
import { VaultService } from '../../dist/node/electron/operations/vault-service.js';
import { ELECTRON_APP_BASE_URL } from '../../dist/node/electron/serving/app-assets.js';
import { loadSodium } from '../../dist/node/electron/vault/keys/crypto-runtime.js';
import { sqliteHeapForTests } from '../../dist/node/electron/vault/storage/sqlite-runtime.js';

const SENDER = { url: 'app://lifeboat/index.html', isMainFrame: true };
const FACTS = { host: 'electron', version: '1', packaged: false, platform: process.platform };

/** The app's own objects: they live on after the lock, as they do in the window's main process. */
const app = {};

function occurrences(heap, needle) {
  if (!heap) {
    return -1;
  }
  const bytes = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength);
  let count = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    count += 1;
  }
  return count;
}

/** How often each needle's bytes occur in each WebAssembly heap (-1: the heap is out of reach). */
async function heapCounts(needles) {
  // libsodium-wrappers exposes its Emscripten module as `libsodium`; its HEAPU8 is the whole heap.
  const heaps = { libsodium: (await loadSodium()).libsodium?.HEAPU8 ?? null, sqlite: sqliteHeapForTests() };
  return Object.fromEntries(Object.entries(heaps).map(([name, heap]) => [name, needles.map((needle) => occurrences(heap, needle))]));
}

async function call(channel, payload) {
  const result = await app.router.dispatch(channel, payload, SENDER, () => undefined);
  if (!result.ok) {
    fail(`${channel}: ${result.error.code} ${result.error.message}`);
  }
  return result.value;
}

/**
 * Everything members do in a session or two; every string made here is
 * dropped when it returns. The marker is in titles, bodies, steps, sealed
 * and plain fields of a secret, a contact, a scenario and a journal note, a
 * search query and a reveal's reason.
 */
async function use(dir, secretBytes, needles, counts) {
  const [marker, alice, bob, aliceNext] = secretBytes.toString('utf8').split('\n');
  await call('vault:create', { to: { path: dir }, owner: 'alice', passphrase: alice });
  await call('members:add', { name: 'bob', role: 'commander', passphrase: bob });
  const service = `Billing ${marker}`;
  await call('records:create', { type: 'service', title: service, data: { tier: 1, rtoMinutes: 60, description: `Bills ${marker}` } });
  const runbook = await call('records:create', {
    type: 'runbook',
    title: `Restore ${marker}`,
    data: { service, body: `# Restore\n\nFail over ${marker} first.`, steps: [`Stop ${marker} writes`], validation: [`Check ${marker}`] },
  });
  await call('records:edit', { id: runbook.id, set: { body: `# Restore\n\nFail over ${marker} second.`, steps: [`Drain ${marker} writes`] } });
  const secret = await call('records:create', {
    type: 'secret',
    title: `Admin ${marker}`,
    data: { username: `root-${marker}`, password: `pw-${marker}`, notes: `Rotate ${marker} after use`, twoPerson: true },
  });
  await call('records:create', { type: 'contact', title: `Dana ${marker}`, data: { role: 'DBA', phones: [`+1 555 ${marker}`], escalationOrder: 1 } });
  await call('vault:lock', {});

  await call('vault:unlock', { dir, member: 'alice', passphrase: alice });
  await call('records:list', {});
  await call('records:open', { id: runbook.id });
  await call('records:open', { id: secret.id });
  await call('records:search', { query: marker.slice(0, 6) });
  await call('records:search', { query: marker });
  await call('records:search-settled', { query: marker });
  const second = { member: 'bob', passphrase: bob };
  await call('secret:reveal', { id: secret.id, field: 'password', reason: `INC-1 ${marker}`, second });
  await call('secret:copy', { id: secret.id, field: 'username', reason: 'INC-1 copy', second });
  await call('records:history', { id: runbook.id });
  await call('records:revision-changes', { id: runbook.id, revision: 2 });
  await call('contacts:call-list', {});
  await call('recovery:graph', {});
  await call('recovery:plan', { services: [service] });
  await call('recovery:readiness', {});
  const recovery = await call('sessions:start', { kind: 'incident', scenario: `Outage ${marker}`, services: [service] });
  await call('sessions:step', { id: recovery.id, serviceId: recovery.services[0].id, index: 0, done: true });
  await call('sessions:journal', { id: recovery.id, kind: 'note', text: `Paged ${marker}` });
  await call('sessions:end', { id: recovery.id });
  await call('sessions:report', { id: recovery.id });
  await call('audit:list', {});
  await call('audit:verify', {});
  await call('members:passwd', { current: alice, next: aliceNext });
  counts.unlocked = await heapCounts(needles);
  // The last thing before the lock shows decrypted text: search results and their query.
  await call('records:search', { query: `restore ${marker}` });
  await call('vault:lock', {});
}

/** The lines of stdin, each a copy (the input is zeroed after use). */
function splitLines(bytes) {
  const lines = [];
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
    lines.push(Buffer.from(bytes.subarray(start, end)));
    start = end + 1;
  }
  lines.push(Buffer.from(bytes.subarray(start)));
  return lines;
}

async function main() {
  const [dir, snapshotPath] = process.argv.slice(2);
  if (!dir || !snapshotPath || typeof globalThis.gc !== 'function') {
    fail('usage: node --expose-gc lock-memory-worker.mjs <vault dir> <snapshot path>');
  }
  const secretBytes = readFileSync(0);
  const needles = splitLines(secretBytes);
  app.service = new VaultService();
  app.router = createRouter({ handlers: createHandlers({ facts: FACTS, vault: app.service }), appBaseUrl: ELECTRON_APP_BASE_URL });
  // Kept on purpose: the test must find it, or it would not see what the app keeps either.
  app.control = needles.at(-1)?.toString('utf8');
  const counts = {};
  await use(dir, secretBytes, needles.slice(0, -1), counts);
  secretBytes.fill(0);
  const lockedOk = !app.service.isUnlocked;
  counts.locked = await heapCounts(needles.slice(0, -1));
  // Let callbacks the lock queued run, then collect twice (a FinalizationRegistry callback or a
  // weak reference may free more on the second pass); the snapshot collects once more itself.
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc();
  globalThis.gc();
  writeHeapSnapshot(snapshotPath);
  // `app` (the service and router) is still reachable here, as in the window's main process after a lock.
  emit('DONE', { lockedOk, heaps: counts });
  process.exit(0);
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
