/**
 * Loads sql.js (SQLite compiled to WebAssembly) once per process. It runs in
 * the main process only; the renderer's CSP has no 'wasm-unsafe-eval'.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loaded: Promise<SqlJsStatic> | undefined;

export function loadSqlite(): Promise<SqlJsStatic> {
  loaded ??= initSqlJs();
  return loaded;
}
