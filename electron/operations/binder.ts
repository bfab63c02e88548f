/**
 * The printed binder (issue #21; docs/recovery.md, "The printed binder"), as
 * the window and the CLI offer it: choose records (a search, services and
 * what they need, or everything but secrets), preview, print to PDF, and
 * check a printed page against the vault.
 *
 * Order, as everywhere: every input, the destination and the printer are
 * checked before anything is logged; a secret an owner includes by name is
 * unsealed through the engine's reveal (reason and second member, logged
 * first); the `binder.printed` event, listing every record as
 * `id:revision:hash`, is written before the PDF is; the content read for a
 * preview is logged the same way (`binder.previewed`).
 */
import { LifeboatError } from '../../shared/errors.js';
import type { RecordView } from '../../shared/records.js';
import { requirePlainLine } from '../../shared/terminal-text.js';
import { binderPayload, contentHash } from '../recovery/binder-content.js';
import { binderHtml, type Binder, type BinderEntry } from '../recovery/binder-html.js';
import { checkPage, type PageCheck } from '../recovery/binder-verify.js';
import { computePlan, resolveServiceNames } from '../recovery/recovery-plan.js';
import { vaultGraph } from '../recovery/recovery-sessions.js';
import { dependencyClosure } from '../recovery/service-graph.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { maskedView, revealCredential, type SecondPerson } from '../vault/records/vault-records.js';
import { writeFileAtomic } from '../vault/storage/atomic-file.js';
import type { VaultSession } from '../vault/vault-session.js';
import { requireFileDestination } from './output-paths.js';
import { recordImages } from './record-images.js';
import { recordLinks } from './record-links.js';

export type { PageCheck } from '../recovery/binder-verify.js';

/** Which records: exactly one of these. */
export type BinderChoice = { search: string } | { services: readonly string[] } | { all: true };

/** An owner's explicit inclusion of named secrets' values. */
export interface SecretInclusion {
  ids: readonly string[];
  reason: string;
  second: SecondPerson;
}

export interface BinderSummary {
  records: number;
  byType: Record<string, number>;
  chosenBy: string;
  secretsIncluded: string[];
}

const live = (r: StoredRecord): boolean => !r.deleted && r.data['archived'] !== true;

function mentions(haystack: string, name: string): boolean {
  return name.trim() !== '' && haystack.toLowerCase().includes(name.trim().toLowerCase());
}

/** The records a choice selects (never a secret), and the services whose plan the binder shows. */
function chosenRecords(session: VaultSession, choice: BinderChoice): { records: StoredRecord[]; services: string[]; chosenBy: string } {
  const store = session.store();
  const all = store.all().filter(live);
  if ('all' in choice) {
    return { records: all.filter((r) => r.type !== 'secret'), services: [], chosenBy: 'every record but secrets' };
  }
  if ('search' in choice) {
    const query = choice.search.trim();
    if (query === '') {
      throw new LifeboatError('VAULT_BAD_INPUT', 'Give a search to choose the binder\'s records (--search "…"). Nothing was printed.');
    }
    const ids = new Set(store.search(query, { limit: 200 }).hits.map((hit) => hit.id));
    const records = all.filter((r) => ids.has(r.id) && r.type !== 'secret');
    if (records.length === 0) {
      throw new LifeboatError('VAULT_BAD_INPUT', `No record but secrets matches "${query}": nothing was printed.`);
    }
    return { records, services: records.filter((r) => r.type === 'service').map((r) => r.id), chosenBy: `records matching "${query}"` };
  }
  if (choice.services.length === 0) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Name at least one service (--services A,B). Nothing was printed.');
  }
  const graph = vaultGraph(session);
  const ids = resolveServiceNames(graph, choice.services);
  const scope = dependencyClosure(graph, ids);
  const services = [...scope].map((id) => graph.services.get(id)).filter((s) => s !== undefined);
  const runbooks = new Set(services.flatMap((s) => s.runbooks.map((r) => r.id)));
  const titles = services.map((s) => s.title);
  const procedure = (r: StoredRecord): boolean => {
    const tags = Array.isArray(r.data['tags']) ? r.data['tags'].map(String) : [];
    return titles.some((t) => mentions(r.title, t) || tags.some((tag) => tag.toLowerCase() === t.toLowerCase()));
  };
  const records = all.filter(
    (r) => scope.has(r.id) || runbooks.has(r.id) || r.type === 'contact' || r.type === 'key-location' || (r.type === 'procedure' && procedure(r)),
  );
  const named = graph.services.get(ids[0] ?? '')?.title ?? '';
  return {
    records,
    services: ids,
    chosenBy: `${ids.length === 1 ? `the service ${named}` : `${ids.length} services`} and what ${ids.length === 1 ? 'it needs' : 'they need'}`,
  };
}

/** The key location that says where a secret's material is, by naming it. */
function keyLocationFor(keyLocations: readonly StoredRecord[], secret: StoredRecord): string | null {
  const found = keyLocations.find((k) =>
    [k.title, k.data['what'], k.data['howToRetrieve']]
      .map((v) => (typeof v === 'string' ? v : ''))
      .some((text) => mentions(text, secret.title) || text.includes(secret.id)),
  );
  return found ? found.title : null;
}

function entryOf(session: VaultSession, record: StoredRecord, keyLocations: readonly StoredRecord[], secretRecords: readonly StoredRecord[]): BinderEntry {
  const vaultId = session.vaultId;
  const view: RecordView = maskedView(record);
  const hash = contentHash(vaultId, record);
  const listed = record.type === 'procedure' && Array.isArray(record.data['secrets']) ? record.data['secrets'].map(String) : [];
  const secrets = listed.map((entry) => {
    const secret = secretRecords.find((r) => r.id === entry || r.title.toLowerCase() === entry.toLowerCase());
    return { id: secret?.id ?? null, title: secret?.title ?? entry, keyLocation: secret ? keyLocationFor(keyLocations, secret) : null };
  });
  return {
    id: record.id,
    type: record.type,
    title: record.title,
    revision: record.revision,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    hash,
    payload: binderPayload({ vaultId, recordId: record.id, revision: record.revision, hash }),
    data: view.data,
    sealedFields: view.sealedFields,
    links: record.type === 'runbook' || record.type === 'procedure' ? recordLinks(session, view) : [],
    images: record.type === 'runbook' || record.type === 'procedure' ? recordImages(session, view) : [],
    secrets,
    keyLocation: record.type === 'secret' ? keyLocationFor(keyLocations, record) : null,
    revealed: [],
  };
}

function checkInclusion(session: VaultSession, inclusion: SecretInclusion | undefined): StoredRecord[] {
  if (!inclusion || inclusion.ids.length === 0) {
    return [];
  }
  if (session.member.role !== 'owner') {
    throw new LifeboatError('VAULT_FORBIDDEN', 'Only an owner can print secret values in a binder. Nothing was printed.');
  }
  if (inclusion.reason.trim().length < 3) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Say why these secrets go on paper (--reason, at least 3 characters); it goes into the audit log.');
  }
  requirePlainLine(inclusion.reason.trim(), 'A reason');
  const store = session.store();
  return inclusion.ids.map((id) => {
    const record = store.get(id);
    if (!record || !live(record) || record.type !== 'secret') {
      throw new LifeboatError('VAULT_NOT_FOUND', `No secret with id ${id} in this vault. Nothing was printed.`);
    }
    return record;
  });
}

/** Builds the binder (reads content; the caller logs that read). Secrets named for inclusion are added unrevealed. */
function assemble(session: VaultSession, choice: BinderChoice, secrets: readonly StoredRecord[], included: Binder['included'], now: Date): Binder {
  session.require('records.read');
  const { records, services, chosenBy } = chosenRecords(session, choice);
  const everything = session.store().all().filter(live);
  const keyLocations = everything.filter((r) => r.type === 'key-location');
  const secretRecords = everything.filter((r) => r.type === 'secret');
  const byTitle = (a: StoredRecord, b: StoredRecord): number => a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
  const chosen = [...records, ...secrets.filter((s) => !records.some((r) => r.id === s.id))].sort(byTitle);
  const graph = vaultGraph(session);
  const planned = services.length > 0 ? services : 'all' in choice ? [] : null;
  return {
    vault: { id: session.vaultId, name: session.header.name, fingerprint: session.fingerprint },
    printedAt: now.toISOString(),
    printedBy: session.member.name,
    chosenBy,
    entries: chosen.map((r) => entryOf(session, r, keyLocations, secretRecords)),
    plan: planned === null || graph.services.size === 0 ? null : computePlan(graph, planned),
    included,
  };
}

function summaryOf(binder: Binder): BinderSummary {
  const byType: Record<string, number> = {};
  for (const e of binder.entries) {
    byType[e.type] = (byType[e.type] ?? 0) + 1;
  }
  return {
    records: binder.entries.length,
    byType,
    chosenBy: binder.chosenBy,
    secretsIncluded: binder.entries.filter((e) => e.revealed.length > 0).map((e) => e.id),
  };
}

/** What the audit event lists: every record as id:revision:hash. */
function recordList(binder: Binder): string {
  return binder.entries.map((e) => `${e.id}:${e.revision}:${e.hash}`).join(',');
}

/** The binder's HTML, shown before printing (the window's preview). Logged, since it shows the records' content. */
export async function previewBinder(
  session: VaultSession,
  choice: BinderChoice,
  now = new Date(),
): Promise<{
  html: string;
  summary: BinderSummary;
  entries: { id: string; type: string; title: string; revision: number; hash: string }[];
  waves: string[][];
}> {
  const binder = assemble(session, choice, [], null, now);
  await session.log({ type: 'binder.previewed', details: { records: recordList(binder), count: binder.entries.length, chosenBy: binder.chosenBy } });
  return {
    html: binderHtml(binder),
    summary: summaryOf(binder),
    entries: binder.entries.map(({ id, type, title, revision, hash }) => ({ id, type, title, revision, hash })),
    waves: binder.plan?.waves.map((wave) => wave.services.map((s) => s.title)) ?? [],
  };
}

/**
 * Prints the binder to `path`. The destination, the printer and any
 * inclusion are checked first; included secrets are revealed (logged) by
 * the engine; the print is logged before the file is written.
 */
export async function printBinder(
  session: VaultSession,
  choice: BinderChoice,
  path: string,
  printer: PdfPrinter | undefined,
  inclusion?: SecretInclusion,
  now = new Date(),
): Promise<{ path: string; bytes: number; summary: BinderSummary }> {
  if (!printer) {
    throw new LifeboatError('ENGINE_UNAVAILABLE', 'The binder is printed to PDF, which needs Chromium here. Nothing was printed.');
  }
  await requireFileDestination(path);
  const secrets = checkInclusion(session, inclusion);
  const included =
    inclusion && secrets.length > 0
      ? {
          id: secrets.map((s) => s.id).join(', '),
          title: secrets.map((s) => s.title).join(', '),
          reason: inclusion.reason.trim(),
          second: inclusion.second.member,
        }
      : null;
  const binder = assemble(session, choice, secrets, included, now);
  for (const secret of secrets) {
    // The engine checks the second member and logs the reveal before it unseals anything.
    const values = await revealCredential(session, secret.id, `binder: ${inclusion?.reason.trim() ?? ''}`, { second: inclusion?.second as SecondPerson });
    const entry = binder.entries.find((e) => e.id === secret.id);
    if (entry) {
      entry.revealed = values;
    }
  }
  const pdf = await printer(binderHtml(binder));
  await session.log({
    type: 'binder.printed',
    details: {
      records: recordList(binder),
      count: binder.entries.length,
      chosenBy: binder.chosenBy,
      to: path,
      ...(secrets.length > 0 ? { secrets: secrets.map((s) => s.id).join(','), secondMember: inclusion?.second.member ?? '' } : {}),
    },
  });
  await writeFileAtomic(path, pdf);
  return { path, bytes: pdf.length, summary: summaryOf(binder) };
}

/** Checks a printed page's code against the vault; logged like an open, before the answer is shown. */
export async function verifyBinderPage(session: VaultSession, code: string): Promise<PageCheck> {
  session.require('records.read');
  const check = checkPage(session.store(), session.vaultId, code);
  await session.log({
    type: 'binder.verified',
    ...(check.record ? { recordId: check.record.id, recordTitle: check.record.title } : {}),
    details: { status: check.status, printedRevision: check.page.revision, code: `${check.page.recordId}:${check.page.revision}:${check.page.hash}` },
  });
  return check;
}
