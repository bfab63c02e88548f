/**
 * The subset of the ZIP container (PKWARE APPNOTE 6.3.x) that catalogs use,
 * read and written by hand so that nothing the archive declares is trusted
 * before it is checked: one disk, no ZIP64, no encryption, methods 0
 * (stored) and 8 (deflate). This module only finds and describes entries and
 * their compressed bytes; `catalog-archive.ts` decides what is allowed and
 * inflates. Every refusal is `VAULT_BAD_INPUT` "<label>: [<entry>: ]<why>".
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { LifeboatError } from '../../shared/errors.js';

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_UTF8_NAME = 0x0800;
export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
/** "Made by" Unix (3), spec version 2.0: external attributes hold a Unix mode. */
const MADE_BY_UNIX = (3 << 8) | 20;
/** Written as every entry's modification time: MS-DOS 1980-01-01 00:00:00, the earliest there is. */
const FIXED_DOS_TIME = 0;
const FIXED_DOS_DATE = (1 << 5) | 1;

/** One entry of the central directory, exactly as declared (not yet checked). */
export interface CentralEntry {
  nameBytes: Uint8Array;
  versionMadeBy: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  /** The uncompressed size the archive claims; a zip bomb lies here. */
  size: number;
  externalAttrs: number;
  localOffset: number;
}

/** An entry to write; `data` is already compressed with `method`. */
export interface ZipWriteEntry {
  nameBytes: Uint8Array;
  method: number;
  data: Uint8Array;
  crc32: number;
  /** The uncompressed size to declare. */
  size: number;
  externalAttrs: number;
  /** Defaults to FLAG_UTF8_NAME. */
  flags?: number;
}

export function zipRefusal(label: string, why: string, nameBytes?: Uint8Array): LifeboatError {
  const where = nameBytes ? `${displayName(nameBytes)}: ` : '';
  return new LifeboatError('VAULT_BAD_INPUT', `${label}: ${where}${why}`);
}

/** An entry name fit for a message: invalid UTF-8 becomes U+FFFD, control characters are escaped. */
export function displayName(nameBytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(nameBytes);
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The central directory's entries, in order, after structural checks only.
 * Parsing stops at the first entry over `maxEntries`, which the refusal names.
 */
export function readCentralDirectory(bytes: Uint8Array, label: string, maxEntries: number): { entries: CentralEntry[]; directoryOffset: number } {
  const dv = view(bytes);
  const end = findEndRecord(bytes, dv);
  if (end === undefined) {
    throw zipRefusal(label, 'not a zip archive (no end-of-central-directory record)');
  }
  const disk = dv.getUint16(end + 4, true);
  const directoryDisk = dv.getUint16(end + 6, true);
  const entriesOnDisk = dv.getUint16(end + 8, true);
  const count = dv.getUint16(end + 10, true);
  const directorySize = dv.getUint32(end + 12, true);
  const directoryOffset = dv.getUint32(end + 16, true);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    throw zipRefusal(label, 'ZIP64 archives are not supported');
  }
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== count) {
    throw zipRefusal(label, 'multi-disk archives are not supported');
  }
  if (directoryOffset + directorySize > end) {
    throw zipRefusal(label, 'the central directory lies outside the archive');
  }
  const entries: CentralEntry[] = [];
  let at = directoryOffset;
  const directoryEnd = directoryOffset + directorySize;
  for (let i = 0; i < count; i += 1) {
    if (at + CENTRAL_HEADER_BYTES > directoryEnd || dv.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw zipRefusal(label, `central directory entry ${i + 1} is damaged`);
    }
    const nameLength = dv.getUint16(at + 28, true);
    const next = at + CENTRAL_HEADER_BYTES + nameLength + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
    if (next > directoryEnd) {
      throw zipRefusal(label, `central directory entry ${i + 1} runs past the directory`);
    }
    const entry: CentralEntry = {
      versionMadeBy: dv.getUint16(at + 4, true),
      flags: dv.getUint16(at + 8, true),
      method: dv.getUint16(at + 10, true),
      crc32: dv.getUint32(at + 16, true),
      compressedSize: dv.getUint32(at + 20, true),
      size: dv.getUint32(at + 24, true),
      externalAttrs: dv.getUint32(at + 38, true),
      localOffset: dv.getUint32(at + 42, true),
      nameBytes: bytes.slice(at + CENTRAL_HEADER_BYTES, at + CENTRAL_HEADER_BYTES + nameLength),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) {
      throw zipRefusal(label, 'ZIP64 entries are not supported', entry.nameBytes);
    }
    if (i >= maxEntries) {
      throw zipRefusal(label, `the archive holds ${count} entries, over the limit of ${maxEntries}`, entry.nameBytes);
    }
    entries.push(entry);
    at = next;
  }
  if (at !== directoryEnd) {
    throw zipRefusal(label, 'the central directory holds more than its entries');
  }
  return { entries, directoryOffset };
}

/** The last end-of-central-directory record whose comment runs exactly to the end of the bytes. */
function findEndRecord(bytes: Uint8Array, dv: DataView): number | undefined {
  const lowest = Math.max(0, bytes.length - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = bytes.length - END_RECORD_BYTES; at >= lowest; at -= 1) {
    if (dv.getUint32(at, true) === END_SIGNATURE && at + END_RECORD_BYTES + dv.getUint16(at + 20, true) === bytes.length) {
      return at;
    }
  }
  return undefined;
}

/**
 * Where an entry's compressed bytes are, after checking its local header
 * against the central directory (same name, method and flags) and that the
 * data ends before the central directory starts.
 */
export function locateEntryData(bytes: Uint8Array, entry: CentralEntry, directoryOffset: number, label: string): { start: number; end: number } {
  const dv = view(bytes);
  const at = entry.localOffset;
  if (at + LOCAL_HEADER_BYTES > directoryOffset || dv.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw zipRefusal(label, 'its local header is missing or damaged', entry.nameBytes);
  }
  const nameLength = dv.getUint16(at + 26, true);
  const start = at + LOCAL_HEADER_BYTES + nameLength + dv.getUint16(at + 28, true);
  const localName = bytes.subarray(at + LOCAL_HEADER_BYTES, at + LOCAL_HEADER_BYTES + nameLength);
  if (!sameBytes(localName, entry.nameBytes)) {
    throw zipRefusal(label, 'its local header names a different file', entry.nameBytes);
  }
  if (dv.getUint16(at + 8, true) !== entry.method || (dv.getUint16(at + 6, true) & FLAG_ENCRYPTED) !== (entry.flags & FLAG_ENCRYPTED)) {
    throw zipRefusal(label, 'its local header disagrees with the central directory', entry.nameBytes);
  }
  const end = start + entry.compressedSize;
  if (end > directoryOffset) {
    throw zipRefusal(label, 'its data runs into the central directory', entry.nameBytes);
  }
  return { start, end };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Writes entries in the order given: local headers and data, central directory, end record. */
export function encodeZip(entries: readonly ZipWriteEntry[]): Uint8Array {
  const localSize = entries.reduce((sum, e) => sum + LOCAL_HEADER_BYTES + e.nameBytes.length + e.data.length, 0);
  const centralSize = entries.reduce((sum, e) => sum + CENTRAL_HEADER_BYTES + e.nameBytes.length, 0);
  const out = new Uint8Array(localSize + centralSize + END_RECORD_BYTES);
  const dv = view(out);
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    offsets.push(at);
    dv.setUint32(at, LOCAL_SIGNATURE, true);
    dv.setUint16(at + 4, 20, true);
    writeCommonFields(dv, at + 6, e);
    dv.setUint16(at + 26, e.nameBytes.length, true);
    out.set(e.nameBytes, at + LOCAL_HEADER_BYTES);
    out.set(e.data, at + LOCAL_HEADER_BYTES + e.nameBytes.length);
    at += LOCAL_HEADER_BYTES + e.nameBytes.length + e.data.length;
  }
  const directoryOffset = at;
  entries.forEach((e, i) => {
    dv.setUint32(at, CENTRAL_SIGNATURE, true);
    dv.setUint16(at + 4, MADE_BY_UNIX, true);
    dv.setUint16(at + 6, 20, true);
    writeCommonFields(dv, at + 8, e);
    dv.setUint16(at + 28, e.nameBytes.length, true);
    dv.setUint32(at + 38, e.externalAttrs >>> 0, true);
    dv.setUint32(at + 42, offsets[i] ?? 0, true);
    out.set(e.nameBytes, at + CENTRAL_HEADER_BYTES);
    at += CENTRAL_HEADER_BYTES + e.nameBytes.length;
  });
  dv.setUint32(at, END_SIGNATURE, true);
  dv.setUint16(at + 8, entries.length, true);
  dv.setUint16(at + 10, entries.length, true);
  dv.setUint32(at + 12, at - directoryOffset, true);
  dv.setUint32(at + 16, directoryOffset, true);
  return out;
}

/** Flags, method, time, date, CRC and sizes: the run of fields both headers share. */
function writeCommonFields(dv: DataView, at: number, e: ZipWriteEntry): void {
  dv.setUint16(at, e.flags ?? FLAG_UTF8_NAME, true);
  dv.setUint16(at + 2, e.method, true);
  dv.setUint16(at + 4, FIXED_DOS_TIME, true);
  dv.setUint16(at + 6, FIXED_DOS_DATE, true);
  dv.setUint32(at + 8, e.crc32 >>> 0, true);
  dv.setUint32(at + 12, e.data.length, true);
  dv.setUint32(at + 16, e.size, true);
}

/**
 * CRC-32 (ISO-HDLC), the checksum ZIP stores: corruption detection, not integrity.
 * zlib's own (Node ≥ 20.15), not a table loop in JavaScript: the loop was 0.7 s of
 * a 5,000-runbook sync's CPU, checking and packing (issue 20).
 */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}
