/**
 * The emergency-access report (issue #22): who got in, how, what they
 * revealed and why, and what was done about it afterwards, derived from the
 * audit log alone. Declared here once so the engine builds it, the CLI and
 * the window show it, and a verifier re-derives it (docs/access-report.md).
 *
 * The control mapping is guidance for an assessor ("this section is evidence
 * you may use for…"), never a claim of compliance or certification.
 */
import { z } from 'zod';
import { SESSION_KINDS } from './recovery-kinds.js';

export const ACCESS_REPORT_FORMATS = ['pdf', 'markdown', 'json'] as const;
export type AccessReportFormat = (typeof ACCESS_REPORT_FORMATS)[number];

/** The audit events that put a secret in front of a person: each is a row of "Reveals". */
export const REVEAL_EVENT_TYPES = ['secret.revealed', 'secret.copied', 'code.generated'] as const;

/** The events that change who may get in, or what is trusted: each is a row of "Configuration changes". */
export const CONFIGURATION_EVENT_TYPES = [
  'vault.created',
  'member.added',
  'member.removed',
  'member.passphrase-changed',
  'member.slot-upgraded',
  'vault.format-upgraded',
  'vault.rekeyed',
  'vault.settings-changed',
  'recovery.shares-created',
  'recovery.shares-revoked',
  'recovery.sheets-written',
  'kit.exported',
  'catalog.publisher-trusted',
  'catalog.publisher-repinned',
  'vault.rollback-accepted',
  'vault.lock-broken',
  'doctor.restored',
] as const;

export const ACCESS_SECTIONS = ['unlocks', 'failedUnlocks', 'reveals', 'approvals', 'sessions', 'rotation', 'changes', 'integrity'] as const;
export type AccessSection = (typeof ACCESS_SECTIONS)[number];

export const ACCESS_SECTION_TITLES: Readonly<Record<AccessSection, string>> = {
  unlocks: 'Unlocks',
  failedUnlocks: 'Failed unlock attempts and refused confirmations',
  reveals: 'Secrets revealed or copied, with their reasons',
  approvals: 'Two-person approvals',
  sessions: 'Emergency sessions (exercises and incidents)',
  rotation: 'Revealed secrets and their rotation',
  changes: 'Configuration changes (members, roles, shares, trust)',
  integrity: 'Integrity of the log',
};

/**
 * Which requirement each section can evidence. Worded as guidance: an
 * assessor decides; Lifeboat only says where to look.
 */
export const CONTROL_MAPPING: readonly { section: AccessSection; controls: readonly string[]; note: string }[] = [
  {
    section: 'unlocks',
    controls: ['PCI DSS 4.0 8.6.1', 'PCI DSS 4.0 8.2.2', 'NIST SP 800-53 AC-2(2)', 'ISO 27001 A.8.2', 'SOC 2 CC6.1'],
    note: 'Each interactive use is attributed to a named member, or to the named custodians of a recovery quorum, with the reason given at unlock.',
  },
  {
    section: 'failedUnlocks',
    controls: ['ISO 27001 A.8.15', 'SOC 2 CC6.1', 'NIST SP 800-53 AC-2(2)'],
    note: 'Failed attempts are counted before the key exists and sealed into the log at the next unlock; refused second-person confirmations are logged directly.',
  },
  {
    section: 'reveals',
    controls: ['PCI DSS 4.0 8.6.1', 'NIST SP 800-53 AC-14', 'ISO 27001 A.8.2', 'SOC 2 CC6.2'],
    note: 'Every reveal or copy of a sealed value was logged before the value left the vault, with who, which record and field, and the justification typed.',
  },
  {
    section: 'approvals',
    controls: ['PCI DSS 4.0 8.6.1', 'SOC 2 CC6.3', 'ISO 27001 A.8.2'],
    note: 'Reveals and changes a second member confirmed with their own passphrase (the two-person rule).',
  },
  {
    section: 'sessions',
    controls: ['NIST SP 800-53 CP-4', 'NIST SP 800-53 AC-14', 'SOC 2 A1.3', 'PCI DSS 4.0 8.6.1'],
    note: 'Emergency use is bounded in time: each exercise or incident has a start, an end and a duration; exercises are told apart from real incidents.',
  },
  {
    section: 'rotation',
    controls: ['PCI DSS 4.0 8.6.1', 'NIST SP 800-53 AC-2(2)', 'SOC 2 CC6.2'],
    note: 'Whether each revealed secret was rotated afterwards, by whom, and how long after its last reveal.',
  },
  {
    section: 'changes',
    controls: ['NIST SP 800-53 AC-2(2)', 'ISO 27001 A.8.2', 'SOC 2 CC6.2', 'SOC 2 CC6.3'],
    note: 'Who was given or lost access (members, roles, recovery shares) and which publishers were trusted, when and by whom.',
  },
  {
    section: 'integrity',
    controls: ['NIST SP 800-53 AU-9(3)', 'ISO 27001 A.8.15', 'SOC 2 CC6.1'],
    note: 'The log is hash-chained and every record is signed with an Ed25519 key of the vault; the signed JSON carries the records so anyone can re-check this report without a key.',
  },
];

export const CONTROL_DISCLAIMER =
  'Guidance only: this mapping shows where this report may serve as evidence for each requirement. It is not a certification or an attestation of compliance; your assessor decides.';

const Seq = z.number().int().nonnegative();

export const AccessReportSchema = z
  .object({
    vault: z.object({ id: z.string(), name: z.string() }).strict(),
    period: z
      .object({
        from: z.string().nullable(),
        to: z.string().nullable(),
        /** The events inside the period, and their first and last sequence numbers. */
        events: z.number().int().nonnegative(),
        firstSeq: Seq.nullable(),
        lastSeq: Seq.nullable(),
      })
      .strict(),
    unlocks: z.array(
      z
        .object({
          seq: Seq,
          at: z.string(),
          member: z.string(),
          role: z.string(),
          method: z.enum(['passphrase', 'quorum']),
          custodians: z.array(z.string()),
          reason: z.string(),
        })
        .strict(),
    ),
    failedUnlocks: z.array(
      z
        .object({
          seq: Seq,
          /** When the log learnt of it: the next unlock, or the refusal itself. */
          at: z.string(),
          kind: z.enum(['passphrase', 'second-person']),
          count: z.number().int().positive(),
          lastAttemptAt: z.string().nullable(),
          /** Who unlocked next (passphrase), or whose confirmation was refused (second person). */
          member: z.string(),
          recordTitle: z.string(),
        })
        .strict(),
    ),
    reveals: z.array(
      z
        .object({
          seq: Seq,
          at: z.string(),
          actor: z.string(),
          role: z.string(),
          action: z.enum(['revealed', 'copied']),
          recordId: z.string(),
          recordTitle: z.string(),
          field: z.string(),
          reason: z.string(),
          secondMember: z.string().nullable(),
          sessionId: z.string().nullable(),
          sessionKind: z.enum(SESSION_KINDS).nullable(),
        })
        .strict(),
    ),
    approvals: z.array(z.object({ seq: Seq, at: z.string(), actor: z.string(), secondMember: z.string(), type: z.string(), recordTitle: z.string() }).strict()),
    sessions: z.array(
      z
        .object({
          id: z.string(),
          kind: z.enum(SESSION_KINDS),
          scenario: z.string(),
          startedAt: z.string(),
          startedBy: z.string(),
          endedAt: z.string().nullable(),
          endedBy: z.string().nullable(),
          /** Null while it still runs. */
          durationMinutes: z.number().nonnegative().nullable(),
          reveals: z.number().int().nonnegative(),
        })
        .strict(),
    ),
    rotation: z.array(
      z
        .object({
          recordId: z.string(),
          recordTitle: z.string(),
          fields: z.array(z.string()),
          revealedBy: z.array(z.string()),
          lastRevealedAt: z.string(),
          rotatedAt: z.string().nullable(),
          rotatedBy: z.string().nullable(),
          minutesToRotate: z.number().nonnegative().nullable(),
        })
        .strict(),
    ),
    changes: z.array(z.object({ seq: Seq, at: z.string(), actor: z.string(), role: z.string(), type: z.string(), summary: z.string() }).strict()),
    integrity: z.object({ logRecords: z.number().int().nonnegative(), firstAt: z.string().nullable(), lastAt: z.string().nullable() }).strict(),
    generatedAt: z.string(),
    generatedBy: z.string(),
  })
  .strict();
export type AccessReport = z.output<typeof AccessReportSchema>;

/** What the window and the CLI send: an optional period, as typed (a date or a date and time). */
export const AccessPeriodSchema = z.object({ from: z.string().optional(), to: z.string().optional() }).strict();
export type AccessPeriodInput = z.output<typeof AccessPeriodSchema>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A period bound as an ISO time (UTC). A bare date means the start of that
 * day for `from` and its last millisecond for `to`, so "--to 2026-03-31"
 * includes the 31st. Null when the text is no date.
 */
export function periodBound(text: string, side: 'from' | 'to'): string | null {
  const trimmed = text.trim();
  const iso = DATE_ONLY.test(trimmed) ? `${trimmed}T${side === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : trimmed;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) {
    return null;
  }
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
