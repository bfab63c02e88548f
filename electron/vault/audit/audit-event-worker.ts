/**
 * The event worker's entry point (a worker_threads thread started by
 * audit-event-threads.ts): one share of an audit log's lines, each event
 * decrypted and checked against its commitment exactly as
 * AuditLog.openEvent does (openRecordEventChecked). It answers with each
 * event's canonical JSON and its record's time and epoch, or with the first
 * line that failed and why. It holds the vault's audit keys for as long as
 * the job lasts: the thread is ended as soon as it has answered.
 */
import { parentPort } from 'node:worker_threads';
import { LifeboatError } from '../../../shared/errors.js';
import { loadSodium } from '../keys/crypto-runtime.js';
import { openRecordEventChecked, type AuditRecord } from './audit-log.js';
import type { EventJob, EventReply } from './audit-event-threads.js';

const port = parentPort;
port?.once('message', (job: EventJob) => {
  void loadSodium().then((sodium) => {
    const keys = new Map(job.keys);
    const keyFor = (epoch: number): Uint8Array | undefined => keys.get(epoch);
    const canonical: string[] = [];
    const times: string[] = [];
    const reply: EventReply = { canonical: '', times: '', epochs: [] };
    try {
      (job.lines === '' ? [] : job.lines.split('\n')).forEach((line, i) => {
        // The lines were parsed and chained when the log was loaded.
        const record = JSON.parse(line) as AuditRecord;
        canonical.push(openRecordEventChecked(sodium, job.vaultId, record, job.first + i + 1, keyFor).canonical);
        times.push(record.time);
        reply.epochs.push(record.epoch);
      });
      reply.canonical = canonical.join('\n');
      reply.times = times.join('\n');
    } catch (error) {
      reply.failure =
        error instanceof LifeboatError ? { code: error.code, message: error.message } : { code: 'AUDIT_BROKEN', message: 'An audit event could not be read.' };
    }
    for (const key of keys.values()) {
      sodium.memzero(key);
    }
    port.postMessage(reply);
  });
});
