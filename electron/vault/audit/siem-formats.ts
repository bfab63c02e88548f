/**
 * The audit log in the formats SIEMs read: JSON Lines, OCSF 1.1.0 and CEF.
 * Pure functions: one audit record (its sequence number, time, key epoch,
 * chain hashes and decrypted event) plus the vault it belongs to → one line.
 * The full field mapping, per format and per event type, is in
 * docs/audit-formats.md; the rules that matter here:
 *
 * - Every line carries the vault id and fingerprint, the device (the vault's
 *   name: one laptop per vault until replicas exist), member and role, event
 *   type, record id and title, field, reason, the record's `seq`, and its
 *   chain hash (hex BLAKE2b-256 of the audit.log line, the next record's
 *   `prev`), so a SIEM copy can be matched back to the signed export
 *   (siem-match.ts). Nothing in a line depends on when or by whom it was
 *   exported, so the same record always renders to the same line.
 * - The event's salt is left out (it only blinds the commitment).
 * - JSON Lines (`lifeboat.audit/1`): one flat object per line, every core
 *   field present (null when absent), details as `detail_<key>` fields.
 * - OCSF 1.1.0 (schema.ocsf.io/1.1.0): category 3 (Identity & Access
 *   Management); class 3002 Authentication for unlocks, locks and refused
 *   second-person confirmations, 3001 Account Change for member events,
 *   3004 Entity Management for everything else (a record, or the vault
 *   itself, is the managed entity). Lifeboat fields without an OCSF home go
 *   in `unmapped`.
 * - CEF (ArcSight "Implementing ArcSight CEF", rev. 25): in the header,
 *   `\` and `|` are escaped with a backslash and a newline becomes a space
 *   (the header has no newline escape); in extension values `\`, `=` are
 *   escaped and CR/LF become `\r`/`\n`; keys are fixed names that need none.
 */
import { AUDIT_EVENT_LABELS, type AuditEventType } from '../../../shared/audit-events.js';
import type { AuditExportFormat } from '../../../shared/audit-export-formats.js';
import type { AuditEvent } from './audit-log.js';

export type SiemFormat = Exclude<AuditExportFormat, 'lifeboat'>;
export const SIEM_FORMATS: readonly SiemFormat[] = ['jsonl', 'ocsf', 'cef'];

/** Bumped when any line's rendering changes; the match check renders with it. */
export const JSONL_SCHEMA = 'lifeboat.audit/1';
export const OCSF_VERSION = '1.1.0';
/** Written as the CEF Device Version and OCSF product version: the mapping's version, not the app's. */
export const MAPPING_VERSION = 'siem-1';

/** The vault the lines belong to. */
export interface SiemVault {
  vaultId: string;
  /** The identity fingerprint; null for a vault from before identity keys. */
  fingerprint: string | null;
  vaultName: string;
  /** The laptop: the vault's name until replicas exist (docs/audit-formats.md, "Device"). */
  device: string;
}

/** One audit record with its decrypted event. */
export interface SiemRecord {
  seq: number;
  time: string;
  epoch: number;
  /** hex BLAKE2b-256 of this record's audit.log line. */
  chainHash: string;
  /** This record's `prev`: the chain hash of the one before (64 zeros for seq 0). */
  prevHash: string;
  event: AuditEvent;
}

type OcsfClass = 3001 | 3002 | 3004;

interface Mapping {
  /** OCSF class and activity id (99: Other). */
  ocsf: readonly [OcsfClass, number];
  /** 0-10, the CEF severity; OCSF severity_id follows from it. */
  severity: number;
  /** An event that records something refused or failed. */
  failure?: true;
}

const AUTH = 3002;
const ACCOUNT = 3001;
const ENTITY = 3004;

/** Every event type, mapped (the compiler refuses a type added without one). */
export const EVENT_MAPPING = {
  'vault.created': { ocsf: [ENTITY, 1], severity: 3 },
  'vault.unlocked': { ocsf: [AUTH, 1], severity: 3 },
  'vault.locked': { ocsf: [AUTH, 2], severity: 1 },
  'record.opened': { ocsf: [ENTITY, 2], severity: 3 },
  'secret.revealed': { ocsf: [ENTITY, 2], severity: 6 },
  'secret.copied': { ocsf: [ENTITY, 2], severity: 6 },
  'record.created': { ocsf: [ENTITY, 1], severity: 3 },
  'record.edited': { ocsf: [ENTITY, 3], severity: 3 },
  'record.deleted': { ocsf: [ENTITY, 4], severity: 5 },
  'member.added': { ocsf: [ACCOUNT, 1], severity: 5 },
  'member.removed': { ocsf: [ACCOUNT, 6], severity: 5 },
  'member.passphrase-changed': { ocsf: [ACCOUNT, 3], severity: 4 },
  'vault.format-upgraded': { ocsf: [ENTITY, 3], severity: 4 },
  'member.slot-upgraded': { ocsf: [ACCOUNT, 99], severity: 3 },
  'vault.rekey-started': { ocsf: [ENTITY, 3], severity: 5 },
  'vault.rekeyed': { ocsf: [ENTITY, 3], severity: 5 },
  'catalog.synced': { ocsf: [ENTITY, 3], severity: 3 },
  'catalog.publisher-trusted': { ocsf: [ENTITY, 3], severity: 5 },
  'audit.exported': { ocsf: [ENTITY, 2], severity: 3 },
  'doctor.restored': { ocsf: [ENTITY, 3], severity: 7 },
  'vault.settings-changed': { ocsf: [ENTITY, 3], severity: 4 },
  'vault.auto-locked': { ocsf: [AUTH, 2], severity: 1 },
  'vault.lock-broken': { ocsf: [ENTITY, 3], severity: 6 },
  'call-list.opened': { ocsf: [ENTITY, 2], severity: 3 },
  'catalog.sync-failed': { ocsf: [ENTITY, 3], severity: 5, failure: true },
  'session.started': { ocsf: [ENTITY, 1], severity: 6 },
  'session.step': { ocsf: [ENTITY, 3], severity: 2 },
  'session.check': { ocsf: [ENTITY, 3], severity: 2 },
  'session.journal': { ocsf: [ENTITY, 3], severity: 2 },
  'session.override': { ocsf: [ENTITY, 3], severity: 5 },
  'session.ended': { ocsf: [ENTITY, 3], severity: 4 },
  'session.report-exported': { ocsf: [ENTITY, 2], severity: 3 },
  'secret.rotated': { ocsf: [ENTITY, 3], severity: 4 },
  'secret.confirmation-failed': { ocsf: [AUTH, 1], severity: 7, failure: true },
  'recovery.shares-created': { ocsf: [ENTITY, 1], severity: 6 },
  'recovery.shares-revoked': { ocsf: [ENTITY, 4], severity: 6 },
  'recovery.drill': { ocsf: [ENTITY, 2], severity: 3 },
  'kit.exported': { ocsf: [ENTITY, 2], severity: 4 },
  'recovery.sheets-written': { ocsf: [ENTITY, 1], severity: 6 },
  'catalog.publisher-repinned': { ocsf: [ENTITY, 3], severity: 7 },
  'records.searched': { ocsf: [ENTITY, 2], severity: 2 },
  'vault.rollback-accepted': { ocsf: [ENTITY, 3], severity: 8 },
  // Issue 21: a one-time code is a reveal (the seed is read); confirming an emergency account disabled updates the secret's record.
  'code.generated': { ocsf: [ENTITY, 2], severity: 6 },
  'secret.disabled-confirmed': { ocsf: [ENTITY, 3], severity: 4 },
  'binder.printed': { ocsf: [ENTITY, 2], severity: 5 },
  'binder.previewed': { ocsf: [ENTITY, 2], severity: 3 },
  'binder.verified': { ocsf: [ENTITY, 2], severity: 2 },
  // Issue 22: building the emergency-access report reads the whole log.
  'audit.access-report': { ocsf: [ENTITY, 2], severity: 3 },
  // Issue 23: who is on call, read like opening the records it shows.
  'oncall.opened': { ocsf: [ENTITY, 2], severity: 3 },
} as const satisfies Record<AuditEventType, Mapping>;

const LABELS: Readonly<Record<string, string>> = AUDIT_EVENT_LABELS;

function mappingOf(type: string): Mapping {
  // An event type this version does not know (a newer vault's) still exports: as Other.
  return (EVENT_MAPPING as Readonly<Record<string, Mapping>>)[type] ?? { ocsf: [ENTITY, 99], severity: 5 };
}

/** "alice revealed a secret “DB root”": the same words as the window's timeline. */
export function messageOf(event: AuditEvent): string {
  const label = LABELS[event.type] ?? event.type;
  return `${event.actor} ${label}${event.recordTitle === undefined ? '' : ` “${event.recordTitle}”`}`;
}

// ---------------------------------------------------------------- JSON Lines

/** The flat object of one JSON Lines line (key order as written). */
export function jsonlObject(vault: SiemVault, record: SiemRecord): Record<string, string | number | boolean | null> {
  const { event } = record;
  const line: Record<string, string | number | boolean | null> = {
    schema: JSONL_SCHEMA,
    vault_id: vault.vaultId,
    vault_fingerprint: vault.fingerprint,
    vault_name: vault.vaultName,
    device: vault.device,
    seq: record.seq,
    time: record.time,
    epoch: record.epoch,
    chain_hash: record.chainHash,
    prev_hash: record.prevHash,
    event_type: event.type,
    message: messageOf(event),
    actor: event.actor,
    role: event.role,
    record_id: event.recordId ?? null,
    record_title: event.recordTitle ?? null,
    field: event.field ?? null,
    reason: event.reason ?? null,
  };
  for (const key of Object.keys(event.details ?? {}).sort()) {
    line[`detail_${key}`] = (event.details ?? {})[key] ?? null;
  }
  return line;
}

// ---------------------------------------------------------------- OCSF 1.1.0

const CLASS_NAMES: Record<OcsfClass, string> = { 3001: 'Account Change', 3002: 'Authentication', 3004: 'Entity Management' };
const ACTIVITY_NAMES: Record<OcsfClass, Record<number, string>> = {
  3001: { 1: 'Create', 3: 'Password Change', 6: 'Delete', 99: 'Other' },
  3002: { 1: 'Logon', 2: 'Logoff', 99: 'Other' },
  3004: { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' },
};
/** OCSF severity_id from the CEF 0-10 scale: 1 Informational … 5 Critical. */
const SEVERITIES = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'] as const;

function ocsfSeverityId(cefSeverity: number): number {
  return cefSeverity <= 3 ? 1 : cefSeverity <= 5 ? 2 : cefSeverity <= 7 ? 3 : cefSeverity <= 8 ? 4 : 5;
}

function ocsfUser(name: string, role?: string): Record<string, unknown> {
  // OCSF user type: 1 User, 2 Admin; a vault owner administers it.
  const admin = role === 'owner';
  return { name, uid: name, type_id: admin ? 2 : 1, type: admin ? 'Admin' : 'User' };
}

function unmappedOf(vault: SiemVault, record: SiemRecord): Record<string, unknown> {
  const { event } = record;
  return {
    vault_id: vault.vaultId,
    vault_fingerprint: vault.fingerprint,
    vault_name: vault.vaultName,
    chain_hash: record.chainHash,
    prev_hash: record.prevHash,
    epoch: record.epoch,
    event_type: event.type,
    role: event.role,
    record_id: event.recordId ?? null,
    record_title: event.recordTitle ?? null,
    field: event.field ?? null,
    reason: event.reason ?? null,
    details: event.details ?? {},
  };
}

/** The class-specific primary attributes. */
function ocsfPrimary(vault: SiemVault, record: SiemRecord, classUid: OcsfClass): Record<string, unknown> {
  const { event } = record;
  const details = event.details ?? {};
  if (classUid === AUTH) {
    // The refused confirmation authenticates the second member, not the actor.
    const subject = typeof details['secondMember'] === 'string' ? details['secondMember'] : event.actor;
    return { user: ocsfUser(subject, subject === event.actor ? event.role : undefined), service: { name: 'Lifeboat vault', uid: vault.vaultId } };
  }
  if (classUid === ACCOUNT) {
    const target = typeof details['member'] === 'string' ? details['member'] : event.actor;
    const role = typeof details['role'] === 'string' ? details['role'] : undefined;
    return { user: ocsfUser(target, role) };
  }
  const entity =
    event.recordId === undefined
      ? { uid: vault.vaultId, name: vault.vaultName, type: 'vault' }
      : { uid: event.recordId, name: event.recordTitle ?? event.recordId, type: event.field === undefined ? 'record' : 'secret' };
  return { entity, ...(event.reason === undefined ? {} : { comment: event.reason }) };
}

/** One OCSF event object. */
export function ocsfObject(vault: SiemVault, record: SiemRecord): Record<string, unknown> {
  const { event } = record;
  const mapping = mappingOf(event.type);
  const [classUid, activityId] = mapping.ocsf;
  const activityName = ACTIVITY_NAMES[classUid][activityId] ?? 'Other';
  const severityId = ocsfSeverityId(mapping.severity);
  return {
    category_uid: 3,
    category_name: 'Identity & Access Management',
    class_uid: classUid,
    class_name: CLASS_NAMES[classUid],
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    type_name: `${CLASS_NAMES[classUid]}: ${activityName}`,
    severity_id: severityId,
    severity: SEVERITIES[severityId],
    status_id: mapping.failure ? 2 : 1,
    status: mapping.failure ? 'Failure' : 'Success',
    time: Date.parse(record.time),
    message: messageOf(event),
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Lifeboat', vendor_name: 'Lifeboat', version: MAPPING_VERSION },
      uid: `${vault.vaultId}:${record.seq}`,
      sequence: record.seq,
      original_time: record.time,
      event_code: event.type,
      log_name: 'audit.log',
      log_provider: 'Lifeboat',
    },
    actor: { user: ocsfUser(event.actor, event.role) },
    device: { name: vault.device, type_id: 3, type: 'Laptop' },
    ...ocsfPrimary(vault, record, classUid),
    unmapped: unmappedOf(vault, record),
  };
}

// ---------------------------------------------------------------- CEF

/** A CEF header field: `\` and `|` escaped; the header has no newline escape, so a newline is a space. */
export function cefHeaderEscape(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|[\r\n]/g, ' ');
}

/** A CEF extension value: `\` and `=` escaped, CR and LF as `\r` and `\n`. */
export function cefValueEscape(value: string): string {
  // Most values (ids, hashes, names) need nothing: test before replacing (100,000 lines × 27 values).
  return CEF_VALUE_SPECIAL.test(value) ? value.replace(CEF_VALUE_SPECIALS, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\${c}`)) : value;
}
const CEF_VALUE_SPECIAL = /[\\=\r\n]/;
const CEF_VALUE_SPECIALS = /[\\=\r\n]/g;

/** Canonical JSON of a flat details object (sorted keys), for a CEF string field. */
function detailsText(details: AuditEvent['details']): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(details ?? {}).sort()) {
    sorted[key] = (details ?? {})[key];
  }
  return JSON.stringify(sorted);
}

/** The extension as ordered key/value pairs (before escaping). */
export function cefExtension(vault: SiemVault, record: SiemRecord): [string, string][] {
  const { event } = record;
  const pairs: [string, string][] = [
    ['rt', String(Date.parse(record.time))],
    ['dvchost', vault.device],
    ['deviceExternalId', vault.vaultId],
    ['externalId', String(record.seq)],
    ['act', event.type],
    ['suser', event.actor],
    ['spriv', event.role],
    ['msg', messageOf(event)],
    ['cs1Label', 'vaultFingerprint'],
    ['cs1', vault.fingerprint ?? ''],
    ['cs2Label', 'chainHash'],
    ['cs2', record.chainHash],
    ['cs3Label', 'recordId'],
    ['cs3', event.recordId ?? ''],
    ['cs4Label', 'recordTitle'],
    ['cs4', event.recordTitle ?? ''],
    ['cs5Label', 'field'],
    ['cs5', event.field ?? ''],
    ['cs6Label', 'details'],
    ['cs6', detailsText(event.details)],
    ['cn1Label', 'keyEpoch'],
    ['cn1', String(record.epoch)],
    ['flexString1Label', 'prevHash'],
    ['flexString1', record.prevHash],
    ['flexString2Label', 'vaultName'],
    ['flexString2', vault.vaultName],
    ['reason', event.reason ?? ''],
  ];
  return pairs;
}

/** One CEF line (without the syslog prefix a forwarder may add). */
export function cefLine(vault: SiemVault, record: SiemRecord): string {
  const { event } = record;
  const header = ['CEF:0', 'Lifeboat', 'Lifeboat', MAPPING_VERSION, event.type, LABELS[event.type] ?? event.type, String(mappingOf(event.type).severity)]
    .map((part, index) => (index === 0 ? part : cefHeaderEscape(part)))
    .join('|');
  const extension = cefExtension(vault, record)
    .map(([key, value]) => `${key}=${cefValueEscape(value)}`)
    .join(' ');
  return `${header}|${extension}`;
}

/** A CEF line split back into its seven header fields and its extension, unescaped. */
export interface ParsedCef {
  header: string[];
  extension: Map<string, string>;
}

/** Parses what cefLine writes; null when it is not a CEF line. */
export function parseCef(line: string): ParsedCef | null {
  if (!line.startsWith('CEF:')) {
    return null;
  }
  const header: string[] = [];
  let current = '';
  let index = 0;
  for (; index < line.length && header.length < 7; index++) {
    const c = line.charAt(index);
    if (c === '\\' && index + 1 < line.length) {
      current += line.charAt(index + 1);
      index++;
    } else if (c === '|') {
      header.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (header.length < 7) {
    return null;
  }
  return { header, extension: parseCefExtension(line.slice(index)) };
}

/** key=value pairs; a value runs to the next unescaped ` key=`. */
function parseCefExtension(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const keyAt = /(?:^| )([A-Za-z0-9_.]+)=/g;
  const starts: { key: string; at: number; valueAt: number }[] = [];
  for (let match = keyAt.exec(text); match !== null; match = keyAt.exec(text)) {
    // An `=` preceded by an odd run of backslashes is part of a value.
    let slashes = 0;
    for (let i = match.index + match[0].length - 2; i >= 0 && text[i] === '\\'; i--) {
      slashes++;
    }
    if (slashes % 2 === 0) {
      starts.push({ key: match[1] ?? '', at: match.index, valueAt: match.index + match[0].length });
    }
  }
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? (starts[i + 1]?.at ?? text.length) : text.length;
    pairs.set(start.key, unescapeCefValue(text.slice(start.valueAt, end)));
  });
  return pairs;
}

function unescapeCefValue(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

// ---------------------------------------------------------------- one entry point

/** One line of `format` for a record (no newline). */
export function siemLine(format: SiemFormat, vault: SiemVault, record: SiemRecord): string {
  if (format === 'cef') {
    return cefLine(vault, record);
  }
  return JSON.stringify(format === 'jsonl' ? jsonlObject(vault, record) : ocsfObject(vault, record));
}

/** Which format a line is in (null: none of ours). */
export function detectLineFormat(line: string): SiemFormat | null {
  if (line.startsWith('CEF:')) {
    return 'cef';
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const object = value as Record<string, unknown>;
  if (object['schema'] === JSONL_SCHEMA) {
    return 'jsonl';
  }
  const metadata = object['metadata'] as Record<string, unknown> | undefined;
  const product = metadata?.['product'] as Record<string, unknown> | undefined;
  return typeof object['class_uid'] === 'number' && product?.['name'] === 'Lifeboat' ? 'ocsf' : null;
}
