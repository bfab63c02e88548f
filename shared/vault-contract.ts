/**
 * The vault's IPC channels: requests and responses. Passphrases travel from
 * the renderer to main only; sealed values travel back only from the
 * reveal channel, after the engine has logged the reveal.
 */
import { z } from 'zod';
import { DestinationSchema } from './destinations.js';
import { AUDIT_EXPORT_FORMAT_NAMES } from './audit-export-formats.js';
import { MemberSchema, RECORD_TYPES, ROLES, RecordSummarySchema, RecordViewSchema, RevisionSchema } from './records.js';

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
const path = z.string().min(1);
const secret = z.string().min(1).max(1024);
const id = z.string().min(1).max(64);

/** The second member of a two-person reveal, who types their own passphrase on the same laptop. */
const SecondPersonSchema = z.object({ member: z.string().min(1), passphrase: secret }).strict();

/** A recovery-quorum unlock, shown to owners and auditors at their next unlock. */
export const QuorumUnlockSchema = z.object({ at: z.string(), custodians: z.string(), reason: z.string() });

export const SessionInfoSchema = z.object({
  vaultId: z.string(),
  vaultName: z.string(),
  dir: z.string(),
  member: z.string(),
  role: z.enum(ROLES),
  insecureFastKdf: z.boolean(),
  failedAttemptsBefore: z.number().int(),
  /** Idle minutes before the vault locks itself (enforced in main; the UI shows a countdown). */
  autoLockMinutes: z.number().int(),
  /** Days after which a runbook's review is stale (readiness review). */
  reviewDays: z.number().int(),
  /** Days before an on-call schedule export ends that the readiness review warns (issue 23). */
  onCallWarningDays: z.number().int(),
  /** The vault's identity fingerprint (as printed on the emergency kit). */
  fingerprint: z.string(),
  /** Quorum unlocks since this member last unlocked (owners and auditors; empty for others). */
  quorumUnlocks: z.array(QuorumUnlockSchema),
});
export type SessionInfo = z.output<typeof SessionInfoSchema>;

/**
 * Why the vault last locked, as main saw it (the lock screen says so): after
 * `idleMinutes` without activity, the laptop going to sleep, its screen
 * locking, the member's own Lock, or the app quitting.
 */
export const LOCK_REASONS = ['idle', 'sleep', 'screen-locked', 'user', 'quit'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];
export const LastLockSchema = z.object({
  reason: z.enum(LOCK_REASONS),
  /** The auto-lock setting that ran out (reason 'idle'), else null. */
  idleMinutes: z.number().int().nullable(),
  at: z.string(),
});
export type LastLock = z.output<typeof LastLockSchema>;

/** `lastLock`: why the vault locked, while no vault is open since; null once one is. */
export const VaultStatusSchema = z.object({ session: SessionInfoSchema.nullable(), lastLock: LastLockSchema.nullable() });

/**
 * The answer to the window's activity heartbeat: whether a vault is open, and
 * in how many milliseconds main will lock it if nothing else happens.
 */
export const VaultActivitySchema = z.object({ unlocked: z.boolean(), locksInMs: z.number().int().nonnegative().nullable() });

/** What this laptop remembers of the last vault opened in the window: paths and names only. */
export const RememberedVaultSchema = z.object({ dir: z.string().nullable(), member: z.string().nullable(), recent: z.array(z.string()) });
export type RememberedVault = z.output<typeof RememberedVaultSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  epoch: z.number().int(),
  event: z.object({
    type: z.string(),
    actor: z.string(),
    role: z.string(),
    recordId: z.string().optional(),
    recordTitle: z.string().optional(),
    field: z.string().optional(),
    reason: z.string().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }),
});
export type AuditEntryView = z.output<typeof AuditEntrySchema>;

export const SearchHitSchema = z.object({
  id: z.string(),
  type: z.enum(RECORD_TYPES),
  title: z.string(),
  score: z.number(),
  /** Matched words are between \u0002 and \u0003; '' for key locations and secrets, and past the first page. */
  snippet: z.string(),
  /** The headings the snippet sits under ("Diagnosis › Check replication lag"), or ''. */
  heading: z.string(),
  archived: z.boolean(),
  /** Where the record came from when a catalog sync made it: catalog, file, version, signed or not. */
  source: z.object({ catalogId: z.string(), path: z.string(), version: z.number(), signed: z.boolean() }).nullable(),
});

/** A search's answer: the query, the query as searched when words of it were corrected (else null), the hits. */
export const SearchResultSchema = z.object({ query: z.string(), corrected: z.string().nullable(), hits: z.array(SearchHitSchema) });

/**
 * One field of a changed record, word by word (issue 19): typed segments of
 * text, never markup; the window shows each as text, removed struck through
 * and added underlined. `partial`: a side was cut, or shown whole-field.
 */
export const FieldDiffSchema = z.object({
  field: z.string(),
  label: z.string(),
  segments: z.array(z.object({ op: z.enum(['same', 'removed', 'added']), text: z.string() })),
  partial: z.boolean(),
});
export type FieldDiffView = z.output<typeof FieldDiffSchema>;

const SyncChangeSchema = z.object({
  key: z.string(),
  type: z.enum(RECORD_TYPES),
  title: z.string(),
  file: z.string(),
  fields: z.array(z.string()),
  recordId: z.string().optional(),
  /** The window's check (dry run): what the fields that differ would become, vault side → catalog side. */
  content: z.array(FieldDiffSchema).optional(),
});

export const SyncReportSchema = z.object({
  catalogId: z.string(),
  catalogVersion: z.number().int(),
  publisher: z.string(),
  signature: z.enum(['verified', 'unsigned']),
  previousVersion: z.number().int().nullable(),
  dryRun: z.boolean(),
  diff: z.object({
    added: z.array(SyncChangeSchema),
    changed: z.array(SyncChangeSchema),
    removed: z.array(SyncChangeSchema),
    conflicts: z.array(SyncChangeSchema),
    unchanged: z.number().int(),
    /** Of the unchanged: conflicts settled earlier by keeping the local edit, the catalog's side unchanged since (not asked again). */
    keptLocal: z.number().int(),
  }),
  /** Issue 17: new signed entries that records of an unsigned import already hold; adopted only when asked. */
  adoption: z.object({ entries: z.array(SyncChangeSchema), from: z.array(z.string()), adopted: z.boolean() }).nullable(),
  /** Issue 17: archiving more than a quarter of the catalog's live records needs a confirmation. */
  archive: z.object({ archiving: z.number().int(), of: z.number().int(), needsConfirmation: z.boolean() }),
  /** The window's folder sync: where its catalog id came from. */
  catalogIdFrom: z.enum(['given', 'remembered', 'folder']).optional(),
  /** Files (or YAML documents) that are not catalog entities, each with why: left out, never an error. */
  skipped: z.array(z.object({ file: z.string(), line: z.number().int().optional(), reason: z.string() })),
  /** What the publisher should fix (empty pages, generic or shared titles), each naming its files; the sync goes ahead. */
  warnings: z.array(z.object({ file: z.string(), line: z.number().int().optional(), files: z.array(z.string()).optional(), message: z.string() })),
  /** The images the catalog carries, compared with those the vault holds for its id (docs/catalog-format.md, "Images"). */
  images: z.object({
    added: z.array(z.string()),
    changed: z.array(z.string()),
    removed: z.array(z.string()),
    unchanged: z.number().int(),
    bytes: z.number().int(),
  }),
  applied: z
    .object({
      added: z.number().int(),
      changed: z.number().int(),
      archived: z.number().int(),
      conflictsKeptLocal: z.number().int(),
      conflictsTookCatalog: z.number().int(),
      adopted: z.number().int(),
    })
    .nullable(),
});
export type SyncReportView = z.output<typeof SyncReportSchema>;

export const AuditVerifySchema = z.object({ records: z.number().int(), checks: z.array(z.string()) });

/** A search as typed, and the same search once settled (logged): one shape for both channels. */
const SearchRequestSchema = z
  .object({
    query: z.string().max(500),
    type: z.enum(RECORD_TYPES).optional(),
    service: z.string().optional(),
    tag: z.string().optional(),
    limit: z.number().int().min(1).max(200).optional(),
    /** Search the words as typed: no correction of a word that matches nothing. */
    exact: z.boolean().optional(),
  })
  .strict();

export const vaultContract = {
  'vault:create': {
    /** `to`: the new vault's folder (a dialog token in the desktop shell, a typed path in the browser host). */
    request: z.object({ to: DestinationSchema, owner: z.string().min(1), passphrase: secret, name: z.string().optional() }).strict(),
    response: SessionInfoSchema,
  },
  'vault:unlock': {
    request: z.object({ dir: path, member: z.string().min(1), passphrase: secret }).strict(),
    response: SessionInfoSchema,
  },
  'vault:lock': { request: Empty, response: Ok },
  /** Member names from the plaintext header, so the unlock screen can offer them. */
  'vault:members-preview': { request: z.object({ dir: path }).strict(), response: z.object({ name: z.string(), members: z.array(z.string()) }) },
  /**
   * An owner's way out of a damaged newest snapshot, from the unlock screen's
   * VAULT_TAMPERED error (issue 19): every snapshot checked with the owner's
   * keys, and with `restore`, that generation made the newest again (logged
   * as doctor.restored; the damaged files go to quarantine/). `lifeboat doctor`
   * does the same. The vault stays locked: unlock afterwards.
   */
  'vault:doctor': {
    request: z.object({ dir: path, member: z.string().min(1), passphrase: secret, restore: z.number().int().nonnegative().optional() }).strict(),
    response: z.object({
      name: z.string(),
      restored: z.number().int().nullable(),
      generations: z.array(
        z.object({
          generation: z.number().int(),
          status: z.enum(['unchecked', 'ok', 'damaged', 'other-epoch', 'refused']),
          savedAt: z.string().optional(),
          savedBy: z.string().optional(),
          detail: z.string().optional(),
        }),
      ),
    }),
  },
  /**
   * Non-secret text (a phone number, a step's command) to the system clipboard, through main like secrets,
   * cleared after `clearsInSeconds` if it still holds it. CLIPBOARD_UNAVAILABLE where there is none.
   */
  'clipboard:copy-text': {
    request: z.object({ text: z.string().min(1).max(20_000) }).strict(),
    response: z.object({ clearsInSeconds: z.number().int() }),
  },
  /** Whether main can reach a system clipboard (the browser host without wl-copy, xclip or xsel cannot): asked before a copy is logged. */
  'clipboard:status': { request: Empty, response: z.object({ available: z.boolean() }) },
  /** Opens (creating it the first time) the clearly marked demo vault with sample records. */
  'vault:demo': { request: Empty, response: SessionInfoSchema },
  /** Does not count as activity: it never restarts main's idle timer (IDLE_NEUTRAL_CHANNELS). */
  'vault:status': { request: Empty, response: VaultStatusSchema },
  /** The person is at work in the window (keys, pointer, wheel, scroll): restarts main's idle timer. */
  'vault:activity': { request: Empty, response: VaultActivitySchema },
  /** The last vault folder and member opened here, and recent folders (the app's own settings, outside any vault). */
  'app:remembered': { request: Empty, response: RememberedVaultSchema },
  'records:list': { request: z.object({ type: z.enum(RECORD_TYPES).optional() }).strict(), response: z.array(RecordSummarySchema) },
  'records:open': { request: z.object({ id }).strict(), response: RecordViewSchema },
  'records:create': {
    request: z.object({ type: z.enum(RECORD_TYPES), title: z.string(), data: z.record(z.string(), z.unknown()) }).strict(),
    response: RecordSummarySchema,
  },
  'records:edit': {
    /** `second`: a member confirming a change the two-person rule guards (a covered secret, a two-person procedure). */
    request: z.object({ id, title: z.string().optional(), set: z.record(z.string(), z.unknown()), second: SecondPersonSchema.optional() }).strict(),
    response: RecordSummarySchema,
  },
  'records:delete': { request: z.object({ id, second: SecondPersonSchema.optional() }).strict(), response: Ok },
  'records:history': { request: z.object({ id }).strict(), response: z.array(RevisionSchema) },
  'records:revision-changes': {
    request: z.object({ id, revision: z.number().int().positive() }).strict(),
    response: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
  },
  'secret:reveal': {
    request: z.object({ id, field: z.string().min(1), reason: z.string(), second: SecondPersonSchema.optional() }).strict(),
    response: z.object({ value: z.string() }),
  },
  /** Logged as a copy; the value goes to the clipboard in main, never to the renderer. Refused before the log where there is no clipboard. */
  'secret:copy': {
    request: z.object({ id, field: z.string().min(1), reason: z.string(), second: SecondPersonSchema.optional() }).strict(),
    response: z.object({ clearsInSeconds: z.number().int() }),
  },
  /**
   * Every sealed field of a credential for one reason, logged first as one "secret.revealed" event listing
   * the fields. `procedureId`: the break-glass procedure it is revealed from (it must list the secret; logged).
   */
  'secret:reveal-credential': {
    request: z.object({ id, reason: z.string(), procedureId: id.optional(), second: SecondPersonSchema.optional() }).strict(),
    response: z.object({ fields: z.array(z.object({ field: z.string(), value: z.string() })) }),
  },
  'members:list': { request: Empty, response: z.array(MemberSchema) },
  'members:add': { request: z.object({ name: z.string().min(1), role: z.enum(ROLES), passphrase: secret }).strict(), response: MemberSchema },
  'members:remove': { request: z.object({ name: z.string().min(1) }).strict(), response: Ok },
  'members:passwd': { request: z.object({ current: secret, next: secret }).strict(), response: Ok },
  'audit:list': { request: Empty, response: z.array(AuditEntrySchema) },
  'audit:verify': { request: Empty, response: AuditVerifySchema },
  'audit:checkpoint': { request: Empty, response: z.object({ note: z.string() }) },
  'audit:export': {
    request: z.object({ to: DestinationSchema, format: z.enum(AUDIT_EXPORT_FORMAT_NAMES).optional() }).strict(),
    response: z.object({ records: z.number().int(), path: z.string(), format: z.enum(AUDIT_EXPORT_FORMAT_NAMES) }),
  },
  'records:search': {
    request: SearchRequestSchema,
    response: SearchResultSchema,
  },
  /** The query the user settled on (Enter, opening a hit, a pause): the same results, logged once as "records.searched". */
  'records:search-settled': {
    request: SearchRequestSchema,
    response: SearchResultSchema,
  },
  'catalog:sync': {
    request: z
      .object({
        /** A signed .lbcat file, or (owners) a folder synced unsigned. */
        path: path,
        /** For a folder: its catalog id (remembered for that folder once applied); else the remembered one, else the folder's name unless too generic. */
        catalogId: z.string().max(128).optional(),
        dryRun: z.boolean().optional(),
        /** Owners: accept a version not newer than the one applied; the window needs `downgradeReason` with it (logged). */
        allowDowngrade: z.boolean().optional(),
        downgradeReason: z.string().max(500).optional(),
        /** Owners: adopt the records of unsigned imports that hold this signed catalog's new entries (logged). */
        adopt: z.boolean().optional(),
        /** Confirms archiving more than a quarter of the catalog's records. */
        confirmArchive: z.boolean().optional(),
        /** Per conflict key: which side wins; keep-local for any not named. */
        takeCatalog: z.array(z.string()).optional(),
      })
      .strict(),
    response: SyncReportSchema,
  },
  'catalog:status': {
    request: Empty,
    response: z.object({
      last: z.object({ catalogId: z.string(), version: z.number().int(), publisher: z.string(), at: z.string(), by: z.string() }).nullable(),
      publishers: z.array(z.object({ name: z.string(), keyId: z.string(), addedAt: z.string(), addedBy: z.string() })),
    }),
  },
  'contacts:call-list': {
    request: Empty,
    response: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.string(),
        phones: z.array(z.string()),
        channels: z.array(z.string()),
        escalationOrder: z.number().int().nullable(),
      }),
    ),
  },
  'catalog:trust': {
    /** `catalogPath`: trusting from that catalog's error: the key must be the one the catalog names, else nothing is trusted. */
    request: z.object({ publicKey: z.string().min(1).max(200), name: z.string().min(1).max(120), catalogPath: path.optional() }).strict(),
    response: z.object({ name: z.string(), keyId: z.string() }),
  },
  'settings:set-auto-lock': { request: z.object({ minutes: z.number().int() }).strict(), response: SessionInfoSchema },
  'settings:set-review-days': { request: z.object({ days: z.number().int() }).strict(), response: SessionInfoSchema },
  'settings:set-oncall-warning-days': { request: z.object({ days: z.number().int() }).strict(), response: SessionInfoSchema },
} as const;
