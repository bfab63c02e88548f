/**
 * header.json: the vault's plaintext, authenticated header. It names the
 * members and their key slots (so the unlock screen can offer them), the
 * audit public keys, and the sealed audit signing key. Its MAC (BLAKE2b-256
 * keyed with the header key) can only be checked after unlock, so any edit
 * by someone without a key is caught at the next open. docs/vault-format.md.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { LifeboatError } from '../../../shared/errors.js';
import { ROLES } from '../../../shared/records.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import { canonicalBytes } from '../canonical-json.js';
import type { Sodium } from './crypto-runtime.js';
import { readVaultText } from '../storage/vault-files.js';
import { HEADER_FILE } from './header-file.js';

export { HEADER_FILE };
export const HEADER_FORMAT = 'lifeboat-vault';
/** Format 2: the vault identity key (docs/vault-format.md, "Vault identity"). Format 1 headers are read and upgraded. */
export const HEADER_VERSION = 2 as const;
export const LEGACY_HEADER_VERSION = 1 as const;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');

/** crypto_pwhash_SALTBYTES: the length of a key slot's Argon2id salt. */
export const SLOT_SALT_BYTES = 16;
/** The length of the recovery set's key check value (BLAKE2b-128). */
export const RECOVERY_KCV_BYTES = 16;

/**
 * Canonical base64 (padded, zero padding bits: what libsodium's to_base64
 * writes and its from_base64 accepts) of exactly `bytes` bytes.
 */
export function isBase64Of(text: string, bytes: number): boolean {
  const tail = ['', '[A-Za-z0-9+/][AQgw]==', '[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]='][bytes % 3] ?? '';
  return new RegExp(`^(?:[A-Za-z0-9+/]{4}){${Math.floor(bytes / 3)}}${tail}$`).test(text);
}

/** Why `text` is not canonical base64 of `bytes` bytes, for a message ("holds 12 bytes, not 16"). */
function base64Mismatch(text: string, bytes: number): string {
  const length = Math.floor((text.replace(/=+$/, '').length * 3) / 4);
  return length === bytes ? 'is not canonical base64' : `holds ${length} byte${length === 1 ? '' : 's'}, not ${bytes}`;
}

/** One link of a slot's key rotations: the new keys and what vouches for them. */
export const RotationSchema = z
  .object({
    publicKey: b64,
    signingKey: b64,
    /** Ed25519 signature by the previous signing key. */
    signature: b64.optional(),
    /** When the previous keys had no signing key (a slot from format 1): keyed BLAKE2b-256 by the epoch's header key. */
    mac: b64.optional(),
    epoch: z.number().int().positive().optional(),
  })
  .strict();

/** The member set as the vault identity certified it. */
export const CertifiedMemberSchema = z
  .object({
    slotId: z.string().regex(/^[0-9a-f]{16}$/),
    member: z.string().min(1),
    role: z.enum(ROLES),
    scope: z.enum(['full', 'audit']),
    publicKey: b64,
    signingKey: b64.nullable(),
  })
  .strict();

export const IdentitySchema = z
  .object({
    /** The vault identity: an Ed25519 public key, pinned in every format-2 key slot. */
    publicKey: b64,
    members: z.array(CertifiedMemberSchema).min(1),
    /** Ed25519 signature by the identity over the member set (keys/vault-identity.ts). */
    signature: b64,
  })
  .strict();
export type CertifiedMember = z.output<typeof CertifiedMemberSchema>;
export type VaultIdentity = z.output<typeof IdentitySchema>;

export const SlotSchema = z
  .object({
    slotId: z.string().regex(/^[0-9a-f]{16}$/),
    member: z.string().min(1),
    role: z.enum(ROLES),
    scope: z.enum(['full', 'audit']),
    kdf: z.object({ alg: z.literal('argon2id13'), opslimit: z.number().int().positive(), memlimit: z.number().int().positive(), salt: b64 }).strict(),
    /** The member's X25519 public key. */
    publicKey: b64,
    /** The member's X25519 secret key, wrapped by the passphrase-derived slot key: nonce and ciphertext. */
    nonce: b64,
    wrapped: b64,
    /** crypto_box_seal to publicKey of the member's keys for the current epoch. */
    sealedKeys: b64,
    /** Format 2: the member's Ed25519 public key (signs their own key rotations); absent in slots made before it. */
    signingKey: b64.optional(),
    /**
     * Key pairs the member moved to without an owner (a change of passphrase),
     * oldest first, each vouched for by the one before (keys/vault-identity.ts).
     * Emptied whenever an owner certifies the member set again.
     */
    rotations: z.array(RotationSchema).max(1000).optional(),
  })
  .strict()
  .superRefine((slot, ctx) => {
    // crypto_pwhash throws a TypeError for a salt of another length: refuse it here, by name.
    if (!isBase64Of(slot.kdf.salt, SLOT_SALT_BYTES)) {
      ctx.addIssue({
        code: 'custom',
        path: ['kdf', 'salt'],
        message: `the salt of ${slot.member}'s key slot (${slot.slotId}) ${base64Mismatch(slot.kdf.salt, SLOT_SALT_BYTES)}`,
      });
    }
  });

/** The current set of recovery shares (docs/vault-format.md, "Recovery shares"): no secret here. */
export const RecoverySetSchema = z
  .object({
    setId: z.string().regex(/^[0-9a-f]{16}$/),
    threshold: z.number().int().min(2).max(255),
    /** `x`: the x coordinate of the custodian's share (public; it is printed in the share), binding sheet to custodian. */
    custodians: z
      .array(z.object({ index: z.number().int().min(1).max(255), name: z.string().min(1), x: z.number().int().min(1).max(255).optional() }).strict())
      .min(2)
      .max(255),
    /** BLAKE2b-128 keyed with the recovery key: proves a combination right before it is used. */
    kcv: b64.refine((kcv) => isBase64Of(kcv, RECOVERY_KCV_BYTES), {
      error: (issue) => `the recovery shares' key check value ${base64Mismatch(String(issue.input), RECOVERY_KCV_BYTES)}`,
    }),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .strict();
export type RecoverySet = z.output<typeof RecoverySetSchema>;

export const HeaderSchema = z
  .object({
    format: z.literal(HEADER_FORMAT),
    version: z.union([z.literal(LEGACY_HEADER_VERSION), z.literal(HEADER_VERSION)]),
    vaultId: z.string().regex(/^[0-9a-f]{32}$/),
    name: z.string(),
    createdAt: z.string(),
    insecureFastKdf: z.boolean(),
    keyEpoch: z.number().int().positive(),
    /**
     * Counts every write of the header, from 1 (absent before format 2: 0).
     * The newest snapshot seals it, and this laptop's anchor remembers it,
     * so an older header.json put back is refused (docs/vault-format.md, "Header").
     */
    serial: z.number().int().positive().optional(),
    /** Hex BLAKE2b-256 of the previous header (headerHash), absent at serial 1. */
    previous: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    auditPublicKeys: z
      .array(
        z
          .object({
            epoch: z.number().int().positive(),
            publicKey: b64,
            /** Format 2: a check of the epoch's audit and header keys; null for epochs older than the upgrade. */
            keyCheck: b64.nullable().optional(),
            /** Format 2: Ed25519 signature by the vault identity over the epoch's statement. */
            signature: b64.optional(),
          })
          .strict(),
      )
      .min(1),
    identity: IdentitySchema.optional(),
    auditSigningKey: b64,
    auditKeyring: b64,
    slots: z.array(SlotSchema).min(1),
    recovery: RecoverySetSchema.optional(),
    /** Set ids of rotated or revoked share sets: a share from one is refused by name. */
    retiredRecoverySets: z.array(z.string().regex(/^[0-9a-f]{16}$/)).optional(),
    mac: b64,
  })
  .strict();

export type VaultHeader = z.output<typeof HeaderSchema>;
export type SlotRecord = z.output<typeof SlotSchema>;
export type UnsignedHeader = Omit<VaultHeader, 'mac'>;

export function b64encode(sodium: Sodium, bytes: Uint8Array): string {
  return sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
}

/** Decodes header base64; anything libsodium refuses is a damaged header, not a crash. */
export function b64decode(sodium: Sodium, text: string, what = 'a value'): Uint8Array {
  try {
    return sodium.from_base64(text, sodium.base64_variants.ORIGINAL);
  } catch {
    throw new LifeboatError('VAULT_TAMPERED', `The vault header is damaged: ${what} is not valid base64.`);
  }
}

/** The header's write counter: 0 for headers written before it existed. */
export function headerSerial(header: Pick<VaultHeader, 'serial'>): number {
  return header.serial ?? 0;
}

/** Hex BLAKE2b-256 of the header's canonical JSON, MAC included: what the next header and each snapshot name it by. */
export function headerHash(sodium: Sodium, header: VaultHeader): string {
  return sodium.to_hex(sodium.crypto_generichash(32, canonicalBytes(header), null));
}

/** The next write of a header: its serial one up and the hash of the one it replaces. */
export function succeeding(sodium: Sodium, current: VaultHeader, next: UnsignedHeader): UnsignedHeader {
  return { ...next, serial: headerSerial(current) + 1, previous: headerHash(sodium, current) };
}

export function headerMac(sodium: Sodium, header: UnsignedHeader, headerKey: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(32, canonicalBytes(header), headerKey);
}

export function signHeader(sodium: Sodium, header: UnsignedHeader, headerKey: Uint8Array): VaultHeader {
  return { ...header, mac: b64encode(sodium, headerMac(sodium, header, headerKey)) };
}

/** Throws VAULT_TAMPERED unless the header's MAC verifies under this header key. */
export function verifyHeaderMac(sodium: Sodium, header: VaultHeader, headerKey: Uint8Array): void {
  const { mac, ...unsigned } = header;
  let given: Uint8Array;
  try {
    given = b64decode(sodium, mac);
  } catch {
    given = new Uint8Array(0);
  }
  const expected = headerMac(sodium, unsigned, headerKey);
  if (given.length !== expected.length || !sodium.memcmp(given, expected)) {
    throw new LifeboatError('VAULT_TAMPERED', 'The vault header (header.json) has been altered: its MAC does not match.');
  }
}

export async function readHeader(vaultDir: string): Promise<VaultHeader> {
  const path = join(vaultDir, HEADER_FILE);
  let text: string;
  try {
    text = await readVaultText(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LifeboatError('VAULT_NOT_FOUND', `No Lifeboat vault at ${vaultDir} (no ${HEADER_FILE}).`);
    }
    if (error instanceof LifeboatError) {
      throw error;
    }
    throw new LifeboatError('VAULT_IO', `Could not read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LifeboatError('VAULT_TAMPERED', `${path} is not valid JSON: the vault header is damaged.`);
  }
  const claimed = json as { format?: unknown; version?: unknown } | null;
  if (claimed?.format === HEADER_FORMAT && typeof claimed.version === 'number' && claimed.version > HEADER_VERSION) {
    throw new LifeboatError(
      'VAULT_TOO_NEW',
      `${path} is a vault of format ${claimed.version}, written by a newer Lifeboat; this one reads formats up to ${HEADER_VERSION}. Nothing was changed: open it with the newer Lifeboat.`,
    );
  }
  const parsed = HeaderSchema.safeParse(json);
  if (parsed.success && (parsed.data.version === HEADER_VERSION) !== (parsed.data.identity !== undefined)) {
    throw new LifeboatError(
      'VAULT_TAMPERED',
      `${path} is not a valid Lifeboat header (identity: format ${parsed.data.version} ${parsed.data.identity ? 'has no' : 'needs a'} vault identity).`,
    );
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.map(String).join('.') || 'header' : 'header';
    throw new LifeboatError('VAULT_TAMPERED', `${path} is not a valid Lifeboat header (${where}: ${issue?.message ?? 'invalid'}).`);
  }
  return parsed.data;
}

export async function writeHeader(vaultDir: string, header: VaultHeader): Promise<void> {
  await writeFileAtomic(join(vaultDir, HEADER_FILE), `${JSON.stringify(header, null, 2)}\n`);
}
