import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../../shared/errors.js';
import { loadSodium } from '../keys/crypto-runtime.js';
import { ed25519KeyId, formatCheckpointBody, MAX_NOTE_SIGNATURES, parseCheckpointBody, parseNote, signNote, verifyNote } from './signed-note.js';

const sodium = await loadSodium();
const B64 = sodium.base64_variants.ORIGINAL;
const b64 = (bytes: Uint8Array): string => sodium.to_base64(bytes, B64);

/** The code signed-note.ts refuses with. */
const REFUSAL_CODE = 'VAULT_BAD_INPUT';

function refusal(run: () => unknown): LifeboatError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    const e = error as LifeboatError;
    expect(e.code).toBe(REFUSAL_CODE);
    return e;
  }
  return expect.fail('expected a LifeboatError, but nothing was thrown');
}

function expectRefusal(run: () => unknown, message: RegExp | string): void {
  expect(refusal(run).message).toMatch(message);
}

// --- Keys and a checkpoint used throughout -----------------------------------

const NAME = 'lifeboat.example/audit';
const keys = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(7));
const otherKeys = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(9));
const ROOT = sodium.crypto_hash_sha256(sodium.from_string('some tree'));
const BODY = formatCheckpointBody(NAME, 12345, ROOT);
const NOTE = signNote(sodium, BODY, NAME, keys.privateKey, keys.publicKey);

/** The spec's formula, computed here without signed-note.ts. */
function specKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = sodium.from_string(name);
  const input = new Uint8Array([...nameBytes, 0x0a, 0x01, ...publicKey]);
  return sodium.crypto_hash_sha256(input).slice(0, 4);
}

/** The signature line of a note (its last line). */
function signatureLine(note: string): string {
  const lines = note.split('\n');
  return `${lines[lines.length - 2] ?? ''}\n`;
}

// --- Known answers -------------------------------------------------------------
// Test DATA from golang/mod, sumdb/note/note_test.go (TestSign, TestOpen): the
// PeterNeumann signer key "PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 ||
// seed)>", its verifier key "PeterNeumann+c74f20a3+<base64(0x01 || public
// key)>", and the note Go signs with it. Ed25519 is deterministic, so our
// signer must reproduce the note byte for byte.
const GO_SIGNER_KEY_MATERIAL = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER_KEY_MATERIAL = 'ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_KEY_ID = 'c74f20a3';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const GO_ENOCH_LINE = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe('signed note: known answers', () => {
  const signerMaterial = sodium.from_base64(GO_SIGNER_KEY_MATERIAL, B64);
  const verifierMaterial = sodium.from_base64(GO_VERIFIER_KEY_MATERIAL, B64);
  const peter = sodium.crypto_sign_seed_keypair(signerMaterial.slice(1));

  it('derives the published key and key ID', () => {
    expect(signerMaterial[0]).toBe(0x01);
    expect(verifierMaterial[0]).toBe(0x01);
    expect(sodium.to_hex(peter.publicKey)).toBe(sodium.to_hex(verifierMaterial.slice(1)));
    expect(sodium.to_hex(ed25519KeyId(sodium, 'PeterNeumann', peter.publicKey))).toBe(GO_KEY_ID);
  });

  it('signs the published note byte for byte', () => {
    expect(signNote(sodium, GO_TEXT, 'PeterNeumann', peter.privateKey, peter.publicKey)).toBe(GO_NOTE);
  });

  it('parses the published two-signature note', () => {
    const parsed = parseNote(GO_NOTE + GO_ENOCH_LINE);
    expect(parsed.body).toBe(GO_TEXT);
    expect(parsed.signatures.map((s) => [s.keyName, sodium.to_hex(s.keyId), s.signature.length])).toEqual([
      ['PeterNeumann', GO_KEY_ID, 64],
      ['EnochRoot', 'af0cfe78', 64],
    ]);
  });

  it('verifies the published signature, then refuses its text because it is not a checkpoint', () => {
    // Getting as far as the body check proves the signature verified.
    expectRefusal(() => verifyNote(sodium, GO_NOTE + GO_ENOCH_LINE, 'PeterNeumann', peter.publicKey), 'checkpoint: missing root hash line');
    // With one character of the text altered, it fails earlier, at the signature.
    expectRefusal(
      () => verifyNote(sodium, GO_NOTE.replace('cryptography', 'cryptographY'), 'PeterNeumann', peter.publicKey),
      'checkpoint: the signature by PeterNeumann does not verify',
    );
  });

  it('parses the c2sp.org/tlog-checkpoint example body', () => {
    // Test DATA from C2SP/C2SP tlog-checkpoint.md.
    const body = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const parsed = parseCheckpointBody(body);
    expect(parsed).toMatchObject({ origin: 'example.com/behind-the-sofa', treeSize: 20852163, extensions: [] });
    expect(b64(parsed.rootHash)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(formatCheckpointBody(parsed.origin, parsed.treeSize, parsed.rootHash)).toBe(body);
  });
});

describe('signed note: checkpoints', () => {
  it('formats the body as origin, decimal size and base64 root, each ending in a newline', () => {
    expect(BODY).toBe(`${NAME}\n12345\n${b64(ROOT)}\n`);
    expect(formatCheckpointBody('a', 0, new Uint8Array(32))).toBe('a\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
  });

  it('computes the key ID from the spec formula', () => {
    const id = ed25519KeyId(sodium, NAME, keys.publicKey);
    expect(id).toHaveLength(4);
    expect(sodium.to_hex(id)).toBe(sodium.to_hex(specKeyId(NAME, keys.publicKey)));
    // The name and the key both go into it.
    expect(sodium.to_hex(ed25519KeyId(sodium, `${NAME}2`, keys.publicKey))).not.toBe(sodium.to_hex(id));
    expect(sodium.to_hex(ed25519KeyId(sodium, NAME, otherKeys.publicKey))).not.toBe(sodium.to_hex(id));
  });

  it('writes exactly body, blank line, em dash line with base64(key ID || Ed25519 signature)', () => {
    const signature = sodium.crypto_sign_detached(sodium.from_string(BODY), keys.privateKey);
    const blob = new Uint8Array([...specKeyId(NAME, keys.publicKey), ...signature]);
    expect(NOTE).toBe(`${BODY}\n\u2014 ${NAME} ${b64(blob)}\n`);
  });

  it('is stable: the same inputs give the same bytes, different inputs different ones', () => {
    expect(signNote(sodium, BODY, NAME, keys.privateKey, keys.publicKey)).toBe(NOTE);
    const other = signNote(sodium, formatCheckpointBody(NAME, 12346, ROOT), NAME, keys.privateKey, keys.publicKey);
    expect(other).not.toBe(NOTE);
  });

  it('round-trips: what was signed verifies and reads back', () => {
    const verified = verifyNote(sodium, NOTE, NAME, keys.publicKey);
    expect(verified).toEqual({ body: BODY, origin: NAME, treeSize: 12345, rootHash: ROOT, extensions: [] });
    // Bytes work as well as text.
    expect(verifyNote(sodium, sodium.from_string(NOTE), NAME, keys.publicKey).treeSize).toBe(12345);
    const parsed = parseNote(NOTE);
    expect(parsed.body).toBe(BODY);
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]?.keyName).toBe(NAME);
    expect(sodium.to_hex(parsed.signatures[0]?.keyId ?? new Uint8Array())).toBe(sodium.to_hex(specKeyId(NAME, keys.publicKey)));
  });

  it('round-trips the edge sizes and extension lines', () => {
    for (const size of [0, 1, Number.MAX_SAFE_INTEGER]) {
      const note = signNote(sodium, formatCheckpointBody(NAME, size, ROOT), NAME, keys.privateKey, keys.publicKey);
      expect(verifyNote(sodium, note, NAME, keys.publicKey).treeSize).toBe(size);
    }
    const withExtension = signNote(sodium, `${BODY}ext one\next two\n`, NAME, keys.privateKey, keys.publicKey);
    expect(verifyNote(sodium, withExtension, NAME, keys.publicKey).extensions).toEqual(['ext one', 'ext two']);
  });

  it('rejects a note verified with the wrong key or the wrong key name', () => {
    expectRefusal(() => verifyNote(sodium, NOTE, NAME, otherKeys.publicKey), `checkpoint: no signature by the key ${NAME}+`);
    expectRefusal(() => verifyNote(sodium, NOTE, 'other.example/audit', keys.publicKey), 'checkpoint: no signature by the key other.example/audit+');
    // The right name and key ID, but signed by another key: the signature itself fails.
    const forged = signNote(sodium, BODY, NAME, otherKeys.privateKey, otherKeys.publicKey);
    const forgedBlob = sodium.from_base64(signatureLine(forged).trim().split(' ')[2] ?? '', B64);
    forgedBlob.set(specKeyId(NAME, keys.publicKey), 0);
    const impersonation = `${BODY}\n— ${NAME} ${b64(forgedBlob)}\n`;
    expectRefusal(() => verifyNote(sodium, impersonation, NAME, keys.publicKey), `checkpoint: the signature by ${NAME} does not verify`);
  });

  it('rejects an altered body or tree size', () => {
    const alteredOrigin = NOTE.replace('lifeboat.example', 'lifeboat.exampla');
    expectRefusal(() => verifyNote(sodium, alteredOrigin, 'lifeboat.exampla/audit', keys.publicKey), 'checkpoint: no signature by the key');
    const alteredSize = NOTE.replace('\n12345\n', '\n12346\n');
    expect(alteredSize).not.toBe(NOTE);
    expectRefusal(() => verifyNote(sodium, alteredSize, NAME, keys.publicKey), `checkpoint: the signature by ${NAME} does not verify`);
    const alteredRoot = NOTE.replace(b64(ROOT), b64(sodium.crypto_hash_sha256(sodium.from_string('other tree'))));
    expectRefusal(() => verifyNote(sodium, alteredRoot, NAME, keys.publicKey), 'does not verify');
    const line = signatureLine(NOTE);
    const blob = sodium.from_base64(line.trim().split(' ')[2] ?? '', B64);
    blob[10] = (blob[10] ?? 0) ^ 1;
    expectRefusal(() => verifyNote(sodium, `${BODY}\n— ${NAME} ${b64(blob)}\n`, NAME, keys.publicKey), 'does not verify');
  });

  it('rejects extra whitespace anywhere', () => {
    const cases: [string, RegExp | string][] = [
      [NOTE.replace('\n12345\n', '\n12345 \n'), 'does not verify'],
      [NOTE.replace('\n12345\n', '\n 12345\n'), 'does not verify'],
      [` ${NOTE}`, 'does not verify'],
      [NOTE.replace(`— ${NAME} `, `—  ${NAME} `), 'checkpoint: signature line 1 is not "— <key name> <signature>" with single spaces'],
      [NOTE.replace(`— ${NAME} `, `— ${NAME}  `), 'with single spaces'],
      [NOTE.replace(/\n$/, ' \n'), 'with single spaces'],
      [`${NOTE}\n`, 'checkpoint: missing signature line'],
      [`${BODY}\n\n${signatureLine(NOTE)}`, 'does not verify'],
      [NOTE.replaceAll('\n', '\r\n'), 'checkpoint: note contains the control character U+000D'],
      [NOTE.replace('\n12345', '\t12345'), 'control character U+0009'],
      [NOTE.replace(`— ${NAME}`, `—\u00a0${NAME}`), 'does not start with an em dash and a space'],
    ];
    for (const [note, message] of cases) {
      expectRefusal(() => verifyNote(sodium, note, NAME, keys.publicKey), message);
    }
  });

  it('rejects a note without its blank line or without a signature line', () => {
    expectRefusal(() => parseNote(`${BODY}${signatureLine(NOTE)}`), 'checkpoint: missing blank line between the text and its signatures');
    expectRefusal(() => parseNote(BODY), 'checkpoint: missing signature line');
    expectRefusal(() => parseNote(`${BODY}\n`), 'checkpoint: missing signature line');
    expectRefusal(() => parseNote(NOTE.slice(0, -1)), 'checkpoint: note does not end with a newline');
    expectRefusal(() => parseNote(''), 'checkpoint: note is empty');
  });

  it('rejects malformed signature lines', () => {
    const line = signatureLine(NOTE);
    const encoded = line.trim().split(' ')[2] ?? '';
    const cases: [string, string][] = [
      [`- ${NAME} ${encoded}\n`, 'signature line 1 does not start with an em dash and a space'],
      [`— ${NAME}\n`, 'with single spaces'],
      [`— ${NAME} ${encoded} extra\n`, 'with single spaces'],
      [`— a+b ${encoded}\n`, 'signature line 1 has an invalid key name'],
      [`— a\u2003b ${encoded}\n`, 'signature line 1 has an invalid key name'],
      [`— a\u0085b ${encoded}\n`, 'signature line 1 has an invalid key name'],
      [`— ${NAME} ${encoded.slice(0, -1)}\n`, 'signature line 1 is not canonical base64'],
      [`— ${NAME} ${encoded.replace(/=$/, '')}\n`, 'not canonical base64'],
      [`— ${NAME} ${encoded.replace(/.=$/, 'B=')}\n`, 'not canonical base64'], // non-zero padding bits
      [`— ${NAME} ${encoded.replace('A', '-')}\n`, 'not canonical base64'], // URL-safe alphabet
      [`— ${NAME} AAAAAA==\n`, 'signature line 1 is too short to hold a key ID and a signature'],
      [`${line}— ${NAME}\n`, 'signature line 2 is not'],
    ];
    expect(encoded).toMatch(/=$/); // 68 bytes encode with one padding character
    for (const [sigs, message] of cases) {
      expectRefusal(() => parseNote(`${BODY}\n${sigs}`), message);
    }
    expectRefusal(() => parseNote(`${BODY}\n${line.repeat(MAX_NOTE_SIGNATURES + 1)}`), `more than ${MAX_NOTE_SIGNATURES} signature lines`);
    expect(parseNote(`${BODY}\n${line.repeat(MAX_NOTE_SIGNATURES)}`).signatures).toHaveLength(MAX_NOTE_SIGNATURES);
  });

  it('rejects text that is not valid UTF-8', () => {
    const bytes = sodium.from_string(NOTE);
    const broken = new Uint8Array([...bytes.slice(0, 5), 0xff, ...bytes.slice(5)]);
    expectRefusal(() => parseNote(broken), 'checkpoint: note is not valid UTF-8');
    expectRefusal(() => parseNote(`\ud800${NOTE}`), 'checkpoint: note is not valid UTF-8');
  });

  it('ignores signatures by other keys, but a bad one by this key rejects the note', () => {
    const foreign = signatureLine(signNote(sodium, BODY, 'witness.example', otherKeys.privateKey, otherKeys.publicKey));
    const ours = signatureLine(NOTE);
    for (const note of [`${BODY}\n${foreign}${ours}`, `${BODY}\n${ours}${foreign}`, `${BODY}\n${ours}${ours}`]) {
      expect(verifyNote(sodium, note, NAME, keys.publicKey).treeSize).toBe(12345);
    }
    // Same name, another key (a rotated key): ignored, so alone it is "no signature".
    const rotated = signatureLine(signNote(sodium, BODY, NAME, otherKeys.privateKey, otherKeys.publicKey));
    expect(verifyNote(sodium, `${BODY}\n${rotated}${ours}`, NAME, keys.publicKey).origin).toBe(NAME);
    expectRefusal(() => verifyNote(sodium, `${BODY}\n${rotated}`, NAME, keys.publicKey), 'no signature by the key');
    // Our key ID and a valid signature, under another name: not ours either (name and ID must both match).
    const renamed = ours.replace(`— ${NAME} `, '— impostor.example/audit ');
    expect(renamed).not.toBe(ours);
    expectRefusal(() => verifyNote(sodium, `${BODY}\n${renamed}`, NAME, keys.publicKey), 'no signature by the key');
    // A second line by this key that does not verify spoils the good one.
    const blob = sodium.from_base64(ours.trim().split(' ')[2] ?? '', B64);
    blob[40] = (blob[40] ?? 0) ^ 0x80;
    const bad = `— ${NAME} ${b64(blob)}\n`;
    expectRefusal(() => verifyNote(sodium, `${BODY}\n${ours}${bad}`, NAME, keys.publicKey), 'does not verify');
    // So does one of the wrong length.
    const short = `— ${NAME} ${b64(blob.slice(0, 40))}\n`;
    expectRefusal(() => verifyNote(sodium, `${BODY}\n${ours}${short}`, NAME, keys.publicKey), 'does not verify');
  });

  it('splits the text from the signatures at the last blank line', () => {
    const text = 'first\n\nthird\n';
    const note = signNote(sodium, text, NAME, keys.privateKey, keys.publicKey);
    expect(parseNote(note).body).toBe(text);
    expect(parseNote(note).signatures).toHaveLength(1);
  });

  it('refuses to sign or verify with malformed keys, names or bodies', () => {
    expectRefusal(() => signNote(sodium, BODY, NAME, otherKeys.privateKey, keys.publicKey), 'checkpoint: signing key does not belong to the public key');
    expectRefusal(() => signNote(sodium, BODY, NAME, keys.privateKey.slice(0, 32), keys.publicKey), 'checkpoint: signing key is not a 64-byte');
    expectRefusal(() => signNote(sodium, BODY, NAME, keys.privateKey, keys.publicKey.slice(1)), 'checkpoint: public key is not a 32-byte');
    expectRefusal(() => signNote(sodium, BODY.slice(0, -1), NAME, keys.privateKey, keys.publicKey), 'checkpoint: body does not end with a newline');
    expectRefusal(() => signNote(sodium, '', NAME, keys.privateKey, keys.publicKey), 'checkpoint: body is empty');
    expectRefusal(() => signNote(sodium, 'a\rb\n', NAME, keys.privateKey, keys.publicKey), 'control character U+000D');
    for (const name of ['', 'a b', 'a+b', 'a\nb', 'a\u00a0b']) {
      expectRefusal(() => signNote(sodium, BODY, name, keys.privateKey, keys.publicKey), 'checkpoint: key name must be non-empty');
      expectRefusal(() => ed25519KeyId(sodium, name, keys.publicKey), 'checkpoint: key name must be non-empty');
    }
    expectRefusal(() => verifyNote(sodium, NOTE, NAME, new Uint8Array(31)), 'checkpoint: public key is not a 32-byte');
  });
});

describe('signed note: checkpoint body parsing', () => {
  const root = b64(ROOT);

  it('accepts a well-formed body', () => {
    expect(parseCheckpointBody(`o\n0\n${root}\n`)).toEqual({ origin: 'o', treeSize: 0, rootHash: ROOT, extensions: [] });
    expect(parseCheckpointBody(`o\n9007199254740991\n${root}\nx\n`)).toEqual({
      origin: 'o',
      treeSize: Number.MAX_SAFE_INTEGER,
      rootHash: ROOT,
      extensions: ['x'],
    });
  });

  it.each([
    ['12a', 'checkpoint: tree size is not a decimal number'],
    ['-1', 'checkpoint: tree size is not a decimal number'],
    ['+5', 'checkpoint: tree size is not a decimal number'],
    [' 5', 'checkpoint: tree size is not a decimal number'],
    ['5 ', 'checkpoint: tree size is not a decimal number'],
    ['0x10', 'checkpoint: tree size is not a decimal number'],
    ['1e3', 'checkpoint: tree size is not a decimal number'],
    ['٣', 'checkpoint: tree size is not a decimal number'],
    ['', 'checkpoint: tree size is not a decimal number'],
    ['007', 'checkpoint: tree size has a leading zero'],
    ['00', 'checkpoint: tree size has a leading zero'],
    ['9007199254740992', 'checkpoint: tree size is too large'],
  ])('refuses the tree size %j', (size, message) => {
    expectRefusal(() => parseCheckpointBody(`o\n${size}\n${root}\n`), message);
  });

  it('refuses malformed root hashes, missing lines and stray empty lines', () => {
    const cases: [string, string][] = [
      [`o\n1\n${root.slice(0, -1)}\n`, 'checkpoint: root hash is not canonical base64'],
      [`o\n1\n${root} \n`, 'checkpoint: root hash is not canonical base64'],
      [`o\n1\n${b64(ROOT.slice(1))}\n`, 'checkpoint: root hash is 31 bytes, not 32'],
      [`o\n1\n${b64(new Uint8Array(33))}\n`, 'checkpoint: root hash is 33 bytes, not 32'],
      ['o\n1\n\n', 'checkpoint: root hash is 0 bytes, not 32'],
      ['o\n1\n', 'checkpoint: missing root hash line'],
      ['o\n', 'checkpoint: missing tree size line'],
      [`\n1\n${root}\n`, 'checkpoint: origin line is empty'],
      [`o\n1\n${root}\n\n`, 'checkpoint: line 4 of the body is empty'],
      [`o\n1\n${root}\nx\n\n`, 'checkpoint: line 5 of the body is empty'],
      [`o\n1\n${root}`, 'checkpoint: body does not end with a newline'],
      ['', 'checkpoint: body is empty'],
      [`o\r\n1\n${root}\n`, 'checkpoint: body contains the control character U+000D'],
    ];
    for (const [body, message] of cases) {
      expectRefusal(() => parseCheckpointBody(body), message);
    }
  });

  it('refuses to format a body it could not parse back', () => {
    expectRefusal(() => formatCheckpointBody('', 1, ROOT), 'checkpoint: origin is empty');
    expectRefusal(() => formatCheckpointBody('a\nb', 1, ROOT), 'checkpoint: origin contains a newline');
    expectRefusal(() => formatCheckpointBody('a\u0000', 1, ROOT), 'checkpoint: origin contains the control character U+0000');
    for (const size of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expectRefusal(() => formatCheckpointBody('a', size, ROOT), 'checkpoint: tree size is not a non-negative whole number');
    }
    expectRefusal(() => formatCheckpointBody('a', 1, ROOT.slice(1)), 'checkpoint: root hash is not 32 bytes');
  });
});
