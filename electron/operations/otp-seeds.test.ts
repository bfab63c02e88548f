import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { codesFor, parseOtpauthUri, parseSeedInput, seedToUri, type OtpAlgorithm, type OtpSeed } from './otp-seeds.js';

const ascii = (text: string): string => Secret.fromLatin1(text).base32;

// RFC 6238, Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's size.
const RFC6238_SEEDS: Record<OtpAlgorithm, string> = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};
const RFC6238: [number, OtpAlgorithm, string][] = [
  [59, 'SHA1', '94287082'],
  [59, 'SHA256', '46119246'],
  [59, 'SHA512', '90693936'],
  [1111111109, 'SHA1', '07081804'],
  [1111111109, 'SHA256', '68084774'],
  [1111111109, 'SHA512', '25091201'],
  [1111111111, 'SHA1', '14050471'],
  [1111111111, 'SHA256', '67062674'],
  [1111111111, 'SHA512', '99943326'],
  [1234567890, 'SHA1', '89005924'],
  [1234567890, 'SHA256', '91819424'],
  [1234567890, 'SHA512', '93441116'],
  [2000000000, 'SHA1', '69279037'],
  [2000000000, 'SHA256', '90698825'],
  [2000000000, 'SHA512', '38618901'],
  [20000000000, 'SHA1', '65353130'],
  [20000000000, 'SHA256', '77737706'],
  [20000000000, 'SHA512', '47863826'],
];
// RFC 4226, Appendix D: HOTP of "12345678901234567890", counters 0 to 9.
const RFC4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

function seed(overrides: Partial<OtpSeed>): OtpSeed {
  return { type: 'totp', secret: RFC6238_SEEDS.SHA1, algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: '', label: 'test', ...overrides };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('VAULT_BAD_INPUT');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('one-time codes: the RFC test vectors', () => {
  it.each(RFC6238)('RFC 6238 at T=%i with %s gives %s', (time, algorithm, expected) => {
    const uri = `otpauth://totp/RFC?secret=${RFC6238_SEEDS[algorithm]}&algorithm=${algorithm}&digits=8&period=30`;
    expect(codesFor(parseOtpauthUri(uri), time * 1000).code).toBe(expected);
  });

  it('RFC 4226: HOTP codes for counters 0 to 9, each with the next one', () => {
    const hotp = parseOtpauthUri(`otpauth://hotp/RFC?secret=${RFC6238_SEEDS.SHA1}&counter=0`);
    RFC4226.forEach((expected, counter) => {
      const codes = codesFor(hotp, 0, counter);
      expect(codes).toMatchObject({ code: expected, counter, secondsLeft: null });
      if (counter < 9) {
        expect(codes.next).toBe(RFC4226[counter + 1]);
      }
    });
  });

  it('keeps leading zeros and counts the seconds left in the period', () => {
    const codes = codesFor(seed({ digits: 8 }), 1111111109 * 1000);
    expect(codes.code).toBe('07081804');
    // 1111111109 is 29 s into its 30 s period: 1 s left; the next code is the one at 1111111111.
    expect(codes.secondsLeft).toBe(1);
    expect(codes.next).toBe('14050471');
  });

  it('any period: a 60 s code changes on the minute', () => {
    const sixty = seed({ period: 60 });
    expect(codesFor(sixty, 60_000).code).toBe(codesFor(sixty, 119_999).code);
    expect(codesFor(sixty, 60_000).code).not.toBe(codesFor(sixty, 120_000).code);
    expect(codesFor(sixty, 60_000).secondsLeft).toBe(60);
  });
});

describe('otpauth URIs', () => {
  it('reads every part, and stores one canonical URI that reads back the same', () => {
    const parsed = parseOtpauthUri(
      'otpauth://totp/ACME%20Co:break.glass@example.org?secret=jbsw y3dp-ehpk3pxp&issuer=ACME%20Co&algorithm=sha256&digits=8&period=60',
    );
    expect(parsed).toEqual({
      type: 'totp',
      secret: 'JBSWY3DPEHPK3PXP',
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
      counter: 0,
      issuer: 'ACME Co',
      label: 'break.glass@example.org',
    });
    expect(parseOtpauthUri(seedToUri(parsed))).toEqual(parsed);
  });

  it('defaults to SHA-1, 6 digits, 30 s; HOTP keeps its counter', () => {
    expect(parseOtpauthUri('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP')).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30 });
    expect(parseOtpauthUri('otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=42')).toMatchObject({ type: 'hotp', counter: 42 });
  });

  it.each([
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9', 'otpauth URI: digits must be 6–8, got "9".'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six', 'otpauth URI: digits must be 6–8, got "six".'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5', 'otpauth URI: algorithm must be SHA1, SHA256 or SHA512, got "MD5".'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0', 'otpauth URI: period must be 1–86400 seconds, got "0".'],
    ['otpauth://totp/x?issuer=ACME', 'otpauth URI: secret is missing.'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PX1', 'otpauth URI: the secret is not Base32 (A–Z and 2–7): "1" at character 16.'],
    ['otpauth://totp/x?secret=JBSWY3DP', 'otpauth URI: the secret is 5 bytes; a real seed has at least 10 (16 Base32 characters).'],
    ['otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP', 'otpauth URI: counter is missing (an HOTP URI needs one).'],
    ['otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1', 'otpauth URI: counter must be a whole number ≥ 0, got "-1".'],
    ['otpauth://steam/x?secret=JBSWY3DPEHPK3PXP', 'otpauth URI: the type must be totp or hotp, got "steam".'],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=6&digits=8', 'otpauth URI: digits is given twice.'],
    ['otpauth://totp/%E0%A4%A?secret=JBSWY3DPEHPK3PXP', 'otpauth URI: the label or a parameter is not valid percent-encoding.'],
    ['otpauth:totp?secret=JBSWY3DPEHPK3PXP', 'otpauth URI: expected otpauth://totp/LABEL?secret=… or otpauth://hotp/LABEL?secret=…&counter=….'],
  ])('%s is refused naming the part', (uri, message) => {
    expect(refusal(() => parseSeedInput(uri))).toBe(message);
  });
});

describe('a bare Base32 secret', () => {
  it('is a TOTP seed with the defaults every authenticator assumes', () => {
    const parsed = parseSeedInput('  jbsw y3dp ehpk 3pxp====  ', 'Registrar');
    expect(parsed).toEqual({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: '', label: 'Registrar' });
    expect(seedToUri(parsed)).toMatch(/^otpauth:\/\/totp\/Registrar\?secret=JBSWY3DPEHPK3PXP&/);
  });

  it('is refused naming what is wrong', () => {
    expect(refusal(() => parseSeedInput('not base32!'))).toBe('Base32 secret: the secret is not Base32 (A–Z and 2–7): "!" at character 10.');
    expect(refusal(() => parseSeedInput('https://example.org/?secret=JBSWY3DPEHPK3PXP'))).toBe('One-time code: expected an otpauth:// URI or a Base32 secret.');
  });
});
