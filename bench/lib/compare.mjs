// Lifeboat side by side with keepassxc-cli on an equivalent KDBX database:
// the same 5,000 entries (title, notes byte for byte, username and password
// for secrets), Argon2id with one lane like Lifeboat's and at least its
// 256 MiB, iterations and memory chosen so that KeePassXC's unlock takes the
// time Lifeboat's Argon2id takes (measured in this run).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyArgon2Kdbx, keepassXml } from './kdbx.mjs';
import { KeePassSession, kpx, kpxOk, quoteArg } from './keepassxc.mjs';
import { median, ms, note, summary, timeCommand } from './measure.mjs';
import { notesOf } from './corpus.mjs';
import { OWNER, PASSPHRASE } from './vault-gen.mjs';

const MEMORY_MIB = 256;
const PROMPT = 'bench';

async function medianOf(runs, work) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    times.push(await work());
  }
  return { medianMs: median(times), runsMs: times.map(ms) };
}

/**
 * KeePassXC's unlock of an empty Argon2id database, password to prompt in an
 * interactive session: the KDF and a trivial decrypt, without the process
 * start, as Lifeboat's Argon2id is timed inside a running process.
 */
async function emptyUnlockMs(sodium, dir, iterations, memoryMiB, runs) {
  const path = join(dir, `empty-i${iterations}-m${memoryMiB}.kdbx`);
  writeFileSync(path, emptyArgon2Kdbx(sodium, PASSPHRASE, { iterations, memoryBytes: memoryMiB * 2 ** 20 }));
  return (
    await medianOf(runs, async () => {
      const session = new KeePassSession(path, PROMPT);
      try {
        return await session.unlock(PASSPHRASE);
      } finally {
        await session.close();
      }
    })
  ).medianMs;
}

/**
 * Argon2id parameters (one lane) at which unlocking an empty KDBX takes
 * `targetMs`, never with less memory than Lifeboat's 256 MiB: time the unlock
 * at 1 and 4 iterations of 256 MiB (time = fixed + perIteration × i), take
 * the most whole iterations that stay under the target, then raise the
 * memory to make up the rest (time grows with memory about linearly), and
 * correct the memory once from what that measures.
 */
async function calibrate(sodium, dir, targetMs, runs) {
  const tOne = await emptyUnlockMs(sodium, dir, 1, MEMORY_MIB, runs);
  const tFour = await emptyUnlockMs(sodium, dir, 4, MEMORY_MIB, runs);
  const perIteration = (tFour - tOne) / 3;
  const fixed = tOne - perIteration;
  const iterations = Math.max(1, Math.floor((targetMs - fixed) / perIteration));
  const fit = (measured, memory) => Math.max(MEMORY_MIB, Math.round((memory * (targetMs - fixed)) / Math.max(1, measured - fixed)));
  let memoryMiB = fit(fixed + iterations * perIteration, MEMORY_MIB);
  let achieved = await emptyUnlockMs(sodium, dir, iterations, memoryMiB, runs);
  if (Math.abs(achieved - targetMs) > 0.1 * targetMs) {
    memoryMiB = fit(achieved, memoryMiB);
    achieved = await emptyUnlockMs(sodium, dir, iterations, memoryMiB, runs);
  }
  return {
    targetMs: ms(targetMs),
    iterations,
    memoryMiB,
    parallelism: 1,
    unlockEmptyMs: ms(achieved),
    msPerIterationAt256MiB: ms(perIteration),
    fixedMs: ms(fixed),
    // KeePassXC with Lifeboat's exact parameters (3 passes × 256 MiB): the line at 3.
    unlockEmptyAtLifeboatParamsMs: ms(fixed + 3 * perIteration),
  };
}

function entryOf(record) {
  return { type: record.type, title: record.title, notes: notesOf(record), username: record.data.username, password: record.data.password };
}

/**
 * The equivalent KDBX database (steps 1–2 of the comparison): `records` as
 * KeePass XML imported by keepassxc-cli, then merged into an Argon2id
 * container whose unlock takes `kdfTargetMs`. Also used alone by
 * cli-oneshot.bench.mjs.
 */
export async function equivalentKdbx({ sodium, dir, records, kdfTargetMs, reps }) {
  const pw2 = `${PASSPHRASE}\n${PASSPHRASE}\n`;

  // 1. The equivalent database: the vault's records as KeePass XML, imported.
  note(`keepassxc: importing ${records.length} entries`);
  const mixed = keepassXml(records.map(entryOf));
  writeFileSync(join(dir, 'vault-entries.xml'), mixed.xml);
  const importMixed = await kpxOk(['import', '-p', '-q', join(dir, 'vault-entries.xml'), join(dir, 'imported.kdbx')], pw2);

  // 2. Argon2id at the matched wall time, then the entries merged into it (KeePassXC writes the result).
  note(`keepassxc: calibrating Argon2id iterations to ${Math.round(kdfTargetMs)} ms`);
  const kdf = await calibrate(sodium, dir, kdfTargetMs, reps.calibration);
  const db = join(dir, 'equivalent.kdbx');
  writeFileSync(db, emptyArgon2Kdbx(sodium, PASSPHRASE, { iterations: kdf.iterations, memoryBytes: kdf.memoryMiB * 2 ** 20 }));
  await kpxOk(['merge', '-s', '-q', db, join(dir, 'imported.kdbx')], `${PASSPHRASE}\n`);
  const info = (await kpxOk(['db-info', '-q', db], `${PASSPHRASE}\n`)).stdout;
  const entries = Number(/Number of entries: (\d+)/.exec(info)?.[1] ?? 0);
  const kdfLine = /KDF: (.*)/.exec(info)?.[1] ?? '';
  if (entries !== records.length) {
    throw new Error(`keepassxc: the equivalent database holds ${entries} entries, expected ${records.length}`);
  }
  return { db, kdf, entries, kdfLine, mixed, importMixed };
}

/**
 * Runs the comparison. `records` are the plain records of Lifeboat's
 * comparison vault (at `vaultDir`), `runbooks` the catalog's runbooks as
 * parsed entries (what the sync imports), `lifeboat` the figures measured on
 * Lifeboat's side in this run.
 */
export async function compareWithKeePassXC({ sodium, workDir, records, runbooks, queries, vaultDir, kdfTargetMs, reps }) {
  const dir = join(workDir, 'keepassxc');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pw2 = `${PASSPHRASE}\n${PASSPHRASE}\n`;
  const { db, kdf, entries, kdfLine, mixed, importMixed } = await equivalentKdbx({ sodium, dir, records, kdfTargetMs, reps });

  // 3. Unlock to usable (password → prompt, then the first search), and 200 searches, in interactive sessions.
  note('keepassxc: unlock and search');
  const unlocks = [];
  const usable = [];
  let search = null;
  for (let r = 0; r < reps.unlock; r += 1) {
    const session = new KeePassSession(db, PROMPT);
    try {
      const unlockMs = await session.unlock(PASSPHRASE);
      const first = await session.command(`search ${quoteArg('restore')}`);
      unlocks.push(unlockMs);
      usable.push(unlockMs + first.ms);
      if (r === 0) {
        const times = [];
        let hits = 0;
        for (const q of queries) {
          const res = await session.command(`search ${quoteArg(q)}`);
          times.push(res.ms);
          hits += res.output.split('\n').filter((line) => line.startsWith('/')).length;
        }
        search = { queries: times.length, meanHits: Math.round(hits / times.length), ...summary(times) };
      }
    } finally {
      await session.close();
    }
  }

  // 4. One shot from the command line: open, search "restore", exit — both tools.
  note('keepassxc: one-shot searches (both command lines)');
  // Alternating (KeePassXC, Lifeboat, KeePassXC, …) so that a change in the machine's load falls on both (#20).
  const kpRuns = [];
  const lbRuns = [];
  for (let i = 0; i < reps.oneShot; i += 1) {
    kpRuns.push((await kpx(['search', '-q', db, 'restore'], `${PASSPHRASE}\n`)).ms);
    const r = await timeCommand(process.execPath, ['dist/cli/lifeboat.js', 'search', vaultDir, '--as', OWNER, 'restore'], {
      env: { ...process.env, LIFEBOAT_PASSPHRASE: PASSPHRASE },
    });
    if (r.code !== 0) {
      throw new Error(`lifeboat search exited ${r.code}: ${r.stderr.trim()}`);
    }
    lbRuns.push(r.ms);
  }
  const kpOneShot = { medianMs: median(kpRuns), runsMs: kpRuns.map(ms) };
  const lbOneShot = { medianMs: median(lbRuns), runsMs: lbRuns.map(ms) };

  // 5. Import of the catalog's 5,000 runbooks (what the sync brings in) from XML, as keepassxc-cli does it.
  note(`keepassxc: importing the ${runbooks.length} catalog runbooks`);
  const runbookXml = keepassXml(runbooks.map((e) => ({ type: 'runbook', title: e.title, notes: String(e.data.body ?? '') })));
  writeFileSync(join(dir, 'runbooks.xml'), runbookXml.xml);
  const importRunbooks = await medianOf(reps.import, async () => {
    rmSync(join(dir, 'runbooks.kdbx'), { force: true });
    return (await kpxOk(['import', '-p', '-q', join(dir, 'runbooks.xml'), join(dir, 'runbooks.kdbx')], pw2)).ms;
  });

  return {
    entries,
    notesBytes: mixed.notesBytes,
    xmlBytes: Buffer.byteLength(mixed.xml),
    kdf: { ...kdf, dbInfo: kdfLine },
    importEquivalentMs: ms(importMixed.ms),
    unlockMs: ms(median(unlocks)),
    usableMs: ms(median(usable)),
    unlockRunsMs: unlocks.map(ms),
    search,
    oneShotSearchMs: ms(kpOneShot.medianMs),
    oneShotRunsMs: kpOneShot.runsMs,
    lifeboatCliOneShotSearchMs: ms(lbOneShot.medianMs),
    lifeboatCliOneShotRunsMs: lbOneShot.runsMs,
    importRunbooks: { entries: runbooks.length, notesBytes: runbookXml.notesBytes, medianMs: ms(importRunbooks.medianMs), runsMs: importRunbooks.runsMs },
  };
}
