// Small shared helpers: percentiles, child processes, queries, output.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './corpus.mjs';

/** p in 0–100 over a list of numbers (nearest rank, as search.bench.mjs). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for the JSON: whole ms above 100, two decimals below. */
export function ms(value) {
  if (value === undefined || value === null || Number.isNaN(value)) {
    return null;
  }
  return value >= 100 ? Math.round(value) : Number(value.toFixed(2));
}

export function summary(values) {
  return { n: values.length, p50Ms: ms(percentile(values, 50)), p95Ms: ms(percentile(values, 95)), maxMs: ms(Math.max(...values)) };
}

/** Runs a bench/lib script in a fresh Node process; resolves the JSON lines it printed. */
export function runScript(script, args = [], nodeArgs = []) {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${script} ${args.join(' ')} exited ${code}: ${err.trim().slice(-2000)}`));
        return;
      }
      resolve(
        out
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      );
    });
  });
}

/** bench/lib/child.mjs MODE DIR in a fresh process (see there); resolves its JSON. */
export async function runChild(mode, dir, extra = []) {
  return (await runScript('child.mjs', [mode, dir, ...extra])).at(-1);
}

/** Wall time of a whole command (spawn to exit), with its output. */
export function timeCommand(command, args, { env = process.env, stdin = '' } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - t0, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/**
 * 200 queries as people type them: one or two words from real runbook
 * titles, each cut to a 3–6 letter prefix (the same recipe as
 * search.bench.mjs, so the figures compare).
 */
export function makeQueries(corpus, count = 200, seed = 42) {
  const words = corpus.runbooks.flatMap((e) => e.title.toLowerCase().match(/[a-z]{4,}/g) ?? []);
  const random = seededRandom(seed);
  const pick = () => {
    const w = words[Math.floor(random() * words.length)];
    return w.slice(0, 3 + Math.floor(random() * 4));
  };
  return Array.from({ length: count }, () => (random() < 0.5 ? pick() : `${pick()} ${pick()}`));
}

/** Total bytes of the files in a folder (not recursive: a vault is flat). */
export function folderBytes(dir) {
  return readdirSync(dir).reduce((n, name) => n + statSync(join(dir, name)).size, 0);
}

export function mib(bytes) {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

/** Progress on stderr, so stdout stays the report. */
export function note(text) {
  process.stderr.write(`[vault.bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}
