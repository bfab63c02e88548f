// The Markdown written next to vault.json, and the README section.

const n = (value) => (value === null || value === undefined ? '–' : typeof value === 'number' ? value.toLocaleString('en-GB') : String(value));
const s = (msValue) => (msValue === null || msValue === undefined ? '–' : msValue >= 1000 ? `${(msValue / 1000).toFixed(2)} s` : `${n(msValue)} ms`);
const ratio = (value) => (value === null || value === undefined ? '–' : `${value.toFixed(2)}×`);
const table = (head, rows) => `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`;

function phaseTable(phases) {
  return table(
    ['step (as openVault runs it)', 'time', 'RSS after', 'peak so far'],
    phases.map((p) => [p.phase, s(p.ms), `${p.rssMiB} MiB`, `${p.peakMiB} MiB`]),
  );
}

function keepassSection(kp) {
  if (!kp || kp.skipped || kp.error) {
    return `## Side by side with KeePassXC\n\n${kp?.error ? `Failed: ${kp.error}` : `Skipped: ${kp?.skipped ?? 'not run'}.`}\n`;
  }
  const lb = kp.lifeboat;
  const r = kp.ratios;
  return `## Side by side with KeePassXC (${kp.version})

Equivalent database: ${n(kp.entries)} entries (Lifeboat: ${n(lb.records)} records), notes ${n(kp.notesBytes)} bytes (Lifeboat: ${n(lb.notesBytes)}).
KDF: ${kp.kdf.dbInfo}, parallelism ${kp.kdf.parallelism}: ${kp.kdf.iterations} iterations × ${kp.kdf.memoryMiB} MiB, chosen so that unlocking an empty
database takes Lifeboat's Argon2id time (target ${s(kp.kdf.targetMs)}, achieved ${s(kp.kdf.unlockEmptyMs)}; ${s(kp.kdf.msPerIterationAt256MiB)} per
256 MiB iteration; with Lifeboat's exact parameters, 3 × 256 MiB, KeePassXC would unlock in about ${s(kp.kdf.unlockEmptyAtLifeboatParamsMs)}).
Ratios are Lifeboat ÷ KeePassXC: below 1 Lifeboat is faster.

${table(
  ['measure', 'Lifeboat', 'KeePassXC', 'ratio'],
  [
    ['key derivation alone (Argon2id; KeePassXC: unlock of an empty database)', s(lb.kdfMs), s(kp.kdf.unlockEmptyMs), ratio(r.kdf)],
    ['unlock to usable: KDF, decrypt, load, first search', s(lb.usableMs), s(kp.usableMs), ratio(r.unlockToUsable)],
    [`search p50 (${kp.search?.queries ?? 0} queries, warm)`, s(lb.searchP50Ms), s(kp.search?.p50Ms), ratio(r.searchP50)],
    ['search p95', s(lb.searchP95Ms), s(kp.search?.p95Ms), ratio(r.searchP95)],
    ['command line, one shot: open + search + exit', s(kp.lifeboatCliOneShotSearchMs), s(kp.oneShotSearchMs), ratio(r.oneShotCliSearch)],
    [`import ${n(kp.importRunbooks.entries)} runbooks (signed sync ↔ XML import)`, s(lb.syncMs), s(kp.importRunbooks.medianMs), ratio(r.import5000)],
  ],
)}
Mean hits per query: Lifeboat at most 50 (ranked), KeePassXC ${n(kp.search?.meanHits)} (every substring match, printed).
`;
}

export function renderMarkdown(result, budgets) {
  const rb = result.runbookVault;
  const big = result.vaults.at(-1);
  const scale = result.vaults.map((v) => [
    `${n(v.records)} records`,
    `${v.folderMiB} MiB`,
    s(v.unlock.openMs),
    s(v.unlock.usableMs),
    `${v.peakRssMiB} MiB`,
    s(v.search.p50Ms),
    s(v.search.p95Ms),
    s(v.save.p50Ms),
    s(v.save.p95Ms),
  ]);
  scale.push([
    `${n(rb.records)} runbooks (synced)`,
    `${rb.folderMiB} MiB`,
    s(rb.unlock.openMs),
    s(rb.unlock.usableMs),
    `${rb.peakRssMiB} MiB`,
    s(rb.search.p50Ms),
    s(rb.search.p95Ms),
    s(rb.save.p50Ms),
    s(rb.save.p95Ms),
  ]);
  const sync = (label, x) => [
    label,
    n(x.added),
    n(x.changed),
    n(x.unchanged),
    s(x.totalMs),
    s(x.cpuMs),
    n(x.recordsPerSecond),
    Object.entries(x.phases)
      .map(([k, v]) => `${k} ${s(v)}`)
      .join('; '),
  ];
  const a = result.audit;
  return `# Vault benchmark${result.quick ? ' (--quick)' : ''}

${result.at} · Node ${result.node} · ${result.cpu} · load average ${result.loadAverageAtStart[0]} at start, ${result.loadAverageAtEnd[0]} at end · ${result.totalSeconds} s · Argon2id ${result.kdf.opslimit} passes × ${result.kdf.memlimitMiB} MiB (MODERATE): ${s(result.kdf.coldMs)} cold (median of ${result.kdf.runsMs.length})

## Budgets

${budgetTable(result)}
CPU time: user + system time of the process(es) for the same work (all threads), what a busy machine does not change much; the budgets are on wall time.
Ratios (×) are measured in this run, so they do not move with the machine: unlock − KDF as a share of the KDF, the sync and the one-shot
command line against keepassxc-cli doing the same work (${budgets.syncVsKeePassXC}× and ${budgets.cliSearchVsKeePassXC}×), a re-sync against the first sync.
${result.searchBench ? `\nSearch p95 at ${n(result.searchBench.records)} records (search.bench.mjs): ${s(result.searchBench.p95Ms)}, budget < 30 ms ${result.searchBench.withinBudget ? 'ok' : '**BROKEN**'}.\n` : ''}

## Scale

${table(['vault', 'on disk', 'openVault', 'unlock to usable', 'peak RSS', 'search p50', 'search p95', 'save p50', 'save p95'], scale)}
Unlock to usable = openVault (Argon2id, decrypt, load, audit checks) + the first search, in a fresh process. Argon2id alone (cold): ${s(result.kdf.coldMs)};
at the ${n(rb.records)}-runbook vault ${s(rb.kdfMs)}, so unlock − KDF = ${s(rb.unlock.overKdfMs)}. Save = editRecord (log, put, snapshot).

## Catalog sync (signed .lbcat, ${n(result.catalog.runbooks)} runbooks, ${result.catalog.markdownMiB} MiB of Markdown, ${result.catalog.lbcatMiB} MiB packed)

${table(['sync', 'added', 'changed', 'unchanged', 'total', 'CPU', 'records/s', 'phases'], [sync('first (into an empty vault)', result.catalog.firstSync), sync('re-sync (1 in 20 changed)', result.catalog.resync)])}${result.catalog.firstSync.applyMsPerRecord ? `\nFirst sync, applying: ${result.catalog.firstSync.applyMsPerRecord.firstFifth} ms per record over the first fifth of the records, ${result.catalog.firstSync.applyMsPerRecord.lastFifth} ms over the last fifth. Garbage collection during the first sync: ${s(result.catalog.firstSync.gcMs)}; during the re-sync: ${s(result.catalog.resync.gcMs)}.\n` : ''}
## Audit log

Append (record.opened: sealed, signed, fsynced) at the ${n(rb.records)}-runbook vault: p50 ${s(rb.auditAppend.p50Ms)}, p95 ${s(rb.auditAppend.p95Ms)}, max ${s(rb.auditAppend.maxMs)} (${rb.auditAppend.n} appends).

Verification of ${n(a.records)} records (${a.logMiB} MiB) with verifyAudit: ${s(a.verifyMs)} (${n(a.verifyRecordsPerSecond)} records/s): ${a.checks.join('; ')}.
Generating them (engine signing functions, one fsync) took ${s(a.generateMs)}.

Unlock of a vault whose log holds ${n(a.records)} records:

${phaseTable(a.unlockPhases)}
${keepassSection(result.keepassxc)}
## Profile: where the time and memory go

Unlock, ${n(rb.records)}-runbook vault:

${phaseTable(rb.profile.unlockPhases)}
Unlock, ${n(big.records)} records:

${phaseTable(big.profile.unlockPhases)}
Save (session.commit) step by step: a save hashes every 4 KiB block of the exported database and writes
the changed ones as a delta; a compaction (every ⅛ of the database in deltas, or 64 of them) writes the whole:

${table(
  [
    'vault',
    'database',
    'export (sql.js)',
    'block hashes',
    'delta: blocks',
    'delta: encrypt',
    'delta: write + fsync',
    'full: encrypt',
    'full: write + fsync',
    'memzero',
  ],
  [
    ...result.vaults.filter((v) => v.profile.save).map((v) => ({ label: `${n(v.records)} records`, p: v.profile.save })),
    { label: `${n(rb.records)} runbooks`, p: rb.profile.save },
  ].map(({ label, p }) => [
    label,
    `${p.dbMiB} MiB`,
    s(p.exportMs),
    s(p.blockHashMs),
    p.deltaBlocks === null ? 'full' : String(p.deltaBlocks),
    s(p.deltaEncryptMs),
    s(p.deltaWriteFsyncMs),
    s(p.fullEncryptMs),
    s(p.fullWriteFsyncMs),
    s(p.zeroMs),
  ]),
)}
What the database holds (MiB):

${table(
  ['vault', 'file', 'records.data', 'revisions.data (rows)', 'FTS content copy', 'FTS index', 'runbook bodies: stored (as text)'],
  [
    ...result.vaults.map((v) => ({ label: `${n(v.records)} records`, d: v.profile.database })),
    { label: `${n(rb.records)} runbooks`, d: rb.profile.database },
  ].map(({ label, d }) => [
    label,
    d.fileMiB,
    d.recordsDataMiB,
    `${d.revisionsDataMiB} (${n(d.revisions)})`,
    d.ftsContentMiB,
    d.ftsIndexMiB,
    `${d.runbookBodiesMiB} (${d.runbookBodiesTextMiB ?? '?'})`,
  ]),
)}
store.put, per record, over ${n(result.putAnatomy.records)} catalog runbooks in one transaction:

${table(
  ['part', 'ms per record'],
  Object.entries(result.putAnatomy.msPerRecord).map(([k, v]) => [k, String(v)]),
)}
Garbage collection during those puts: ${result.putAnatomy.gcMsPerRecordDuringPut} ms per record. FTS index per record: ${Object.entries(
    result.putAnatomy.ftsIndexKiBPerRecord,
  )
    .map(([k, v]) => `${k} ${v} KiB`)
    .join(', ')}.

The same work as the engine does on every unlock and save, over ${result.alternatives.MiB} MiB (the ${n(rb.records)}-runbook database), and what Node offers for it:

${table(
  ['operation', 'time'],
  Object.entries(result.alternatives)
    .filter(([k]) => k !== 'MiB')
    .map(([k, v]) => [k, s(v)]),
)}`;
}

/** The budgets as a table: what, where, measured (and from what), CPU, limit, verdict. */
function budgetTable(result) {
  const value = (b) => (b.value === null ? 'not measured' : b.unit === '×' ? `${b.value}×` : `${n(b.value)} ${b.unit}`);
  return table(
    ['budget', 'at', 'measured', 'CPU time', 'limit', ''],
    result.budgets.map((b) => [
      b.name,
      b.at,
      `${value(b)}${b.detail ? ` (${b.detail})` : ''}`,
      b.cpu === undefined ? '' : `${n(b.cpu)} ms`,
      b.unit === '×' ? `${b.limit}×` : `${b.limit} ${b.unit}`,
      b.ok ? 'ok' : '**BROKEN**',
    ]),
  );
}

export function renderReadmeSection(result) {
  const rb = result.runbookVault;
  const kp = result.keepassxc;
  const rows = result.vaults.map((v) => [
    `${n(v.records)} records`,
    s(v.unlock.usableMs),
    `${v.peakRssMiB} MiB`,
    `${s(v.search.p50Ms)} / ${s(v.search.p95Ms)}`,
    s(v.save.p50Ms),
  ]);
  rows.push([
    `${n(rb.records)} runbooks (one signed sync)`,
    s(rb.unlock.usableMs),
    `${rb.peakRssMiB} MiB`,
    `${s(rb.search.p50Ms)} / ${s(rb.search.p95Ms)}`,
    s(rb.save.p50Ms),
  ]);
  const haveKp = kp && !kp.skipped && !kp.error;
  return `## How fast, how safe

Measured by \`npm run bench\` (${result.at.slice(0, 10)}, Node ${result.node}, ${result.cpu}, a shared machine: load average
${result.loadAverageAtStart[0]} to ${result.loadAverageAtEnd[0]}); how, and what each figure means: \`bench/README.md\`; every figure: \`bench/results/vault.md\`. Every vault is opened with the default Argon2id (${result.kdf.opslimit} passes, ${result.kdf.memlimitMiB} MiB), which alone takes
${s(result.kdf.coldMs)} here: the price of making each passphrase guess that expensive for whoever steals the laptop.

${table(['vault', 'unlock to usable', 'peak memory', 'search p50 / p95', 'save after an edit'], rows)}
- Catalog sync, ${n(result.catalog.runbooks)} runbooks, signed: ${s(result.catalog.firstSync.totalMs)} the first time (${n(result.catalog.firstSync.recordsPerSecond)} records/s), ${s(result.catalog.resync.totalMs)} for a re-sync with one in 20 changed.
- Audit: an append (sealed, signed, fsynced before anything is shown) takes ${s(rb.auditAppend.p50Ms)} (p95 ${s(rb.auditAppend.p95Ms)}); verifying ${n(result.audit.records)} records takes ${s(result.audit.verifyMs)}.
- Budgets (#8 and #20; bench/README.md), from this run:

${budgetTable(result)}
${
  haveKp
    ? `
Against KeePassXC ${kp.version} (\`keepassxc-cli\`) on the same ${n(kp.entries)} entries and notes, with Argon2id set to take the same time to open
(${kp.kdf.iterations} iterations × ${kp.kdf.memoryMiB} MiB natively ≈ Lifeboat's 3 × 256 MiB in WebAssembly). Ratio = Lifeboat ÷ KeePassXC, lower is better for Lifeboat:

${table(
  ['', 'Lifeboat', 'KeePassXC', 'ratio'],
  [
    ['unlock to usable', s(kp.lifeboat.usableMs), s(kp.usableMs), ratio(kp.ratios.unlockToUsable)],
    [
      'search p50 / p95',
      `${s(kp.lifeboat.searchP50Ms)} / ${s(kp.lifeboat.searchP95Ms)}`,
      `${s(kp.search?.p50Ms)} / ${s(kp.search?.p95Ms)}`,
      `${ratio(kp.ratios.searchP50)} / ${ratio(kp.ratios.searchP95)}`,
    ],
    ['command line: open, search, exit', s(kp.lifeboatCliOneShotSearchMs), s(kp.oneShotSearchMs), ratio(kp.ratios.oneShotCliSearch)],
    [
      `import ${n(kp.importRunbooks.entries)} runbooks`,
      `${s(kp.lifeboat.syncMs)} (signed sync)`,
      `${s(kp.importRunbooks.medianMs)} (XML import)`,
      ratio(kp.ratios.import5000),
    ],
  ],
)}
Where Lifeboat is slower, the time goes to what a password manager does not do: every open and reveal is written to a
signed, hash-chained audit log before anything is shown, runbooks arrive in signed catalogs and are diffed against local
edits with a revision each, and search is ranked full text (keepassxc-cli returns every substring match, unranked).
`
    : ''
}`;
}
