/**
 * The summary `audit collect` writes beside its merged timeline, signed by
 * the collector as a full member of a vault they hold (docs/audit-formats.md,
 * "The summary"):
 *
 *   { format: "lifeboat-audit-collection", version: 2, signed: true, collectedAt,
 *     signer: { vaultId, vaultName, member }, identityKey?, publicKeys,
 *     inputs, vaults, gaps, warnings, timeline, signature: { epoch, sig } }
 *
 * - `sig` is Ed25519 by the signer vault's audit key of `epoch` over
 *   "lifeboat-audit-collection-v2\n" followed by the canonical JSON of the
 *   document as written, without `signature` (signed-statement.ts, as the
 *   exporter's signature of an audit export);
 * - `publicKeys` each carry the signer vault identity's signature, so the
 *   reader computes the signer's fingerprint and pins it (`--fingerprint`):
 *   authenticity rests on a vault the auditor named, never on a key found
 *   beside the file (anyone who can write to the folder can make a key pair).
 *
 * Without a signer the summary is written with `signed: false` and no keys:
 * a hash manifest only, which verification refuses (it proves nothing about
 * who made it).
 */
import { z } from 'zod';
import { LifeboatError } from '../../../shared/errors.js';
import type { Sodium } from '../keys/crypto-runtime.js';
import { statementBytes, verifiesDetached } from '../keys/signed-statement.js';
import type { VaultSession } from '../vault-session.js';
import { ExportedKeySchema, verifyKeyChain } from './exported-keys.js';
import { decodeAuditPublicKeys } from './vault-audit.js';

export const COLLECTION_FORMAT = 'lifeboat-audit-collection' as const;
const SIGNING_CONTEXT = 'lifeboat-audit-collection-v2\n';
const REFUSAL =
  'Only a full member can sign a collection summary (an auditor holds no signing key): sign with a vault where you are one, or collect without --sign-with.';

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);

const InputSchema = z
  .object({
    /** The export as named to `audit collect`. */
    file: z.string(),
    /** SHA-256 of its bytes. */
    sha256: HEX64,
    vaultId: z.string(),
    fingerprint: z.string().nullable(),
    vaultName: z.string(),
    exportedAt: z.string(),
    exportedBy: z.string(),
    exporterSigned: z.boolean(),
    /** Records it holds: seq 0 to records − 1. */
    records: z.number().int().nonnegative(),
    firstTime: z.string().nullable(),
    lastTime: z.string().nullable(),
    /** Its signed checkpoint: tree size and RFC 6962 root (hex). */
    treeSize: z.number().int().nonnegative(),
    rootHash: HEX64,
  })
  .strict();

const VaultSchema = z
  .object({
    vaultId: z.string(),
    fingerprint: z.string().nullable(),
    device: z.string(),
    exports: z.number().int().positive(),
    records: z.number().int().nonnegative(),
    firstTime: z.string().nullable(),
    lastTime: z.string().nullable(),
    consistency: z.array(z.string()),
  })
  .strict();

const BodyShape = {
  format: z.literal(COLLECTION_FORMAT),
  version: z.literal(2),
  collectedAt: z.string(),
  inputs: z.array(InputSchema),
  vaults: z.array(VaultSchema),
  gaps: z.array(z.string()),
  warnings: z.array(z.string()),
  timeline: z.object({ file: z.string(), sha256: HEX64, lines: z.number().int().nonnegative() }).strict(),
};

const UnsignedSummarySchema = z.object({ ...BodyShape, signed: z.literal(false) }).strict();

const SignedSummarySchema = z
  .object({
    ...BodyShape,
    signed: z.literal(true),
    signer: z.object({ vaultId: z.string(), vaultName: z.string(), member: z.string() }).strict(),
    identityKey: z.string().optional(),
    publicKeys: z.array(ExportedKeySchema).min(1),
    signature: z.object({ epoch: z.number().int().positive(), sig: z.string() }).strict(),
  })
  .strict();

export type UnsignedCollectionSummary = z.output<typeof UnsignedSummarySchema>;
export type SignedCollectionSummary = z.output<typeof SignedSummarySchema>;
export type CollectionSummary = UnsignedCollectionSummary | SignedCollectionSummary;
export type CollectionInput = z.output<typeof InputSchema>;

/** Refuses early (before anything is written) a session that cannot sign. */
export function requireCollectionSigner(session: VaultSession): void {
  if (!session.canSign) {
    throw new LifeboatError('VAULT_FORBIDDEN', REFUSAL);
  }
}

/** Signs `summary` as the session's member, with its vault's audit key of the current epoch. */
export function signCollectionSummary(session: VaultSession, summary: UnsignedCollectionSummary): SignedCollectionSummary {
  requireCollectionSigner(session);
  const { header } = session;
  const { signed: _unsigned, ...body } = summary;
  const unsigned = {
    ...body,
    signed: true as const,
    signer: { vaultId: header.vaultId, vaultName: header.name, member: session.member.name },
    ...(header.identity ? { identityKey: header.identity.publicKey } : {}),
    publicKeys: header.auditPublicKeys,
  };
  const { epoch, signature } = session.signDetached(statementBytes(SIGNING_CONTEXT, unsigned), REFUSAL);
  return { ...unsigned, signature: { epoch, sig: session.sodium.to_base64(signature, session.sodium.base64_variants.ORIGINAL) } };
}

/** True when a parsed JSON document claims to be a collection summary (for `audit verify --export`). */
export function isCollectionSummary(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === COLLECTION_FORMAT;
}

export interface CollectionVerification {
  summary: SignedCollectionSummary;
  /** The signer vault's fingerprint (null for a vault without an identity key). */
  fingerprint: string | null;
  checks: string[];
}

function badInput(path: string, error: z.ZodError): LifeboatError {
  const issue = error.issues[0];
  return new LifeboatError('VAULT_BAD_INPUT', `${path} is not a Lifeboat collection summary (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}).`);
}

/**
 * The summary's signature and its signer's keys (pinned to `pinned` when
 * given); not the timeline file, which the caller hashes. An unsigned or
 * altered summary is AUDIT_BROKEN; keys that do not chain to the pinned
 * vault VAULT_TAMPERED.
 */
export function verifyCollectionSummary(sodium: Sodium, json: unknown, path: string, pinned?: string): CollectionVerification {
  if (typeof json === 'object' && json !== null && (json as { signed?: unknown }).signed !== true) {
    const unsigned = UnsignedSummarySchema.safeParse(json);
    if (!unsigned.success && (json as { version?: unknown }).version !== 1) {
      throw badInput(path, unsigned.error);
    }
    throw new LifeboatError(
      'AUDIT_BROKEN',
      `${path} is an unsigned collection summary: anyone who can write to its folder could have written it, so it proves nothing. Collect again with --sign-with DIR --as NAME, or check each export it names with audit verify --export.`,
    );
  }
  const parsed = SignedSummarySchema.safeParse(json);
  if (!parsed.success) {
    throw badInput(path, parsed.error);
  }
  const summary = parsed.data;
  const keys = decodeAuditPublicKeys(sodium, summary.publicKeys, path);
  const chain = verifyKeyChain(sodium, { vaultId: summary.signer.vaultId, identityKey: summary.identityKey, publicKeys: summary.publicKeys }, path, pinned);
  const key = keys.get(summary.signature.epoch);
  let sig: Uint8Array;
  try {
    sig = sodium.from_base64(summary.signature.sig, sodium.base64_variants.ORIGINAL);
  } catch {
    sig = new Uint8Array(0);
  }
  // Checked over the document as written, not as parsed: nothing unsigned may be shown.
  const { signature: _signature, ...asWritten } = json as Record<string, unknown>;
  if (!key || !verifiesDetached(sodium, sig, statementBytes(SIGNING_CONTEXT, asWritten), key)) {
    throw new LifeboatError('AUDIT_BROKEN', `${path}: the collection summary's signature does not verify; it was altered after it was signed.`);
  }
  return {
    summary,
    fingerprint: chain.fingerprint,
    checks: [
      ...chain.checks,
      `signed by ${summary.signer.member} of vault ${summary.signer.vaultName} with its audit key of epoch ${summary.signature.epoch}: every input export (SHA-256, vault, fingerprint, range, checkpoint), the consistency proofs, ${summary.gaps.length} gap(s) and ${summary.warnings.length} warning(s), and the timeline's SHA-256`,
    ],
  };
}
