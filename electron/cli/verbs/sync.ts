/**
 * lifeboat sync DIR --as NAME FILE.lbcat | --unsigned FOLDER: a catalog into the vault.
 */
import { bytesInWords } from '../../../shared/byte-size.js';
import { LifeboatError } from '../../../shared/errors.js';
import { briefReport, catalogSource, syncCatalogSource, type SyncReport } from '../../operations/catalog.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { defineVerb } from '../verb.js';

const LINES = {
  signed:
    'sync DIR --as NAME FILE.lbcat [--dry-run] [--allow-downgrade [--reason TEXT]] [--allow-version-jump] [--repin] [--adopt] [--yes] [--conflicts keep-local|take-catalog] [--json]',
  unsigned: 'sync DIR --as OWNER --unsigned FOLDER [--id CATALOG_ID] [--dry-run] [--yes]',
};
const USAGE = `lifeboat ${LINES.signed} | lifeboat ${LINES.unsigned}`;

function formatReport(report: SyncReport): string {
  const { diff } = report;
  const lines = [
    `${report.dryRun ? 'Would sync' : 'Synced'} ${report.catalogId} version ${report.catalogVersion} from ${report.publisher} (${report.signature === 'verified' ? 'signature verified' : 'UNSIGNED'})${
      report.previousVersion === null ? '' : `, previously version ${report.previousVersion}`
    }.`,
    `  added ${diff.added.length}, changed ${diff.changed.length}, removed (archived) ${diff.removed.length}, conflicts ${diff.conflicts.length}, unchanged ${diff.unchanged}${
      report.adoption?.adopted ? `, adopted ${report.adoption.entries.length}` : ''
    }`,
  ];
  const show = (label: string, changes: typeof diff.added): void => {
    for (const change of changes.slice(0, 20)) {
      lines.push(
        `  ${label} ${change.type} "${change.title}" (${change.file})${change.fields.length > 0 && label !== '+' ? `: ${change.fields.join(', ')}` : ''}`,
      );
    }
    if (changes.length > 20) {
      lines.push(`  … and ${changes.length - 20} more`);
    }
  };
  lines.push(...imageLine(report), ...guardLines(report));
  show('+', diff.added);
  show('~', diff.changed);
  show('-', diff.removed);
  show('!', diff.conflicts);
  if (report.adoption?.adopted) {
    show('=', report.adoption.entries);
  }
  lines.push(...skippedAndWarnings(report));
  if (report.applied && diff.conflicts.length > 0) {
    lines.push(`  conflicts: kept local edits for ${report.applied.conflictsKeptLocal}, took the catalog for ${report.applied.conflictsTookCatalog}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The images the catalog carries, when it carries or had any. */
function imageLine({ images }: SyncReport): string[] {
  const carried = images.added.length + images.changed.length + images.unchanged;
  if (carried === 0 && images.removed.length === 0) {
    return [];
  }
  return [
    `  images: ${carried} carried (${bytesInWords(images.bytes)}): added ${images.added.length}, changed ${images.changed.length}, removed ${images.removed.length}, unchanged ${images.unchanged}`,
  ];
}

/** Issue 17: adoption and the archive guard, said plainly before the lists. */
function guardLines(report: SyncReport): string[] {
  const lines: string[] = [];
  const { adoption, archive } = report;
  const sameId = adoption?.from.includes(report.catalogId) === true;
  if (adoption && sameId && !adoption.adopted) {
    lines.push(
      `  catalog id ${report.catalogId} holds records synced from an unsigned folder: applying is refused unless an owner adopts them (add --adopt, logged), which makes them this signed catalog's.`,
    );
  } else if (adoption) {
    const n = adoption.entries.length;
    const from = adoption.from.join(', ');
    lines.push(
      adoption.adopted
        ? `  adopted ${n} record${n === 1 ? '' : 's'} of the unsigned import ${from}: ${n === 1 ? 'it becomes' : 'they become'} ${report.catalogId}'s (logged)`
        : `  ${n} entr${n === 1 ? 'y duplicates a record' : 'ies duplicate records'} of the unsigned import ${from} (same paths): ${n === 1 ? 'it is' : 'they are'} counted as added, as copies. To make those records ${report.catalogId}'s instead, an owner can adopt them: add --adopt.`,
    );
  }
  if (archive.needsConfirmation) {
    lines.push(
      `  WARNING: this sync archives ${archive.archiving} of the ${archive.of} records of catalog ${report.catalogId}, more than a quarter. Check it is the right ${report.signature === 'unsigned' ? 'folder and id' : 'catalog'}; ${report.dryRun ? 'applying it needs --yes' : 'confirmed with --yes'}.`,
    );
  }
  return lines;
}

/** What a vault leaves out and warns about, as `sync` and `catalog pack` both print it (at most 20 of each). */
export function skippedAndWarnings(report: Pick<SyncReport, 'skipped' | 'warnings'>): string[] {
  const lines: string[] = [];
  const list = <T>(items: readonly T[], heading: string, line: (item: T) => string): void => {
    if (items.length > 0) {
      lines.push(`  ${heading} (${items.length}):`, ...items.slice(0, 20).map((item) => `    ${line(item)}`));
      if (items.length > 20) {
        lines.push(`    … and ${items.length - 20} more (--json lists them all)`);
      }
    }
  };
  list(report.skipped, 'skipped (not a catalog entity)', (s) => `${s.file}${s.line ? `:${s.line}` : ''}: ${s.reason}`);
  list(report.warnings, 'warnings', (w) => `${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`);
  return lines;
}

function progressBar(ctx: CliContext): ((done: number, total: number, label: string) => void) | undefined {
  if (!ctx.prompt.isTty) {
    return undefined;
  }
  return (done, total, label) => {
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    ctx.terminal.err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label}${total > 0 ? ` ${done}/${total}` : ''}\u001b[K`);
    if (label === 'Done') {
      ctx.terminal.err('\n');
    }
  };
}

export const syncVerb = defineVerb({
  name: 'sync',
  group: 'catalogs',
  summary: 'bring a signed catalog from a trusted publisher into the vault: added, changed, archived, conflicts',
  usage: [LINES.signed, { line: LINES.unsigned, note: '(flagged on every record it creates)' }],
  options: {
    ...COMMON_OPTIONS,
    'dry-run': { type: 'boolean', help: 'say what would change, change nothing' },
    'allow-downgrade': { type: 'boolean', help: 'owners: accept a catalog version older than the last one synced (logged)' },
    reason: { type: 'string', value: 'TEXT', help: 'with --allow-downgrade: why (logged with the sync)' },
    'allow-version-jump': { type: 'boolean', help: 'owners: accept a version far above the last one synced (logged)' },
    repin: { type: 'boolean', help: "owners: the catalog id moved to another trusted publisher's key; pin it to this one (logged)" },
    conflicts: {
      type: 'string',
      value: 'keep-local|take-catalog',
      help: 'a record edited here and in the catalog: keep the local edit (the default) or take the catalog',
    },
    unsigned: { type: 'string', value: 'FOLDER', help: 'sync a docs folder without a signature (owners only; every record it creates is flagged)' },
    id: {
      type: 'string',
      value: 'CATALOG_ID',
      help: "with --unsigned: the catalog's id (the folder's name unless given; needed when that name is generic, such as docs)",
    },
    adopt: { type: 'boolean', help: "owners: records of an unsigned import with this signed catalog's paths become its records (logged)" },
    yes: { type: 'boolean', help: "confirm a sync that archives more than a quarter of the catalog's records" },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const conflicts = values.conflicts ?? 'keep-local';
    if (conflicts !== 'keep-local' && conflicts !== 'take-catalog') {
      throw new LifeboatError('CLI_USAGE', `--conflicts ${conflicts}: use keep-local or take-catalog.`);
    }
    // Read (or checked) before the passphrase is asked: a wrong path changes nothing and asks nothing.
    const source = await catalogSource(
      values.unsigned !== undefined
        ? { unsignedFolder: values.unsigned, catalogId: values.id }
        : { file: requirePositional(positionals, 1, 'the catalog file', USAGE) },
    );
    const progress = values.json ? undefined : progressBar(ctx);
    const report = await withSession(ctx, dir, values, USAGE, (session) =>
      syncCatalogSource(session, source, {
        dryRun: values['dry-run'],
        allowDowngrade: values['allow-downgrade'],
        ...(values.reason === undefined ? {} : { downgradeReason: values.reason }),
        allowVersionJump: values['allow-version-jump'],
        repin: values.repin,
        adopt: values.adopt,
        confirmArchive: values.yes,
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
  },
});
