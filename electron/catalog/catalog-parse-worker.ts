/**
 * The parse worker's entry point (a worker_threads thread started by
 * catalog-parse-runner.ts): one share of a catalog's files, parsed file by
 * file (catalog-content.ts parseCatalogFile) and each entry prepared for the
 * vault (catalog-entry-prep.ts); one reply, then the thread ends.
 */
import { parentPort } from 'node:worker_threads';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { parseCatalogFile } from './catalog-content.js';
import { prepareEntry } from './catalog-entry-prep.js';
import type { ParseJob, ParseReply } from './catalog-parse-runner.js';

const port = parentPort;
port?.once('message', (job: ParseJob) => {
  void loadSodium().then((sodium) => {
    const outcomes = job.files.map((file) => parseCatalogFile(file.path, file.bytes));
    const reply: ParseReply = { outcomes, preps: outcomes.map((outcome) => outcome.entries.map((entry) => prepareEntry(sodium, entry))) };
    port.postMessage(reply);
  });
});
