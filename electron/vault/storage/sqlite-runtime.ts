/**
 * Loads sql.js (SQLite compiled to WebAssembly) once per process. It runs in
 * the main process only; the renderer's CSP has no 'wasm-unsafe-eval'.
 *
 * We instantiate its WebAssembly ourselves (Emscripten's instantiateWasm
 * hook, with the file sql.js would read) for one reason: to hold its memory,
 * which sql.js does not expose, so what SQLite freed can be zeroed when a
 * database closes (../wasm-heap.ts).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { zeroFreeMemory, type WasmHeap } from '../wasm-heap.js';

interface Sqlite {
  SQL: SqlJsStatic;
  heap: WasmHeap | null;
}

/** The WebAssembly API as used here: Node has it all, the Node-side type definitions do not. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: { exports: Record<string, unknown> } }>;
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loaded: Promise<Sqlite> | undefined;
/** Set once loaded: a database can only exist after that, so closing one finds it here synchronously. */
let ready: Sqlite | null = null;

function exportedMemory(instance: { exports: Record<string, unknown> }): WasmMemory | null {
  return Object.values(instance.exports).find((value): value is WasmMemory => value instanceof wasm.Memory) ?? null;
}

function heapOf(SQL: SqlJsStatic, memory: WasmMemory | null): WasmHeap | null {
  // sql.js exports its malloc and free (its own API copies strings and blobs with them).
  const { _malloc: malloc, _free: free } = SQL as unknown as { _malloc?: (size: number) => number; _free?: (pointer: number) => void };
  if (!memory || typeof malloc !== 'function' || typeof free !== 'function') {
    return null;
  }
  return { malloc, free, memory };
}

function load(): Promise<Sqlite> {
  return new Promise((resolve, reject) => {
    let memory: WasmMemory | null = null;
    initSqlJs({
      instantiateWasm(imports, receive) {
        readFile(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'))
          .then((bytes) => wasm.instantiate(bytes, imports))
          .then(({ instance }) => {
            memory = exportedMemory(instance);
            receive(instance as Parameters<typeof receive>[0]);
          })
          // sql.js would wait forever for an instance that never comes.
          .catch(reject);
        return {};
      },
    }).then((SQL) => {
      ready = { SQL, heap: heapOf(SQL, memory) };
      resolve(ready);
    }, reject);
  });
}

export async function loadSqlite(): Promise<SqlJsStatic> {
  loaded ??= load();
  return (await loaded).SQL;
}

/**
 * Zeroes what SQLite has freed (a closed database's pages, its sorter's and
 * the index's buffers); open databases keep their memory. Returns the bytes
 * zeroed, or null when sql.js is not loaded or its memory is out of reach.
 */
export function zeroFreedSqliteMemory(): number | null {
  return ready?.heap ? zeroFreeMemory(ready.heap) : null;
}

/** SQLite's whole heap, for tests that look for what it still holds (null: not loaded, or out of reach). */
export function sqliteHeapForTests(): Uint8Array | null {
  return ready?.heap ? new Uint8Array(ready.heap.memory.buffer) : null;
}
