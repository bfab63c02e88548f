/**
 * Loads libsodium (sumo build: the only one with crypto_pwhash / Argon2id)
 * once per process. Every engine module that needs crypto awaits this.
 */
import sodiumModule from 'libsodium-wrappers-sumo';
import { zeroOnFree } from '../wasm-heap.js';

export type Sodium = typeof sodiumModule;

let loaded: Promise<Sodium> | undefined;

export function loadSodium(): Promise<Sodium> {
  loaded ??= sodiumModule.ready.then(() => {
    // Every key and plaintext passes through its heap, which it frees without clearing (security issue 15).
    zeroOnFree(sodiumModule);
    return sodiumModule;
  });
  return loaded;
}
