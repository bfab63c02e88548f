/**
 * What libsodium and SQLite free is zeroed (security issue 15): neither
 * library clears it, and their WebAssembly heaps live as long as the process.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSodium } from './keys/crypto-runtime.js';
import { RecordStore } from './records/record-store.js';
import { sqliteHeapForTests, zeroFreedSqliteMemory } from './storage/sqlite-runtime.js';
import { zeroFreeMemory, type WasmHeap } from './wasm-heap.js';

function occurrences(heap: Uint8Array, text: string): number {
  const bytes = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength);
  const needle = Buffer.from(text, 'utf8');
  let count = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    count += 1;
  }
  return count;
}

const marker = (): string => `zq${randomBytes(10).toString('hex')}`;

describe('libsodium', () => {
  it('zeroes the copies of inputs and outputs it frees after every call', async () => {
    const sodium = await loadSodium();
    const text = marker();
    const key = sodium.crypto_secretbox_keygen();
    const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
    const sealed = sodium.crypto_secretbox_easy(text, nonce, key);
    // The plaintext went into its heap and came out again: neither copy is left there.
    expect(sodium.to_string(sodium.crypto_secretbox_open_easy(sealed, nonce, key))).toBe(text);
    const heap = (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
    expect(occurrences(heap, text)).toBe(0);
  });
});

describe('SQLite', () => {
  it('zeroes what a closed database left in its heap, without growing the heap', async () => {
    const text = marker();
    const store = await RecordStore.open();
    store.transaction(() => {
      for (let i = 0; i < 200; i += 1) {
        store.setMeta(`note:${i}`, `${text} ${'filler '.repeat(50)}${i}`);
      }
    });
    expect(store.metaWithPrefix('note:')).toHaveLength(200);
    const heapBefore = sqliteHeapForTests();
    expect(occurrences(heapBefore ?? new Uint8Array(0), text)).toBeGreaterThan(0);
    const size = heapBefore?.byteLength;
    store.close();
    const heap = sqliteHeapForTests() ?? new Uint8Array(0);
    expect(occurrences(heap, text)).toBe(0);
    expect(heap.byteLength).toBe(size);
    // A second pass finds almost nothing left to do: the allocator's own bookkeeping, not content.
    expect(zeroFreedSqliteMemory()).toBeLessThan(64 * 1024);
  });
});

describe('zeroFreeMemory', () => {
  /** A toy heap: a bump allocator over 64 KiB whose memory grows as a WebAssembly one does, counting each time. */
  function toyHeap(): WasmHeap & { grows: number } {
    const PAGE = 64 * 1024;
    const memory = {
      buffer: new ArrayBuffer(PAGE),
      grow(pages: number): number {
        const before = memory.buffer.byteLength / PAGE;
        const bigger = new Uint8Array(memory.buffer.byteLength + pages * PAGE);
        bigger.set(new Uint8Array(memory.buffer));
        memory.buffer = bigger.buffer;
        heap.grows += 1;
        return before;
      },
    };
    let next = 8;
    const heap = {
      grows: 0,
      memory,
      malloc(size: number): number {
        if (next + size > memory.buffer.byteLength) {
          // Emscripten's sbrk: asks the memory to grow, and fails if it refuses.
          try {
            memory.grow(Math.ceil((next + size - memory.buffer.byteLength) / PAGE));
          } catch {
            return 0;
          }
        }
        const pointer = next;
        next += size;
        return pointer;
      },
      free(): void {
        // A bump allocator frees nothing: enough to see what was written.
      },
    };
    return heap;
  }

  it('writes zeros over all free memory it is handed, and the heap never grows for it', () => {
    const heap = toyHeap();
    new Uint8Array(heap.memory.buffer).fill(0xaa, 8);
    expect(zeroFreeMemory(heap)).toBeGreaterThan(60 * 1024);
    expect(heap.grows).toBe(0);
    expect(new Uint8Array(heap.memory.buffer).subarray(8).every((byte) => byte === 0)).toBe(true);
    // The memory grows again afterwards, through its own grow().
    expect(heap.memory.grow(1)).toBe(1);
    expect(heap.grows).toBe(1);
  });
});
