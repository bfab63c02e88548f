/**
 * The evidence report as signed JSON, checkable later without the vault:
 *
 *   { format: "lifeboat-evidence-report", version: 2, vaultId, identityKey?, publicKeys,
 *     report, checkpoint, signature: { epoch, sig } }
 *
 * - `sig` is Ed25519 (crypto_sign_detached) by the vault's audit signing key
 *   of `epoch`, over "lifeboat-evidence-report-v1\n" followed by the canonical
 *   JSON (RFC 8785 style, canonical-json.ts) of every field except `signature`;
 * - `checkpoint` is a C2SP signed note over the audit log at export time,
 *   signed by the same keys, so an auditor holding an audit export can check
 *   that the session's events are in the log the report came from;
 * - `publicKeys` are the vault's audit keys, as in an audit export, each
 *   signed by the vault identity `identityKey` (format-2 vaults): the
 *   verifier prints the vault fingerprint computed from it, to compare with
 *   the emergency kit's, or checks it against one given (`--fingerprint`).
 */
import { z } from 'zod';
import { LifeboatError } from '../../shared/errors.js';
import { EvidenceReportSchema, type EvidenceReport } from '../../shared/recovery.js';
import { canonicalBytes } from '../vault/canonical-json.js';
import { loadSodium, type Sodium } from '../vault/keys/crypto-runtime.js';
import { decodeAuditPublicKeys, readJsonFile, signCheckpoint, verifyCheckpointNote } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';
import { ExportedKeySchema, verifyKeyChain } from '../vault/audit/exported-keys.js';

export const REPORT_FORMAT = 'lifeboat-evidence-report' as const;
const SIGNING_PREFIX = 'lifeboat-evidence-report-v1\n';
const REFUSAL = 'Only a full member can sign an evidence report.';

const SignedReportSchema = z
  .object({
    format: z.literal(REPORT_FORMAT),
    /** 2 adds identityKey and the identity's signatures on publicKeys (format-2 vaults). */
    version: z.union([z.literal(1), z.literal(2)]),
    vaultId: z.string(),
    identityKey: z.string().optional(),
    publicKeys: z.array(ExportedKeySchema).min(1),
    report: EvidenceReportSchema,
    checkpoint: z.string(),
    signature: z.object({ epoch: z.number().int().positive(), sig: z.string() }).strict(),
  })
  .strict();
export type SignedReport = z.output<typeof SignedReportSchema>;

function signedBytes(doc: unknown): Uint8Array {
  const body = canonicalBytes(doc);
  const prefix = new TextEncoder().encode(SIGNING_PREFIX);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

export function signReport(session: VaultSession, report: EvidenceReport): SignedReport {
  const { sodium, header } = session;
  if (!session.canSign) {
    throw new LifeboatError('VAULT_FORBIDDEN', REFUSAL);
  }
  const unsigned = {
    format: REPORT_FORMAT,
    version: 2 as const,
    vaultId: header.vaultId,
    ...(header.identity ? { identityKey: header.identity.publicKey } : {}),
    publicKeys: header.auditPublicKeys,
    report,
    checkpoint: signCheckpoint(session),
  };
  const { epoch, signature } = session.signDetached(signedBytes(unsigned), REFUSAL);
  return { ...unsigned, signature: { epoch, sig: sodium.to_base64(signature, sodium.base64_variants.ORIGINAL) } };
}

export interface ReportVerification {
  vaultId: string;
  sessionId: string;
  scenario: string;
  epoch: number;
  /** The signing key as written in the report (base64): compare it with the vault's before trusting. */
  signerPublicKey: string;
  checkpointSize: number;
  /** The vault's fingerprint (format 2), computed from the identity the report names; null before format 2. */
  fingerprint: string | null;
  checks: string[];
}

/** Verifies a signed report with no vault key; any alteration is AUDIT_BROKEN. */
export function verifySignedReport(sodium: Sodium, json: unknown, path: string, pinnedFingerprint?: string): ReportVerification {
  const parsed = SignedReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is not a Lifeboat evidence report (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}).`);
  }
  const { signature, ...unsigned } = parsed.data;
  // The signature is checked over the document as written, not as parsed:
  // the schema drops unknown nested keys, and a reader must not be shown
  // text (a "waiver", an override) that nobody signed.
  const { signature: _signature, ...asWritten } = json as Record<string, unknown>;
  const keys = decodeAuditPublicKeys(sodium, unsigned.publicKeys, path);
  const chain = verifyKeyChain(sodium, unsigned, path, pinnedFingerprint);
  const key = keys.get(signature.epoch);
  if (!key) {
    throw new LifeboatError('AUDIT_BROKEN', `${path} is signed with key epoch ${signature.epoch}, which it does not list.`);
  }
  let sig: Uint8Array;
  try {
    sig = sodium.from_base64(signature.sig, sodium.base64_variants.ORIGINAL);
  } catch {
    throw new LifeboatError('AUDIT_BROKEN', `${path}: the signature is not base64.`);
  }
  if (sig.length !== sodium.crypto_sign_BYTES || !sodium.crypto_sign_verify_detached(sig, signedBytes(asWritten), key)) {
    throw new LifeboatError('AUDIT_BROKEN', `${path}: the report's signature does not verify; it was altered after signing.`);
  }
  if (unsigned.report.vault.id !== unsigned.vaultId) {
    throw new LifeboatError('AUDIT_BROKEN', `${path}: the report names another vault than its signature.`);
  }
  const checkpoint = verifyCheckpointNote(sodium, unsigned.vaultId, keys, unsigned.checkpoint);
  return {
    vaultId: unsigned.vaultId,
    sessionId: unsigned.report.session.id,
    scenario: unsigned.report.session.scenario,
    epoch: signature.epoch,
    signerPublicKey: unsigned.publicKeys.find((k) => k.epoch === signature.epoch)?.publicKey ?? '',
    checkpointSize: checkpoint.treeSize,
    fingerprint: chain.fingerprint,
    checks: [
      ...chain.checks,
      `Ed25519 signature by the vault's audit key (epoch ${signature.epoch}) over the whole report`,
      `signed audit checkpoint of ${checkpoint.treeSize} records, by the same vault keys`,
    ],
  };
}

export async function verifyReportFile(path: string): Promise<ReportVerification> {
  return verifySignedReport(await loadSodium(), await readJsonFile(path), path);
}

/** True when a parsed JSON document claims to be an evidence report (for `audit verify --export`). */
export function isReportDocument(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === REPORT_FORMAT;
}
