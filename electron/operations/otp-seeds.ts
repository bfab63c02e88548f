/**
 * One-time-code seeds: what a person pastes (an otpauth:// URI or a bare
 * Base32 key) checked part by part, stored as one canonical otpauth:// URI,
 * and turned into codes by the `otpauth` library (RFC 6238 TOTP, RFC 4226
 * HOTP; no hand-written HMAC or Base32). docs/security.md, "One-time codes".
 *
 * The URI is checked here rather than by `otpauth`'s own parser so that a
 * mistake names its part ("otpauth URI: digits must be 6–8, got 9") instead
 * of "Invalid 'digits' parameter"; the library then builds the generator.
 */
import { HOTP, Secret, TOTP } from 'otpauth';
import { LifeboatError } from '../../shared/errors.js';

export const OTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type OtpAlgorithm = (typeof OTP_ALGORITHMS)[number];

/** RFC 4226 asks for at least 128 bits and recommends 160; real services issue 80-bit keys (16 Base32 characters). */
const MIN_SECRET_BYTES = 10;
const MAX_SECRET_BYTES = 128;
const MAX_PERIOD_SECONDS = 86_400;

export interface OtpSeed {
  type: 'totp' | 'hotp';
  /** Base32 (RFC 4648), upper case, no padding. */
  secret: string;
  algorithm: OtpAlgorithm;
  digits: number;
  /** TOTP: seconds per code (30 unless the URI says otherwise). */
  period: number;
  /** HOTP: the counter the URI started at (the vault keeps the live one, see one-time-codes.ts). */
  counter: number;
  issuer: string;
  label: string;
}

function bad(where: string, message: string): LifeboatError {
  return new LifeboatError('VAULT_BAD_INPUT', `${where}: ${message}.`);
}

/** Base32 with spaces, dashes, lower case and padding forgiven, as services print it. */
function normalBase32(raw: string, where: string): string {
  const cleaned = raw.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if (cleaned.length === 0) {
    throw bad(where, 'the secret is empty');
  }
  const badChar = /[^A-Z2-7]/.exec(cleaned);
  if (badChar) {
    throw bad(where, `the secret is not Base32 (A–Z and 2–7): "${badChar[0]}" at character ${badChar.index + 1}`);
  }
  const bytes = Secret.fromBase32(cleaned).bytes.length;
  if (bytes < MIN_SECRET_BYTES) {
    throw bad(where, `the secret is ${bytes} bytes; a real seed has at least ${MIN_SECRET_BYTES} (16 Base32 characters)`);
  }
  if (bytes > MAX_SECRET_BYTES) {
    throw bad(where, `the secret is ${bytes} bytes, more than ${MAX_SECRET_BYTES}`);
  }
  return cleaned;
}

function wholeNumber(value: string, name: string, where: string, min: number, max: number, range: string): number {
  if (!/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw bad(where, `${name} must be ${range}, got ${JSON.stringify(value).slice(0, 40)}`);
  }
  return Number(value);
}

function decodePart(text: string, where: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw bad(where, 'the label or a parameter is not valid percent-encoding');
  }
}

/** Parses an otpauth:// URI; every refusal names the part that is wrong. */
export function parseOtpauthUri(uri: string): OtpSeed {
  const where = 'otpauth URI';
  const match = /^otpauth:\/\/([^/?#]*)\/([^?#]*)(?:\?([^#]*))?$/i.exec(uri.trim());
  if (!match) {
    throw bad(where, 'expected otpauth://totp/LABEL?secret=… or otpauth://hotp/LABEL?secret=…&counter=…');
  }
  const type = (match[1] ?? '').toLowerCase();
  if (type !== 'totp' && type !== 'hotp') {
    throw bad(where, `the type must be totp or hotp, got "${(match[1] ?? '').slice(0, 20)}"`);
  }
  const label = decodePart(match[2] ?? '', where);
  const params = new Map<string, string>();
  for (const pair of (match[3] ?? '').split('&').filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    const key = decodePart(eq === -1 ? pair : pair.slice(0, eq), where).toLowerCase();
    if (params.has(key)) {
      throw bad(where, `${key} is given twice`);
    }
    params.set(key, decodePart(eq === -1 ? '' : pair.slice(eq + 1), where));
  }
  const secretText = params.get('secret');
  if (secretText === undefined) {
    throw bad(where, 'secret is missing');
  }
  const secret = normalBase32(secretText, where);
  const algorithmText = (params.get('algorithm') ?? 'SHA1').toUpperCase().replace('-', '');
  if (!(OTP_ALGORITHMS as readonly string[]).includes(algorithmText)) {
    throw bad(where, `algorithm must be SHA1, SHA256 or SHA512, got "${(params.get('algorithm') ?? '').slice(0, 20)}"`);
  }
  const digits = wholeNumber(params.get('digits') ?? '6', 'digits', where, 6, 8, '6–8');
  const period = type === 'totp' ? wholeNumber(params.get('period') ?? '30', 'period', where, 1, MAX_PERIOD_SECONDS, `1–${MAX_PERIOD_SECONDS} seconds`) : 30;
  let counter = 0;
  if (type === 'hotp') {
    const counterText = params.get('counter');
    if (counterText === undefined) {
      throw bad(where, 'counter is missing (an HOTP URI needs one)');
    }
    counter = wholeNumber(counterText, 'counter', where, 0, Number.MAX_SAFE_INTEGER, 'a whole number ≥ 0');
  }
  const colon = label.indexOf(':');
  const issuer = params.get('issuer') ?? (colon === -1 ? '' : label.slice(0, colon).trim());
  return {
    type,
    secret,
    algorithm: algorithmText as OtpAlgorithm,
    digits,
    period,
    counter,
    issuer,
    label: colon === -1 ? label.trim() : label.slice(colon + 1).trim(),
  };
}

/**
 * What a person entered for a one-time-code field: an otpauth:// URI, or a
 * bare Base32 key (TOTP, SHA-1, 6 digits, 30 s: what every authenticator
 * assumes). `label` names the record in the stored URI.
 */
export function parseSeedInput(input: string, label = ''): OtpSeed {
  const trimmed = input.trim();
  if (/^otpauth:/i.test(trimmed)) {
    return parseOtpauthUri(trimmed);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw bad('One-time code', 'expected an otpauth:// URI or a Base32 secret');
  }
  return { type: 'totp', secret: normalBase32(trimmed, 'Base32 secret'), algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: '', label };
}

function generator(seed: OtpSeed): TOTP | HOTP {
  const common = { issuer: seed.issuer, label: seed.label, secret: Secret.fromBase32(seed.secret), algorithm: seed.algorithm, digits: seed.digits };
  return seed.type === 'totp' ? new TOTP({ ...common, period: seed.period }) : new HOTP({ ...common, counter: seed.counter });
}

/** The canonical form stored (sealed) in the vault. */
export function seedToUri(seed: OtpSeed): string {
  return generator(seed).toString();
}

export interface OtpCodes {
  /** The code to type, as a string: leading zeros kept. */
  code: string;
  /** The code after it (TOTP: the next period; HOTP: the next counter). */
  next: string;
  /** TOTP: whole seconds until `code` stops being current; HOTP: null. */
  secondsLeft: number | null;
  period: number | null;
  /** HOTP: the counter `code` was made from. */
  counter: number | null;
}

/** The current code at `nowMs` (TOTP) or at `counter` (HOTP). */
export function codesFor(seed: OtpSeed, nowMs: number, counter = seed.counter): OtpCodes {
  if (seed.type === 'totp') {
    const totp = generator(seed) as TOTP;
    const periodMs = seed.period * 1000;
    const left = periodMs - (nowMs % periodMs);
    return {
      code: totp.generate({ timestamp: nowMs }),
      next: totp.generate({ timestamp: nowMs + left }),
      secondsLeft: Math.ceil(left / 1000),
      period: seed.period,
      counter: null,
    };
  }
  const hotp = generator(seed) as HOTP;
  return { code: hotp.generate({ counter }), next: hotp.generate({ counter: counter + 1 }), secondsLeft: null, period: null, counter };
}
