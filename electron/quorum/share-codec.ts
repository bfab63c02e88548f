/**
 * A recovery share as people type it from paper (docs/vault-format.md,
 * "Recovery shares").
 *
 * Bytes (50): version 1 ‖ vault tag (first 4 bytes of the vault id) ‖ set id
 * (8) ‖ threshold (1) ‖ custodian index (1) ‖ Shamir share (33: the 32-byte
 * share value and its x coordinate, as shamir-secret-sharing makes them) ‖
 * checksum (2: the first bytes of BLAKE2b-256 over everything before it).
 *
 * Text: the 50 bytes in Crockford base32 (80 characters), cut into 20 groups
 * of 4, each followed by a Luhn mod 32 check character computed over the
 * group's number and its 4 characters. So a mistyped character is caught in
 * the group where it is, and a group typed in another group's boxes is caught
 * too; the whole-share checksum catches what slips through. Reading accepts
 * lower case, spaces, dashes and Crockford's look-alikes (O → 0, I and L → 1).
 */
import { base32crockford } from '@scure/base';
import { LifeboatError } from '../../shared/errors.js';
import { foreignShareChar, GROUP_DATA, GROUP_LENGTH, groupCheckChar, groupChecks, normalizeShareText, SHARE_GROUPS } from '../../shared/share-groups.js';
import type { Sodium } from '../vault/keys/crypto-runtime.js';

export const SHARE_VERSION = 1;
export { SHARE_GROUPS, groupChecks };
const BODY_BYTES = 48;
const CHECKSUM_BYTES = 2;
const SHAMIR_SHARE_BYTES = 33;

export interface SharePayload {
  /** First 8 hex digits of the vault id. */
  vaultTag: string;
  /** 16 hex digits. */
  setId: string;
  threshold: number;
  /** 1-based custodian number, as printed on the sheet. */
  index: number;
  /** The Shamir share (value ‖ x). */
  share: Uint8Array;
}

function checksum(sodium: Sodium, body: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(32, body, null).slice(0, CHECKSUM_BYTES);
}

function invalid(message: string): LifeboatError {
  return new LifeboatError('SHARE_INVALID', message);
}

export function encodeShare(sodium: Sodium, payload: SharePayload): string {
  if (payload.share.length !== SHAMIR_SHARE_BYTES) {
    throw new LifeboatError('INTERNAL', `A Shamir share of ${payload.share.length} bytes cannot be encoded.`);
  }
  const body = new Uint8Array(BODY_BYTES);
  body[0] = SHARE_VERSION;
  body.set(sodium.from_hex(payload.vaultTag), 1);
  body.set(sodium.from_hex(payload.setId), 5);
  body[13] = payload.threshold;
  body[14] = payload.index;
  body.set(payload.share, 15);
  const bytes = new Uint8Array(BODY_BYTES + CHECKSUM_BYTES);
  bytes.set(body);
  bytes.set(checksum(sodium, body), BODY_BYTES);
  const data = base32crockford.encode(bytes);
  const groups: string[] = [];
  for (let g = 0; g < SHARE_GROUPS; g += 1) {
    const chars = data.slice(g * GROUP_DATA, (g + 1) * GROUP_DATA);
    groups.push(chars + groupCheckChar(g + 1, chars));
  }
  return groups.join(' ');
}

/** The 20 groups of a share as typed, normalised; a wrong length or character is named. */
export function shareGroups(text: string, label = 'The share'): string[] {
  const clean = normalizeShareText(text);
  const bad = foreignShareChar(clean);
  if (bad !== undefined) {
    throw invalid(`${label} contains "${bad}", which is not used in shares (they use 0–9 and A–Z without I, L, O and U).`);
  }
  const expected = SHARE_GROUPS * GROUP_LENGTH;
  if (clean.length !== expected) {
    throw invalid(`${label} has ${clean.length} characters; a share has ${expected} (${SHARE_GROUPS} groups of ${GROUP_LENGTH}).`);
  }
  return Array.from({ length: SHARE_GROUPS }, (_, g) => clean.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH));
}

export function decodeShare(sodium: Sodium, text: string, label = 'The share'): SharePayload {
  const groups = shareGroups(text, label);
  const wrong = groups.map((group, g) => (groupChecks(g + 1, group) ? 0 : g + 1)).filter((g) => g > 0);
  if (wrong.length > 0) {
    throw invalid(
      `${label}: group${wrong.length === 1 ? '' : 's'} ${wrong.join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not check. Compare ${wrong.length === 1 ? 'it' : 'them'} with the sheet, character by character.`,
    );
  }
  const bytes = base32crockford.decode(groups.map((group) => group.slice(0, GROUP_DATA)).join(''));
  const body = bytes.slice(0, BODY_BYTES);
  if (!sodium.memcmp(checksum(sodium, body), bytes.slice(BODY_BYTES))) {
    throw invalid(`${label}: every group checks, but the share as a whole does not. Two groups may be swapped or copied from another sheet.`);
  }
  if (body[0] !== SHARE_VERSION) {
    throw invalid(`${label} is in share format ${body[0] ?? '?'}, which this version of Lifeboat does not read.`);
  }
  return {
    vaultTag: sodium.to_hex(body.slice(1, 5)),
    setId: sodium.to_hex(body.slice(5, 13)),
    threshold: body[13] ?? 0,
    index: body[14] ?? 0,
    share: body.slice(15, 15 + SHAMIR_SHARE_BYTES),
  };
}
