/**
 * The signature worker's entry point (a worker_threads thread started by
 * audit-signatures.ts): one share of an audit log's lines, each parsed and
 * its Ed25519 signature checked with the vault's public keys, exactly as
 * the one-thread verification does (parseLine, verifyRecordSignature). It
 * answers with the lines that failed; it never sees a secret key.
 */
import { parentPort } from 'node:worker_threads';
import { loadSodium } from '../keys/crypto-runtime.js';
import { parseLine, verifyRecordSignature } from './audit-log.js';
import type { SignatureJob, SignatureReply } from './audit-signatures.js';

const port = parentPort;
port?.once('message', (job: SignatureJob) => {
  void loadSodium().then((sodium) => {
    const keys = new Map(job.publicKeys.map(([epoch, key]) => [epoch, key]));
    const failed: number[] = [];
    job.lines.forEach((line, i) => {
      const index = job.first + i;
      try {
        verifyRecordSignature(sodium, parseLine(sodium, line, index + 1), keys, index + 1);
      } catch {
        failed.push(index);
      }
    });
    const reply: SignatureReply = { failed };
    port.postMessage(reply);
  });
});
