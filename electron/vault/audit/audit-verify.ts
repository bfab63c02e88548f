/**
 * Verification of an audit log, shared by `lifeboat audit verify` (with the
 * vault's keys) and by export verification (with no key at all: the export
 * carries decrypted events, which must match each record's commitment).
 * It reports the first bad record by line and sequence number.
 */
import type { Sodium } from '../keys/crypto-runtime.js';
import { ZERO_HASH, checkLink, eventCommit, openRecordEvent, parseLine, verifyRecordSignature, type AuditEvent, type ParsedLine } from './audit-log.js';
import { failingSignatures, parallelMinLines } from './audit-signatures.js';
import { LifeboatError } from '../../../shared/errors.js';
import type { AuditHead } from '../storage/snapshot-file.js';

export interface VerifyOptions {
  vaultId: string;
  /** Ed25519 public key of each key epoch. */
  publicKeys: ReadonlyMap<number, Uint8Array>;
  /** With the audit keys, bodies are decrypted and checked against their commitment. */
  auditKeyFor?: (epoch: number) => Uint8Array | undefined;
  /** Or, for an export: the decrypted events, one per record. */
  events?: readonly AuditEvent[];
  /** The head sealed in the newest snapshot: the log must contain it. */
  sealedHead?: AuditHead;
}

export interface VerifyReport {
  records: number;
  headHash: string;
  /** What was checked, in words, for the badge and the CLI. */
  checks: string[];
  events: AuditEvent[];
}

function fail(line: number, seq: number | undefined, what: string): LifeboatError {
  const where = seq === undefined ? `line ${line}` : `line ${line} (seq ${seq})`;
  return new LifeboatError('AUDIT_BROKEN', `Audit log broken at ${where}: ${what}.`);
}

/** Throws AUDIT_BROKEN naming the first bad record; returns what was checked. */
export function verifyAuditLines(sodium: Sodium, rawLines: readonly string[], options: VerifyOptions): VerifyReport {
  return walk(sodium, rawLines, options, (parsed, lineNumber) => {
    verifyRecordSignature(sodium, parsed, options.publicKeys, lineNumber);
  });
}

/**
 * The same verification, the same answer and the same first error, with
 * the signatures of a long log checked on worker threads meanwhile
 * (audit-signatures.ts). A short log is verified as verifyAuditLines does.
 */
export async function verifyAuditLinesOnThreads(sodium: Sodium, rawLines: readonly string[], options: VerifyOptions): Promise<VerifyReport> {
  if (rawLines.length < parallelMinLines()) {
    return verifyAuditLines(sodium, rawLines, options);
  }
  const failing = failingSignatures(rawLines, options.publicKeys);
  // Where this thread's walk stopped, and whether that line's signature check had been reached.
  const at = { index: 0, signatureReached: -1 };
  let report: VerifyReport | undefined;
  let stopped: unknown;
  try {
    report = walk(
      sodium,
      rawLines,
      options,
      (_parsed, lineNumber) => {
        at.signatureReached = lineNumber - 1;
      },
      at,
    );
  } catch (error) {
    stopped = error;
  }
  const failed = await failing;
  let firstBadSignature = Number.POSITIVE_INFINITY;
  for (const index of failed) {
    firstBadSignature = Math.min(firstBadSignature, index);
  }
  const signatureFirst =
    failed.size > 0 && (report !== undefined || firstBadSignature < at.index || (firstBadSignature === at.index && at.signatureReached === at.index));
  if (signatureFirst) {
    // The very error the one-thread walk gives at that line (the thread found it failing; this thread says why).
    const lineNumber = firstBadSignature + 1;
    verifyRecordSignature(sodium, parseLine(sodium, rawLines[firstBadSignature] ?? '', lineNumber), options.publicKeys, lineNumber);
    throw fail(lineNumber, undefined, 'the signature check failed on its verification thread but not here; verify again');
  }
  if (report === undefined) {
    throw stopped;
  }
  return report;
}

function walk(
  sodium: Sodium,
  rawLines: readonly string[],
  options: VerifyOptions,
  checkSignature: (parsed: ParsedLine, lineNumber: number) => void,
  at: { index: number } = { index: 0 },
): VerifyReport {
  let prevHash = ZERO_HASH;
  let prevTime = '';
  let prevEpoch = 0;
  const events: AuditEvent[] = [];
  if (options.events && options.events.length !== rawLines.length) {
    throw new LifeboatError('AUDIT_BROKEN', `The export holds ${rawLines.length} records but ${options.events.length} events.`);
  }
  rawLines.forEach((line, index) => {
    at.index = index;
    const lineNumber = index + 1;
    const parsed = parseLine(sodium, line, lineNumber);
    const { record } = parsed;
    checkLink(parsed, index, prevHash);
    if (Number.isNaN(Date.parse(record.time)) || record.time < prevTime) {
      throw fail(lineNumber, record.seq, 'its time goes backwards');
    }
    if (record.epoch < prevEpoch) {
      throw fail(lineNumber, record.seq, 'its key epoch goes backwards');
    }
    checkSignature(parsed, lineNumber);
    if (options.auditKeyFor) {
      events.push(openRecordEvent(sodium, options.vaultId, record, lineNumber, options.auditKeyFor));
    } else if (options.events) {
      const event = options.events[index] as AuditEvent;
      if (eventCommit(sodium, event) !== record.commit) {
        throw fail(lineNumber, record.seq, 'the exported event does not match the record’s commitment');
      }
      events.push(event);
    }
    prevHash = parsed.hash;
    prevTime = record.time;
    prevEpoch = record.epoch;
  });
  // Checks of the whole log come after every line's.
  at.index = rawLines.length;

  const checks = [
    `${rawLines.length} records in order, each chained to the one before (BLAKE2b-256)`,
    `${rawLines.length} Ed25519 signatures valid`,
    'times never go backwards',
  ];
  if (options.auditKeyFor) {
    checks.push('every event decrypts and matches its commitment');
  } else if (options.events) {
    checks.push('every exported event matches its record’s commitment');
  }
  if (options.sealedHead) {
    const { size, hash } = options.sealedHead;
    if (rawLines.length < size) {
      throw new LifeboatError(
        'AUDIT_BROKEN',
        `The audit log has been truncated: the vault's snapshot expects at least ${size} records, the log has ${rawLines.length}.`,
      );
    }
    const atHead = size === 0 ? ZERO_HASH : parseLine(sodium, rawLines[size - 1] as string, size).hash;
    if (atHead !== hash) {
      throw new LifeboatError(
        'AUDIT_BROKEN',
        `The audit log has been replaced or rolled back: record ${size - 1} is not the one sealed in the vault's snapshot.`,
      );
    }
    checks.push(`contains the head sealed in the newest snapshot (record ${size - 1})`);
  }
  return { records: rawLines.length, headHash: prevHash, checks, events };
}
