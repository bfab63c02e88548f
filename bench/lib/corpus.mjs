// The bench's data: the public runbook fixtures (GOV.UK developer manual +
// prometheus-operator runbooks), parsed with the real catalog parser, and
// generated services, contacts and secrets around them. Everything is
// deterministic (seeded), so two runs build the same vaults.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalogContent } from '../../dist/node/electron/catalog/catalog-content.js';

export const FIXTURES = 'test/fixtures';
const SOURCES = [
  ['govuk-developer-docs/manual', 'govuk/'],
  ['prometheus-operator-runbooks/runbooks', 'prom/'],
];

/** A small LCG: the same sequence on every run and every machine. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

function readTree(dir, prefix, files) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      readTree(path, `${prefix}${entry.name}/`, files);
    } else if (entry.name.endsWith('.md')) {
      files.set(`${prefix}${entry.name}`, new Uint8Array(readFileSync(path)));
    }
  }
  return files;
}

/**
 * The fixture runbooks: { files: Map path → bytes, entries: parsed runbook
 * entries with their source text }. Near-empty index pages (under 300 bytes of
 * body) are left out: they are navigation, not runbooks.
 */
export function loadCorpus() {
  const files = new Map();
  for (const [dir, prefix] of SOURCES) {
    readTree(join(FIXTURES, dir), prefix, files);
  }
  const { entries, problems } = parseCatalogContent(files);
  if (problems.length > 0) {
    throw new Error(`the fixture corpus does not parse: ${problems[0].file}: ${problems[0].message}`);
  }
  const runbooks = entries
    .filter((e) => e.type === 'runbook' && String(e.data.body ?? '').length >= 300)
    .map((e) => ({ ...e, text: new TextDecoder().decode(files.get(e.file)) }));
  const bodyBytes = runbooks.reduce((n, e) => n + Buffer.byteLength(e.data.body), 0);
  return { files, runbooks, meanBodyBytes: Math.round(bodyBytes / runbooks.length) };
}

const AREAS = [
  'billing',
  'payments',
  'search',
  'identity',
  'storage',
  'queue',
  'edge',
  'mail',
  'reporting',
  'ledger',
  'publishing',
  'assets',
  'router',
  'signon',
  'content',
  'frontend',
  'metrics',
  'logging',
  'dns',
  'backup',
];
const KINDS = ['api', 'db', 'worker', 'cache', 'gateway', 'scheduler', 'store', 'proxy'];
const TEAMS = ['platform', 'data', 'payments', 'identity', 'publishing', 'sre', 'security', 'networks'];
const METHODS = ['restore', 'rebuild', 'redeploy', 'failover', 'replicated'];
const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Elif',
  'Femi',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Maya',
  'Nikhil',
  'Olga',
  'Priya',
  'Quentin',
  'Rosa',
  'Sami',
  'Tariq',
];
const LAST = [
  'Adeyemi',
  'Brown',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'García',
  'Huang',
  'Ivanova',
  'Jones',
  'Kowalski',
  'López',
  'Müller',
  'Nowak',
  'Okafor',
  'Patel',
  'Rossi',
  'Singh',
  'Tanaka',
  'Walsh',
];
const ROLES = [
  'Incident commander',
  'Database on-call',
  'Network on-call',
  'Security lead',
  'Platform on-call',
  'Vendor account manager',
  'Head of engineering',
  'Data centre contact',
];

function serviceName(i) {
  const area = AREAS[i % AREAS.length];
  const kind = KINDS[Math.floor(i / AREAS.length) % KINDS.length];
  const round = Math.floor(i / (AREAS.length * KINDS.length));
  return round === 0 ? `${area}-${kind}` : `${area}-${kind}-${round + 1}`;
}

function words(random, count) {
  const out = [];
  for (let i = 0; i < count; i += 1) {
    out.push(AREAS[Math.floor(random() * AREAS.length)], KINDS[Math.floor(random() * KINDS.length)]);
  }
  return out.join(' ');
}

function randomText(random, alphabet, length) {
  let out = '';
  for (let i = 0; i < length; i += 1) {
    out += alphabet[Math.floor(random() * alphabet.length)];
  }
  return out;
}

/** How many records of each type a vault of `total` records holds. */
export function vaultMix(total) {
  const services = Math.round(total * 0.12);
  const contacts = Math.round(total * 0.1);
  const secrets = Math.round(total * 0.08);
  return { runbooks: total - services - contacts - secrets, services, contacts, secrets };
}

/**
 * `total` plain records { type, title, data } (secrets' sealed fields still in
 * clear: the vault seals them), in the proportions of vaultMix: runbooks from
 * the corpus with varied titles, services with dependencies (a DAG on earlier
 * services), contacts, and secrets with username, password, TOTP seed and
 * recovery codes.
 */
export function makeRecords(corpus, total, seed = 42) {
  const random = seededRandom(seed);
  const mix = vaultMix(total);
  const records = [];
  const names = Array.from({ length: mix.services }, (_, i) => serviceName(i));
  for (let i = 0; i < mix.services; i += 1) {
    const dependsOn = [];
    for (let d = 0; d < Math.floor(random() * 4) && i > 0; d += 1) {
      const dep = names[Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 40)))];
      if (!dependsOn.includes(dep)) {
        dependsOn.push(dep);
      }
    }
    records.push({
      type: 'service',
      title: names[i],
      data: {
        tier: Math.floor(random() * 5),
        owner: `group:${TEAMS[i % TEAMS.length]}`,
        rtoMinutes: 30 * (1 + Math.floor(random() * 16)),
        rpoMinutes: 15 * (1 + Math.floor(random() * 8)),
        recoveryMethod: METHODS[i % METHODS.length],
        dependsOn,
        description: `${names[i]} serves the ${TEAMS[i % TEAMS.length]} team. It runs in two zones behind the load balancer; state lives in ${words(random, 2)}. Recovery: ${METHODS[i % METHODS.length]} from the last good backup, then replay the queue. Related: ${words(random, 3)}.`,
        tags: [TEAMS[i % TEAMS.length], `tier-${i % 5}`],
      },
    });
  }
  for (let i = 0; i < mix.runbooks; i += 1) {
    const entry = corpus.runbooks[i % corpus.runbooks.length];
    const service = names[i % names.length] ?? 'platform';
    const round = Math.floor(i / corpus.runbooks.length);
    const title = `${entry.title} (${service}${round ? ` ${round}` : ''})`.slice(0, 200);
    records.push({
      type: 'runbook',
      title,
      data: { ...entry.data, service, estimatedMinutes: 5 + Math.floor(random() * 120), lastReviewed: '2026-06-01' },
    });
  }
  for (let i = 0; i < mix.contacts; i += 1) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? ` ${Math.floor(i / (FIRST.length * LAST.length)) + 1}` : ''}`;
    const handle = name
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9]+/g, '.');
    records.push({
      type: 'contact',
      title: name,
      data: {
        role: ROLES[i % ROLES.length],
        phones: [`+44 7700 ${String(900000 + i).slice(-6)}`],
        channels: [`signal:${handle}`, `email:${handle}@example.org`],
        escalationOrder: 1 + (i % 5),
        notes: `Covers ${names[i % names.length] ?? 'platform'} out of hours. Reachable on the satellite phone if the mobile network is down.`,
        tags: [TEAMS[i % TEAMS.length]],
      },
    });
  }
  const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const pw = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-=';
  for (let i = 0; i < mix.secrets; i += 1) {
    const service = names[i % names.length] ?? 'platform';
    records.push({
      type: 'secret',
      title: `${service} break-glass admin${i >= names.length ? ` ${Math.floor(i / names.length) + 1}` : ''}`,
      data: {
        username: `breakglass-${service}`,
        password: randomText(random, pw, 24),
        totpSeed: randomText(random, b32, 32),
        recoveryCodes: Array.from({ length: 10 }, () => randomText(random, '0123456789abcdef', 10)).join('\n'),
        notes: `Break-glass account for ${service}. Rotate after every use; the rotation runbook is "Rotate ${service} credentials".`,
        tags: ['break-glass'],
      },
    });
  }
  return records;
}

/** The record's long text that a password manager would keep as the entry's notes. */
export function notesOf(record) {
  const d = record.data;
  switch (record.type) {
    case 'runbook':
      return String(d.body ?? '');
    case 'service':
      return `${d.description ?? ''}\nDepends on: ${(d.dependsOn ?? []).join(', ')}`;
    case 'contact':
      return `${d.role ?? ''}\n${(d.phones ?? []).join('\n')}\n${(d.channels ?? []).join('\n')}\n${d.notes ?? ''}`;
    default:
      return String(d.notes ?? '');
  }
}

/**
 * A docs-as-code folder's files for a catalog of `count` runbooks: the
 * fixture Markdown, each file's own front matter kept (GOV.UK's owner_slack,
 * section… land in meta) but its title varied and a lifeboat.service added.
 * Returns Map path → text.
 */
export function catalogFolderFiles(corpus, count, { version = 1, changeEvery = 0 } = {}) {
  const out = new Map();
  for (let i = 0; i < count; i += 1) {
    const entry = corpus.runbooks[i % corpus.runbooks.length];
    const service = serviceName(i % 200);
    const round = Math.floor(i / corpus.runbooks.length);
    let front = '';
    let body = entry.text;
    if (body.startsWith('---\n')) {
      const end = body.indexOf('\n---\n', 4);
      front = body
        .slice(4, end + 1)
        .split('\n')
        .filter((line) => !/^(title|lifeboat):/.test(line))
        .join('\n');
      body = body.slice(end + 5);
    }
    const changed = changeEvery > 0 && i % changeEvery === 0 && version > 1;
    const title = `${entry.title} (${service}${round ? ` ${round}` : ''})`.slice(0, 200);
    const text = `---\ntitle: ${JSON.stringify(title)}\n${front.trimEnd()}\nlifeboat:\n  service: ${service}\n  estimated_minutes: ${10 + (i % 50)}\n---\n${body}${changed ? `\n\nRevised in catalog version ${version}: check the replica lag before promoting.\n` : ''}`;
    const base = entry.file
      .split('/')
      .pop()
      .replace(/\.html\.md$|\.md$/, '');
    out.set(`runbooks/${service}/${String(i).padStart(5, '0')}-${base}.md`, text);
  }
  return out;
}
