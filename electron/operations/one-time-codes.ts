/**
 * One-time codes from sealed seeds (issue 21; docs/security.md, "One-time
 * codes"). Showing a code is a reveal: the reason and any second member are
 * checked, "code generated" is logged (never the seed), and only then is the
 * seed decrypted and the code made, here in main. The window and
 * `lifeboat code` both call generateCode.
 *
 * HOTP: each code uses the next counter. The counter in use is kept in the
 * vault's encrypted settings (not in the record, so it neither adds a
 * revision nor counts as a rotation) and committed before the code is
 * returned: a code is never shown twice for one counter, and a failed save
 * shows none.
 */
import { checkLaptopClock, type ClockCheck } from '../../shared/clock-check.js';
import { LifeboatError } from '../../shared/errors.js';
import { ONE_TIME_CODE_FIELDS } from '../../shared/record-kinds.js';
import { newestEventTime } from '../vault/audit/vault-audit.js';
import { openSeedForCode, type SecondPerson } from '../vault/records/vault-records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { codesFor, parseOtpauthUri, parseSeedInput, seedToUri, type OtpCodes } from './otp-seeds.js';
import { readQrImage } from './qr-images.js';

export interface CodeRequest {
  id: string;
  reason: string;
  /** The record's one-time-code field; `totp` unless said. */
  field?: string;
  second?: SecondPerson;
  /** The clock to read (tests inject one); the laptop's otherwise. */
  now?: () => Date;
}

export interface GeneratedCode extends OtpCodes {
  id: string;
  field: string;
  type: 'totp' | 'hotp';
  digits: number;
  /** The laptop's clock in UTC, and a warning when it looks wrong. */
  clock: ClockCheck;
}

const counterKey = (id: string, field: string): string => `hotpCounter:${id}:${field}`;

/**
 * The laptop's clock against what the vault has already seen: the newest
 * audit event and the newest record change (the vault's last save). Read
 * before this code's own event is logged, which would always look "now".
 */
export function vaultClock(session: VaultSession, now: Date): ClockCheck {
  const records = session.store().list();
  const lastChange = records.reduce<string | undefined>((newest, r) => (newest === undefined || r.updatedAt > newest ? r.updatedAt : newest), undefined);
  return checkLaptopClock(now, [
    { what: 'the newest audit event', time: newestEventTime(session) },
    { what: "the vault's last saved change", time: lastChange },
  ]);
}

export async function generateCode(session: VaultSession, request: CodeRequest): Promise<GeneratedCode> {
  const field = request.field ?? 'totp';
  if (!ONE_TIME_CODE_FIELDS.includes(field)) {
    throw new LifeboatError('VAULT_BAD_INPUT', `"${field}" is not a one-time-code field (use ${ONE_TIME_CODE_FIELDS.join(', ')}).`);
  }
  const now = (request.now ?? (() => new Date()))();
  const clock = vaultClock(session, now);
  // Logged (fsynced) inside, before the seed is decrypted; a refused or failed log throws here.
  const stored = await openSeedForCode(session, request.id, field, request.reason, request.second);
  const seed = parseOtpauthUri(stored);
  let codes: OtpCodes;
  if (seed.type === 'hotp') {
    const kept = Number(session.store().getMeta(counterKey(request.id, field)) ?? '0');
    const counter = Math.max(seed.counter, Number.isSafeInteger(kept) ? kept : 0);
    codes = codesFor(seed, now.getTime(), counter);
    session.store().setMeta(counterKey(request.id, field), String(counter + 1));
    await session.commit();
  } else {
    codes = codesFor(seed, now.getTime());
  }
  return { id: request.id, field, type: seed.type, digits: seed.digits, ...codes, clock };
}

/**
 * Turns what was entered for each one-time-code field (an otpauth:// URI or
 * a Base32 key) into the canonical otpauth:// URI stored sealed; a bad one
 * is refused naming the field and the part, before anything is logged.
 */
export function normalizeSeedFields(data: Record<string, unknown>, title: string): Record<string, unknown> {
  const out = { ...data };
  for (const field of ONE_TIME_CODE_FIELDS) {
    const value = out[field];
    if (typeof value !== 'string') {
      continue;
    }
    if (value.trim() === '') {
      continue;
    }
    try {
      out[field] = seedToUri(parseSeedInput(value, title));
    } catch (error) {
      if (error instanceof LifeboatError) {
        throw new LifeboatError('VAULT_BAD_INPUT', `The field "${field}": ${error.message}`, {
          problems: [{ file: 'record', field, message: error.message }],
        });
      }
      throw error;
    }
  }
  return out;
}

/**
 * The seed held by a QR image (bytes from the window's file chooser or the
 * CLI's file): its otpauth:// URI, checked, for the editor to fill in. Only
 * the person who chose the file sees it; nothing is stored or logged here.
 */
export function seedFromQrImage(bytes: Uint8Array, name: string): { uri: string; type: 'totp' | 'hotp'; issuer: string; label: string } {
  const text = readQrImage(bytes, name);
  if (!/^otpauth:/i.test(text.trim())) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${name}: the QR code holds no otpauth:// link (it starts "${text.slice(0, 12)}…").`);
  }
  const seed = parseOtpauthUri(text);
  return { uri: seedToUri(seed), type: seed.type, issuer: seed.issuer, label: seed.label };
}
