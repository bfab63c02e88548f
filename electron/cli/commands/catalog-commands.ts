/**
 * Publisher side: lifeboat catalog keygen | pack | verify
 * Vault side:     lifeboat trust add | list, lifeboat sync, lifeboat search
 */
import { stat, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LifeboatError } from '../../../shared/errors.js';
import { RECORD_TYPES, type RecordType } from '../../../shared/records.js';
import { packCatalog, verifyCatalog } from '../../catalog/catalog-manifest.js';
import { briefReport, syncCatalog, type SyncReport } from '../../catalog/catalog-sync.js';
import { trustPublisher, trustedPublishers } from '../../catalog/catalog-trust.js';
import { encodeBase64, formatPublicKey, generatePublisherKey, keyIdWith, parsePublicKey, writePublisherKey } from '../../catalog/publisher-key.js';
import { loadSodium } from '../../vault/crypto-runtime.js';
import { searchRecords } from '../../vault/vault-records.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { readBytes } from '../input-files.js';

const CATALOG_USAGE = `lifeboat catalog keygen --out publisher.key [--name NAME]
       lifeboat catalog pack SRC_DIR --key publisher.key --version N --out FILE.lbcat [--id CATALOG_ID]
       lifeboat catalog verify FILE.lbcat [--publisher PUBLIC_KEY] [--json]`;

export async function catalogCommand(args: string[], ctx: CliContext): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      name: { type: 'string' },
      key: { type: 'string' },
      version: { type: 'string' },
      id: { type: 'string' },
      publisher: { type: 'string' },
    },
    allowPositionals: true,
  });
  switch (action) {
    case 'keygen': {
      const out = requireOption(values.out, 'out', CATALOG_USAGE);
      const key = await generatePublisherKey(values.name);
      await writePublisherKey(out, key);
      ctx.io.out(values.json ? `${JSON.stringify({ publicKey: formatPublicKey(key.publicKey), keyId: key.keyId, out })}\n` : `${formatPublicKey(key.publicKey)}\n`);
      if (!values.json) {
        ctx.io.err(`Wrote the secret key to ${out} (keep it in the publishing pipeline only). Key id ${key.keyId}.\n`);
      }
      return 0;
    }
    case 'pack': {
      const src = requirePositional(positionals, 0, 'the source folder', CATALOG_USAGE);
      const version = Number(requireOption(values.version, 'version', CATALOG_USAGE));
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new LifeboatError('CLI_USAGE', `--version ${values.version ?? ''}: expected a positive whole number.`);
      }
      const packed = await packCatalog({
        srcDir: src,
        keyPath: requireOption(values.key, 'key', CATALOG_USAGE),
        catalogVersion: version,
        ...(values.id ? { catalogId: values.id } : {}),
        ...(values.name ? { publisherName: values.name } : {}),
      });
      const out = requireOption(values.out, 'out', CATALOG_USAGE);
      await writeFile(out, packed.bytes);
      ctx.io.out(
        values.json
          ? `${JSON.stringify({ out, catalogId: packed.manifest.catalogId, version, files: packed.manifest.files.length })}\n`
          : `Packed ${packed.manifest.files.length} files as ${packed.manifest.catalogId} version ${version} into ${out}.\n`,
      );
      return 0;
    }
    case 'verify': {
      const file = requirePositional(positionals, 0, 'the catalog file', CATALOG_USAGE);
      const trustedKey = values.publisher ? parsePublicKey(values.publisher) : undefined;
      const verified = await verifyCatalog(await readBytes(file), { label: basename(file), ...(trustedKey ? { trustedKey } : {}) });
      if (verified.publicKeyMatches === false) {
        throw new LifeboatError('VAULT_TAMPERED', `${basename(file)}: the manifest names publisher key ${verified.manifest.publisher.keyId}, not the one given.`);
      }
      const summary = {
        catalogId: verified.manifest.catalogId,
        version: verified.manifest.catalogVersion,
        publisher: verified.manifest.publisher,
        files: verified.manifest.files.length,
        signature: verified.signature,
      };
      if (values.json) {
        printJson(ctx, summary);
      } else {
        ctx.io.out(
          `${summary.catalogId} version ${summary.version} by ${summary.publisher.name} (key ${summary.publisher.keyId}): ${summary.files} files, every hash matches; signature ${
            summary.signature === 'verified' ? 'verified with the given key' : 'NOT checked (pass --publisher PUBLIC_KEY)'
          }.\n`,
        );
      }
      return 0;
    }
    default:
      throw new LifeboatError('CLI_USAGE', `Usage: ${CATALOG_USAGE}`);
  }
}

const TRUST_USAGE = 'lifeboat trust add DIR --as OWNER --publisher PUBLIC_KEY --name NAME | lifeboat trust list DIR --as NAME [--json]';

export async function trustCommand(args: string[], ctx: CliContext): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...COMMON_OPTIONS, publisher: { type: 'string' }, name: { type: 'string' } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', TRUST_USAGE);
  if (action === 'add') {
    const publicKey = parsePublicKey(requireOption(values.publisher, 'publisher', TRUST_USAGE));
    const name = requireOption(values.name, 'name', TRUST_USAGE);
    const sodium = await loadSodium();
    const entry = await withSession(ctx, dir, values, TRUST_USAGE, (session) =>
      trustPublisher(session, { name, keyId: keyIdWith(sodium, publicKey), publicKey: encodeBase64(publicKey) }),
    );
    ctx.io.out(values.json ? `${JSON.stringify(entry)}\n` : `Trusting ${entry.name} (key ${entry.keyId}) for catalog sync.\n`);
    return 0;
  }
  if (action === 'list') {
    const list = await withSession(ctx, dir, values, TRUST_USAGE, (session) => Promise.resolve(trustedPublishers(session)));
    if (values.json) {
      printJson(ctx, list);
    } else {
      ctx.io.out(list.length === 0 ? 'No trusted publishers yet.\n' : list.map((p) => `${p.name}\t${p.keyId}\tadded ${p.addedAt} by ${p.addedBy}`).join('\n') + '\n');
    }
    return 0;
  }
  throw new LifeboatError('CLI_USAGE', `Usage: ${TRUST_USAGE}`);
}

const SYNC_USAGE =
  'lifeboat sync DIR --as NAME FILE.lbcat [--dry-run] [--allow-downgrade] [--conflicts keep-local|take-catalog] [--json] | lifeboat sync DIR --as OWNER --unsigned FOLDER [--id CATALOG_ID]';

function formatReport(report: SyncReport): string {
  const { diff } = report;
  const lines = [
    `${report.dryRun ? 'Would sync' : 'Synced'} ${report.catalogId} version ${report.catalogVersion} from ${report.publisher} (${report.signature === 'verified' ? 'signature verified' : 'UNSIGNED'})${
      report.previousVersion === null ? '' : `, previously version ${report.previousVersion}`
    }.`,
    `  added ${diff.added.length}, changed ${diff.changed.length}, removed (archived) ${diff.removed.length}, conflicts ${diff.conflicts.length}, unchanged ${diff.unchanged}`,
  ];
  const show = (label: string, changes: typeof diff.added): void => {
    for (const change of changes.slice(0, 20)) {
      lines.push(`  ${label} ${change.type} "${change.title}" (${change.file})${change.fields.length > 0 && label !== '+' ? `: ${change.fields.join(', ')}` : ''}`);
    }
    if (changes.length > 20) {
      lines.push(`  … and ${changes.length - 20} more`);
    }
  };
  show('+', diff.added);
  show('~', diff.changed);
  show('-', diff.removed);
  show('!', diff.conflicts);
  if (report.applied && diff.conflicts.length > 0) {
    lines.push(`  conflicts: kept local edits for ${report.applied.conflictsKeptLocal}, took the catalog for ${report.applied.conflictsTookCatalog}`);
  }
  return `${lines.join('\n')}\n`;
}

function progressBar(ctx: CliContext): ((done: number, total: number, label: string) => void) | undefined {
  if (!ctx.prompt.isTty) {
    return undefined;
  }
  return (done, total, label) => {
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    ctx.io.err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label}${total > 0 ? ` ${done}/${total}` : ''}\u001b[K`);
    if (label === 'Done') {
      ctx.io.err('\n');
    }
  };
}

export async function syncCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      'dry-run': { type: 'boolean', default: false },
      'allow-downgrade': { type: 'boolean', default: false },
      conflicts: { type: 'string' },
      unsigned: { type: 'string' },
      id: { type: 'string' },
    },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', SYNC_USAGE);
  const conflicts = values.conflicts ?? 'keep-local';
  if (conflicts !== 'keep-local' && conflicts !== 'take-catalog') {
    throw new LifeboatError('CLI_USAGE', `--conflicts ${conflicts}: use keep-local or take-catalog.`);
  }
  let source: Parameters<typeof syncCatalog>[1];
  if (values.unsigned !== undefined) {
    const folder = resolve(values.unsigned);
    if (!(await stat(folder).catch(() => null))?.isDirectory()) {
      throw new LifeboatError('VAULT_NOT_FOUND', `${values.unsigned} is not a folder.`);
    }
    source = { kind: 'unsigned', dir: folder, catalogId: values.id ?? basename(folder) };
  } else {
    const file = requirePositional(positionals, 1, 'the catalog file', SYNC_USAGE);
    source = { kind: 'signed', bytes: await readBytes(file), label: basename(file) };
  }
  const progress = values.json ? undefined : progressBar(ctx);
  const report = await withSession(ctx, dir, values, SYNC_USAGE, (session) =>
    syncCatalog(session, source, {
      dryRun: values['dry-run'],
      allowDowngrade: values['allow-downgrade'],
      conflicts,
      ...(progress ? { progress } : {}),
    }),
  );
  if (values.json) {
    printJson(ctx, briefReport(report));
  } else {
    ctx.io.out(formatReport(report));
  }
  return 0;
}

/** The index marks matches with STX/ETX; in a terminal they become [brackets]. */
function bracketed(snippet: string): string {
  return snippet.split('\u0002').join('[').split('\u0003').join(']');
}

const SEARCH_USAGE = 'lifeboat search DIR --as NAME QUERY [--type TYPE] [--service S] [--tag T] [--json]';

export async function searchCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, type: { type: 'string' }, service: { type: 'string' }, tag: { type: 'string' } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', SEARCH_USAGE);
  const query = positionals.slice(1).join(' ');
  if (query.trim() === '') {
    throw new LifeboatError('CLI_USAGE', `Missing the search words. Usage: ${SEARCH_USAGE}`);
  }
  if (values.type !== undefined && !(RECORD_TYPES as readonly string[]).includes(values.type)) {
    throw new LifeboatError('CLI_USAGE', `--type ${values.type}: use one of ${RECORD_TYPES.join(', ')}.`);
  }
  const hits = await withSession(ctx, dir, values, SEARCH_USAGE, (session) =>
    Promise.resolve(
      searchRecords(session, query, {
        ...(values.type ? { type: values.type as RecordType } : {}),
        ...(values.service ? { service: values.service } : {}),
        ...(values.tag ? { tag: values.tag } : {}),
      }),
    ),
  );
  if (values.json) {
    printJson(ctx, hits.map((h) => ({ ...h, snippet: bracketed(h.snippet) })));
  } else if (hits.length === 0) {
    ctx.io.out(`Nothing matches "${query}".\n`);
  } else {
    ctx.io.out(
      hits.map((h) => `${h.id}\t${h.type}\t${h.title}\n    ${bracketed(h.snippet).replace(/\s+/g, ' ')}`).join('\n') + '\n',
    );
  }
  return 0;
}
