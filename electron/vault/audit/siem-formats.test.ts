/**
 * The SIEM formats on a fixed vault: one record of every event type, each
 * format checked against its golden file (test/fixtures/siem/), OCSF lines
 * against the 1.1.0 classes' required attributes and types written as a zod
 * schema, and CEF escaping of `|`, `=`, `\` and newlines.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../../shared/audit-events.js';
import {
  cefHeaderEscape,
  cefLine,
  cefValueEscape,
  detectLineFormat,
  EVENT_MAPPING,
  parseCef,
  siemLine,
  type SiemRecord,
  type SiemVault,
} from './siem-formats.js';

const VAULT: SiemVault = {
  vaultId: '0123456789abcdef0123456789abcdef',
  fingerprint: 'a1b2 c3d4 e5f6 0718 293a 4b5c 6d7e 8f90',
  vaultName: 'ops-laptop-b',
  device: 'ops-laptop-b',
};

function hash(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/** What each type carries in a real log (docs/vault-format.md, "Audit log"), fixed. */
function eventFor(type: AuditEventType, seq: number): SiemRecord['event'] {
  const base = { type, actor: seq % 3 === 0 ? 'alice' : 'carol', role: seq % 3 === 0 ? 'owner' : 'auditor', salt: 'c2FsdA==' };
  if (type.startsWith('record.') || type.startsWith('secret.') || type === 'session.step' || type === 'session.override') {
    const withField = type === 'secret.revealed' || type === 'secret.copied';
    return {
      ...base,
      recordId: `rec-${seq}`,
      recordTitle: type === 'secret.revealed' ? 'DB | root = "prod"\\admin' : `Record ${seq}`,
      ...(withField ? { field: 'password', reason: 'INC-7: restore\nafter outage | see ticket a=b' } : {}),
      ...(type === 'secret.confirmation-failed' ? { details: { secondMember: 'bob' } } : {}),
    };
  }
  if (type.startsWith('member.')) {
    return { ...base, details: { member: 'dave', role: 'member' } };
  }
  if (type === 'vault.unlocked') {
    return { ...base, details: { failedAttemptsSinceLastUnlock: 2, lastFailedAttemptAt: '2026-10-01T08:00:00.000Z' } };
  }
  if (type.startsWith('session.')) {
    return { ...base, reason: 'Datacenter fire drill', details: { sessionId: 's-1', kind: 'exercise' } };
  }
  return { ...base, details: { note: true } };
}

const RECORDS: SiemRecord[] = AUDIT_EVENT_TYPES.map((type, seq) => ({
  seq,
  time: new Date(Date.UTC(2026, 9, 1, 9, 0, seq)).toISOString(),
  epoch: 1,
  chainHash: hash(seq + 1),
  prevHash: hash(seq),
  event: eventFor(type, seq),
}));

function render(format: 'jsonl' | 'ocsf' | 'cef'): string {
  return RECORDS.map((r) => siemLine(format, VAULT, r)).join('\n') + '\n';
}

describe('golden files: one event of every type', () => {
  it('covers every event type in shared/audit-events.ts', () => {
    expect(RECORDS.map((r) => r.event.type)).toEqual(AUDIT_EVENT_TYPES);
    expect(Object.keys(EVENT_MAPPING).sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
  });

  it.each(['jsonl', 'ocsf', 'cef'] as const)('%s is exactly the golden file', async (format) => {
    await expect(render(format)).toMatchFileSnapshot(`../../../test/fixtures/siem/golden.${format}`);
  });

  it('every line carries what matches it back to the signed export', () => {
    for (const format of ['jsonl', 'ocsf', 'cef'] as const) {
      RECORDS.forEach((record) => {
        const line = siemLine(format, VAULT, record);
        expect(detectLineFormat(line)).toBe(format);
        for (const needle of [VAULT.vaultId, record.chainHash, record.event.actor, record.event.type, VAULT.device]) {
          expect(line).toContain(needle);
        }
        expect(line).toContain(format === 'cef' ? 'cs1=a1b2 c3d4' : VAULT.fingerprint);
      });
    }
  });

  it('JSON Lines is flat: no value is an object or array', () => {
    for (const line of render('jsonl').trim().split('\n')) {
      const value = JSON.parse(line) as Record<string, unknown>;
      expect(Object.values(value).every((v) => v === null || typeof v !== 'object')).toBe(true);
      expect(value).toMatchObject({ schema: 'lifeboat.audit/1', vault_fingerprint: VAULT.fingerprint, device: VAULT.device });
    }
  });
});

/**
 * OCSF 1.1.0 (schema.ocsf.io/1.1.0): base event required attributes, and
 * each chosen class's required primary attribute with its object's types.
 */
const User = z.object({
  name: z.string(),
  uid: z.string(),
  type_id: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(99)]),
  type: z.string(),
});
const Base = z.object({
  category_uid: z.literal(3),
  category_name: z.literal('Identity & Access Management'),
  class_name: z.string(),
  activity_name: z.string(),
  type_name: z.string(),
  severity_id: z.number().int().min(0).max(99),
  severity: z.string(),
  status_id: z.union([z.literal(1), z.literal(2)]),
  status: z.enum(['Success', 'Failure']),
  time: z.number().int().positive(),
  message: z.string(),
  metadata: z.object({
    version: z.literal('1.1.0'),
    product: z.object({ name: z.literal('Lifeboat'), vendor_name: z.string(), version: z.string() }),
    uid: z.string(),
    sequence: z.number().int().nonnegative(),
    original_time: z.string(),
    event_code: z.string(),
    log_name: z.string(),
    log_provider: z.string(),
  }),
  actor: z.object({ user: User }),
  device: z.object({ name: z.string(), type_id: z.literal(3), type: z.literal('Laptop') }),
  unmapped: z.object({ vault_id: z.string(), chain_hash: z.string().regex(/^[0-9a-f]{64}$/), event_type: z.string() }).loose(),
});
const Authentication = Base.extend({
  class_uid: z.literal(3002),
  activity_id: z.union([z.literal(1), z.literal(2), z.literal(99)]),
  type_uid: z.union([z.literal(300201), z.literal(300202), z.literal(300299)]),
  user: User,
  // 1.1.0 constraint: at least one of service, dst_endpoint.
  service: z.object({ name: z.string(), uid: z.string() }),
}).strict();
const AccountChange = Base.extend({
  class_uid: z.literal(3001),
  activity_id: z.union([z.literal(1), z.literal(3), z.literal(6), z.literal(99)]),
  type_uid: z.union([z.literal(300101), z.literal(300103), z.literal(300106), z.literal(300199)]),
  user: User,
}).strict();
const EntityManagement = Base.extend({
  class_uid: z.literal(3004),
  activity_id: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(99)]),
  type_uid: z.union([z.literal(300401), z.literal(300402), z.literal(300403), z.literal(300404), z.literal(300499)]),
  // managed_entity: at least one of name, uid (both written).
  entity: z.object({ uid: z.string(), name: z.string(), type: z.string() }),
  comment: z.string().optional(),
}).strict();
const OcsfEvent = z.union([Authentication, AccountChange, EntityManagement]);

describe('OCSF 1.1.0', () => {
  it('every line is a valid event of its class, with type_uid = class_uid × 100 + activity_id', () => {
    for (const line of render('ocsf').trim().split('\n')) {
      const parsed = OcsfEvent.safeParse(JSON.parse(line));
      expect(parsed.success, `${line}\n${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      const value = parsed.data as { class_uid: number; activity_id: number; type_uid: number };
      expect(value.type_uid).toBe(value.class_uid * 100 + value.activity_id);
    }
  });

  it('maps unlocks to Authentication Logon, member removal to Account Change Delete, a reveal to Entity Management Read with its reason', () => {
    const byType = (type: AuditEventType): Record<string, unknown> =>
      JSON.parse(siemLine('ocsf', VAULT, RECORDS.find((r) => r.event.type === type) as SiemRecord)) as Record<string, unknown>;
    expect(byType('vault.unlocked')).toMatchObject({ class_uid: 3002, activity_id: 1, status_id: 1 });
    expect(byType('secret.confirmation-failed')).toMatchObject({ class_uid: 3002, status_id: 2, user: { name: 'bob' } });
    expect(byType('member.removed')).toMatchObject({ class_uid: 3001, activity_id: 6, user: { name: 'dave' } });
    expect(byType('secret.revealed')).toMatchObject({
      class_uid: 3004,
      activity_id: 2,
      entity: { type: 'secret' },
      comment: 'INC-7: restore\nafter outage | see ticket a=b',
    });
  });
});

describe('CEF', () => {
  it('escapes \\ and | in the header, and turns a newline there into a space', () => {
    expect(cefHeaderEscape('a|b\\c\nd=e')).toBe('a\\|b\\\\c d=e');
  });

  it('escapes \\ and = in extension values and writes newlines as \\n and \\r', () => {
    expect(cefValueEscape('a=b\\c|d\r\ne')).toBe('a\\=b\\\\c|d\\r\\ne');
  });

  it('a hostile title and reason stay inside their fields and read back unchanged', () => {
    const record = RECORDS.find((r) => r.event.type === 'secret.revealed') as SiemRecord;
    const line = cefLine(VAULT, record);
    expect(line).not.toMatch(/[\r\n]/);
    // The header is the first seven unescaped pipes; the title's pipe is escaped there only if it were in the header.
    expect(line.slice(0, line.indexOf('rt='))).toBe('CEF:0|Lifeboat|Lifeboat|siem-1|secret.revealed|revealed a secret|6|');
    const parsed = parseCef(line);
    expect(parsed?.header.slice(1, 7)).toEqual(['Lifeboat', 'Lifeboat', 'siem-1', 'secret.revealed', 'revealed a secret', '6']);
    expect(parsed?.extension.get('cs4')).toBe('DB | root = "prod"\\admin');
    expect(parsed?.extension.get('reason')).toBe('INC-7: restore\nafter outage | see ticket a=b');
    expect(parsed?.extension.get('externalId')).toBe(String(record.seq));
    expect(parsed?.extension.get('cs2')).toBe(record.chainHash);
  });
});
