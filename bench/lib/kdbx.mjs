// What the KeePassXC side of the comparison needs from us:
//
// - keepassXml(): a KeePass 2 XML document (what `keepassxc-cli import`
//   reads) with one entry per vault record: title, notes (the record's long
//   text, byte for byte), and for secrets username and password.
// - emptyArgon2Kdbx(): an empty KDBX 4 database whose key derivation is
//   Argon2id with the parameters we choose. keepassxc-cli 2.7 can only create
//   AES-KDF databases (`db-create -t` tunes AES-KDF rounds), so to compare
//   Argon2id with Argon2id we write the empty container ourselves and let
//   keepassxc-cli `merge` the imported entries into it: KeePassXC keeps a
//   database's KDF when it saves, so the database it then opens was written
//   by KeePassXC itself.
//
// KDBX 4 layout, as KeePassXC reads it: signatures, version 4.0, outer
// header fields (cipher AES-256, gzip, master seed, IV, KDF parameters as a
// VariantDictionary), SHA-256 of the header, HMAC-SHA-256 of the header, then
// HMAC'd blocks of the AES-256-CBC ciphertext of (inner header ‖ XML).
// Keys: composite = SHA-256(SHA-256(password)); transformed = Argon2id(
// composite, salt, iterations, memory, parallelism 1); encryption key =
// SHA-256(seed ‖ transformed); HMAC base = SHA-512(seed ‖ transformed ‖ 1);
// block key = SHA-512(u64 index ‖ HMAC base), the header's index being 2^64-1.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const AES256_UUID = '31c1f2e6bf714350be5805216afc5aff';
const ARGON2ID_UUID = '9e298b1956db4773b23dfc3ec6f0a1e6';

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const sha512 = (...parts) => createHash('sha512').update(Buffer.concat(parts)).digest();
const field = (id, data) => Buffer.concat([Buffer.from([id]), u32(data.length), data]);

function variantDictionary(items) {
  const parts = [Buffer.from([0x00, 0x01])];
  for (const [type, key, value] of items) {
    const name = Buffer.from(key, 'utf8');
    parts.push(Buffer.from([type]), u32(name.length), name, u32(value.length), value);
  }
  parts.push(Buffer.from([0x00]));
  return Buffer.concat(parts);
}

/**
 * An empty KDBX 4 database, Argon2id (version 0x13, one lane, as libsodium's)
 * with `iterations` passes over `memoryBytes`. Argon2id is computed with the
 * vault's own libsodium (its salt is 16 bytes, which KDBX allows).
 */
export function emptyArgon2Kdbx(sodium, password, { iterations, memoryBytes }) {
  const salt = randomBytes(16);
  const seed = randomBytes(32);
  const iv = randomBytes(16);
  const kdf = variantDictionary([
    [0x42, '$UUID', Buffer.from(ARGON2ID_UUID, 'hex')],
    [0x42, 'S', salt],
    [0x04, 'P', u32(1)],
    [0x05, 'M', u64(memoryBytes)],
    [0x05, 'I', u64(iterations)],
    [0x04, 'V', u32(0x13)],
  ]);
  const header = Buffer.concat([
    u32(0x9aa2d903),
    u32(0xb54bfb67),
    u32(0x00040000),
    field(2, Buffer.from(AES256_UUID, 'hex')),
    field(3, u32(1)),
    field(4, seed),
    field(7, iv),
    field(11, kdf),
    field(0, Buffer.from('\r\n\r\n')),
  ]);
  const composite = sha256(sha256(Buffer.from(password, 'utf8')));
  const transformed = Buffer.from(sodium.crypto_pwhash(32, composite, salt, iterations, memoryBytes, sodium.crypto_pwhash_ALG_ARGON2ID13));
  const hmacBase = sha512(seed, transformed, Buffer.from([1]));
  const blockKey = (index) => sha512(index, hmacBase);
  const xml = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<KeePassFile><Meta><Generator>lifeboat-bench</Generator><DatabaseName>bench</DatabaseName></Meta><Root><Group><UUID>${randomBytes(16).toString('base64')}</UUID><Name>Root</Name></Group></Root></KeePassFile>\n`;
  // Inner header: random stream ChaCha20 (3) and its key; then the XML.
  const inner = Buffer.concat([field(1, u32(3)), field(2, randomBytes(64)), field(0, Buffer.alloc(0)), Buffer.from(xml, 'utf8')]);
  const cipher = createCipheriv('aes-256-cbc', sha256(seed, transformed), iv);
  const payload = Buffer.concat([cipher.update(gzipSync(inner)), cipher.final()]);
  const block = (i, data) => {
    const index = u64(i);
    const mac = createHmac('sha256', blockKey(index))
      .update(Buffer.concat([index, u32(data.length), data]))
      .digest();
    return Buffer.concat([mac, u32(data.length), data]);
  };
  const headerMac = createHmac('sha256', blockKey(Buffer.from('ffffffffffffffff', 'hex')))
    .update(header)
    .digest();
  return Buffer.concat([header, sha256(header), headerMac, block(0, payload), block(1, Buffer.alloc(0))]);
}

const escapeXml = (text) =>
  String(text)
    // XML 1.0 cannot carry most control characters at all.
    .split('')
    .filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r')
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

const GROUP_OF = { runbook: 'Runbooks', service: 'Services', contact: 'Contacts', secret: 'Secrets', procedure: 'Procedures', 'key-location': 'Key locations' };

/**
 * KeePass 2 XML for `entries` = [{ type, title, notes, username?, password? }],
 * one group per record type. Returns { xml, notesBytes }.
 */
export function keepassXml(entries) {
  const uuid = () => randomBytes(16).toString('base64');
  const str = (key, value, protect = false) =>
    `<String><Key>${key}</Key><Value${protect ? ' ProtectInMemory="True"' : ''}>${escapeXml(value)}</Value></String>`;
  const groups = new Map();
  let notesBytes = 0;
  for (const e of entries) {
    const name = GROUP_OF[e.type] ?? 'Other';
    if (!groups.has(name)) {
      groups.set(name, []);
    }
    notesBytes += Buffer.byteLength(e.notes);
    groups
      .get(name)
      .push(
        `<Entry><UUID>${uuid()}</UUID>${str('Title', e.title)}${str('UserName', e.username ?? '')}${str('Password', e.password ?? '', true)}${str('URL', '')}${str('Notes', e.notes)}</Entry>`,
      );
  }
  const body = [...groups].map(([name, list]) => `<Group><UUID>${uuid()}</UUID><Name>${name}</Name>\n${list.join('\n')}\n</Group>`).join('\n');
  const xml = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<KeePassFile><Meta><Generator>lifeboat-bench</Generator><DatabaseName>bench</DatabaseName></Meta><Root><Group><UUID>${uuid()}</UUID><Name>Root</Name>\n${body}\n</Group></Root></KeePassFile>\n`;
  return { xml, notesBytes };
}
