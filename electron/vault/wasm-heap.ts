/**
 * Clearing what the WebAssembly heaps of libsodium and SQLite have freed.
 *
 * Why (security issue 15): neither library clears memory it frees, and a
 * WebAssembly heap never shrinks, so freed text stays in the process until
 * something happens to overwrite it, and goes into any core dump.
 * libsodium-wrappers copies every input and output of a call through its
 * heap (keys, the plaintext frames of a snapshot, sealed values); SQLite's
 * page cache and sorter hold the decrypted database. After a lock, the test
 * (test/integration/lock-memory.test.ts) found a marker from the vault's
 * records 31 times in libsodium's heap and 146 times in SQLite's.
 *
 * Two ways, because the two are reached differently:
 * - libsodium: zeroOnFree, from the moment it loads. Its JavaScript wrapper
 *   takes and gives back every block through the module's _malloc and _free,
 *   looked up on the module at each call, so a free can zero the block first.
 * - SQLite: its C code allocates inside WebAssembly, out of reach of a
 *   wrapper. zeroFreeMemory takes every free block through its malloc, zeroes
 *   it and frees it all again, when a database closes.
 */

/** An Emscripten module as both libraries expose it (libsodium's `HEAPU8` is kept current as it grows). */
interface EmscriptenAllocator {
  _malloc: (size: number) => number;
  _free: (pointer: number) => void;
  HEAPU8: Uint8Array;
}

function isAllocator(value: unknown): value is EmscriptenAllocator {
  const module = value as Partial<EmscriptenAllocator> | undefined;
  return typeof module?._malloc === 'function' && typeof module._free === 'function' && module.HEAPU8 instanceof Uint8Array;
}

const zeroingFree = new WeakSet<object>();

/**
 * Makes libsodium-wrappers zero every block it frees. Only the blocks its
 * JavaScript takes are covered (all inputs and outputs of every call); what
 * libsodium's C code allocates for itself (Argon2id's memory, run in a worker
 * thread anyway: keys/kdf-worker.ts) is not. Returns false when the module is
 * not exposed as expected (a later libsodium-wrappers), so nothing changed.
 */
export function zeroOnFree(sodium: object): boolean {
  const module: unknown = (sodium as { libsodium?: unknown }).libsodium;
  if (!isAllocator(module)) {
    return false;
  }
  if (zeroingFree.has(module)) {
    return true;
  }
  zeroingFree.add(module);
  const malloc = module._malloc;
  const free = module._free;
  const sizes = new Map<number, number>();
  module._malloc = (size) => {
    const pointer = malloc(size);
    if (pointer !== 0) {
      sizes.set(pointer, size);
    }
    return pointer;
  };
  module._free = (pointer) => {
    const size = sizes.get(pointer);
    if (size !== undefined) {
      sizes.delete(pointer);
      module.HEAPU8.fill(0, pointer, pointer + size);
    }
    free(pointer);
  };
  return true;
}

/** A heap whose memory object is at hand (sql.js: storage/sqlite-runtime.ts holds it). */
export interface WasmHeap {
  malloc(size: number): number;
  free(pointer: number): void;
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

/** Block sizes tried, largest first: large ones cover most of the heap in few calls, small ones the gaps. */
const LARGEST_BLOCK = 1 << 20;
const SMALLEST_BLOCK = 8;
/** Zeroed page by page, and only pages that are not zero yet, so pages never used stay untouched (not resident). */
const PAGE = 4096;
const ZERO_PAGE = new Uint8Array(PAGE);

function zeroPages(bytes: Uint8Array): number {
  let zeroed = 0;
  for (let start = 0; start < bytes.length; start += PAGE) {
    const page = bytes.subarray(start, start + PAGE);
    // A native comparison: a loop over the heap in JavaScript took most of the time.
    if (Buffer.compare(page, ZERO_PAGE.subarray(0, page.length)) !== 0) {
      page.fill(0);
      zeroed += page.length;
    }
  }
  return zeroed;
}

/**
 * Zeroes every block the heap's allocator holds free; returns the bytes it
 * had to zero. Only memory malloc handed over is written, so the allocator's
 * bookkeeping stays intact whatever allocator the build uses, and nothing
 * else runs meanwhile (it is synchronous). The heap must not grow for it:
 * Emscripten grows it through the memory's grow(), which is refused here
 * (malloc then returns 0, as when memory runs out); should it grow some
 * other way, this stops at once.
 */
export function zeroFreeMemory(heap: WasmHeap): number {
  const held: number[] = [];
  const length = heap.memory.buffer.byteLength;
  let zeroed = 0;
  // WebAssembly.Memory has grow on its prototype; an own one (a wrapper's) is put back as it was.
  const ownGrow = Object.getOwnPropertyDescriptor(heap.memory, 'grow');
  Object.defineProperty(heap.memory, 'grow', {
    configurable: true,
    value: () => {
      throw new RangeError('The heap does not grow while its free memory is zeroed.');
    },
  });
  try {
    for (let size = LARGEST_BLOCK; size >= SMALLEST_BLOCK; size /= 2) {
      for (let pointer = heap.malloc(size); pointer !== 0; pointer = heap.malloc(size)) {
        held.push(pointer);
        if (heap.memory.buffer.byteLength !== length) {
          return zeroed;
        }
        zeroed += zeroPages(new Uint8Array(heap.memory.buffer, pointer, size));
      }
    }
  } finally {
    if (ownGrow) {
      Object.defineProperty(heap.memory, 'grow', ownGrow);
    } else {
      Reflect.deleteProperty(heap.memory, 'grow');
    }
    for (const pointer of held) {
      heap.free(pointer);
    }
  }
  return zeroed;
}
