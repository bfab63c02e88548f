/**
 * lifeboat shares create | status | revoke | practice: the recovery shares,
 * M-of-N custodians who can open the vault when no member can.
 *
 * Thin over electron/operations/quorum.ts, which the window calls too: every
 * decision (who may create shares, which share opens what, what is logged,
 * what is checked before anything exists) is made there or below. A
 * share never goes to stdout, not even with --json: it is written only to its
 * custodian's sheet files, since terminal output ends up in scrollback, CI
 * logs and tickets.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { requireOutputFolder } from '../../operations/output-paths.js';
import { createShares, practiceQuorum, revokeShares, sharesStatus as currentShares } from '../../operations/quorum.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { names, shellWord, time } from '../output-format.js';
import { pdfPrinter } from '../pdf-output.js';
import { SHARE_FILE_OPTION, checkShareFiles, shareFiles } from '../share-files.js';
import { defineCommand, defineVerb } from '../verb.js';

const SHARES_USAGE = {
  create: 'lifeboat shares create DIR --as OWNER --threshold M --custodian NAME --custodian NAME... --out FOLDER [--json]',
  status: 'lifeboat shares status DIR --as NAME [--json]',
  revoke: 'lifeboat shares revoke DIR --as OWNER --yes [--json]',
  practice: 'lifeboat shares practice DIR --share-file F --share-file F... [--json]',
} as const;

const sharesCreate = defineCommand({
  usage: [
    {
      line: 'shares create DIR --as OWNER --threshold M --custodian NAME --custodian NAME... --out FOLDER [--json]',
      note: [
        'M-of-N shares, one sheet per custodian (PDF + .txt) in FOLDER, which',
        'must exist; creating again rotates: the previous sheets stop working.',
        'The sheets are SECRET: any M of them open the whole vault',
      ],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    threshold: { type: 'string', value: 'M', help: 'how many custodians must meet to open the vault' },
    custodian: { type: 'string', value: 'NAME', multiple: true, help: 'a custodian, who gets one sheet (one each, at least 2)' },
    out: { type: 'string', value: 'FOLDER', help: 'an existing folder the sheets are written to (readable by you only, ideally)' },
  },
  async run(ctx, { values, positionals }) {
    const usage = SHARES_USAGE.create;
    const dir = requirePositional(positionals, 0, 'the vault folder', usage);
    const thresholdText = requireOption(values.threshold, 'threshold', usage);
    if (!/^\d+$/.test(thresholdText)) {
      throw new LifeboatError('CLI_USAGE', `--threshold ${thresholdText}: expected a whole number (how many custodians must meet to open the vault).`);
    }
    const custodians = values.custodian ?? [];
    if (custodians.length === 0) {
      throw new LifeboatError('CLI_USAGE', `Missing --custodian (one per custodian, at least 2). Usage: ${usage}`);
    }
    const out = requireOption(values.out, 'out', usage);
    // Before the passphrase and before any share exists: the sheets are the only copy.
    await requireOutputFolder(out, 'recovery sheets');
    const printer = await pdfPrinter(ctx.env);
    const created = await withSession(ctx, dir, values, usage, (session) =>
      createShares(session, { threshold: Number(thresholdText), custodians, outDir: out }, printer),
    );
    const result = { ...created.set, sheets: created.sheets, previous: created.rotated ?? undefined };
    const warning =
      `SECRET: any ${result.threshold} of these sheets open the whole vault. Give each custodian only their own sheet, in person; ` +
      'keep the files off shared drives, backups and chat, and delete them once printed.' +
      (result.previous === undefined
        ? ''
        : ` The previous set (${result.previous}) no longer works: its sheets open nothing; ask its custodians to destroy them.`);
    if (values.json) {
      printJson(ctx, {
        setId: result.setId,
        threshold: result.threshold,
        createdAt: result.createdAt,
        custodians: result.sheets.map((s) => s.custodian),
        sheets: result.sheets,
        rotated: result.previous ?? null,
        warning,
      });
      return 0;
    }
    const width = Math.max(...result.sheets.map((s) => s.custodian.length));
    const lines = [
      `${result.previous === undefined ? 'Created' : 'Rotated'} the recovery shares: any ${result.threshold} of ${result.sheets.length} custodians open the vault (set ${result.setId}).`,
      'Sheets (a PDF to print and the same as text, each readable by you only):',
      ...result.sheets.map((s) => `  ${String(s.index).padStart(2)}  ${s.custodian.padEnd(width)}  ${s.pdf}  ${s.text}`),
      '',
      warning,
      `Prove they work without opening anything: lifeboat shares practice ${shellWord(dir)} --share-file F (${result.threshold} of them; logged as a drill).`,
    ];
    ctx.io.out(`${lines.join('\n')}\n`);
    return 0;
  },
});

const sharesStatus = defineCommand({
  usage: [{ line: 'shares status DIR --as NAME [--json]', note: 'set id, threshold, custodians, created when and by whom' }],
  options: COMMON_OPTIONS,
  async run(ctx, { values, positionals }) {
    const usage = SHARES_USAGE.status;
    const dir = requirePositional(positionals, 0, 'the vault folder', usage);
    // The header is authenticated once the vault is open, so this is the vault's own word.
    const recovery = await withSession(ctx, dir, values, usage, (session) => Promise.resolve(currentShares(session)));
    if (values.json) {
      printJson(ctx, { recovery });
    } else if (recovery === null) {
      ctx.io.out('No recovery shares: if no member can unlock, the vault cannot be opened. An owner can create them with `lifeboat shares create`.\n');
    } else {
      ctx.io.out(
        `Recovery shares: any ${recovery.threshold} of ${recovery.custodians.length} custodians open the vault (set ${recovery.setId}).\n` +
          `Custodians: ${recovery.custodians.map((c) => `${c.index} ${c.name}`).join(', ')}\n` +
          `Created ${time(recovery.createdAt)} by ${recovery.createdBy}.\n`,
      );
    }
    return 0;
  },
});

const sharesRevoke = defineCommand({
  usage: [{ line: 'shares revoke DIR --as OWNER --yes', note: 'no sheet opens the vault any more; the vault is rekeyed' }],
  options: { ...COMMON_OPTIONS, yes: { type: 'boolean', help: 'confirm that every sheet stops working' } },
  async run(ctx, { values, positionals }) {
    const usage = SHARES_USAGE.revoke;
    const dir = requirePositional(positionals, 0, 'the vault folder', usage);
    if (!values.yes) {
      throw new LifeboatError('CLI_USAGE', 'Revoking makes every recovery sheet useless and rekeys the vault: add --yes to confirm. Nothing was changed.');
    }
    const setId = await withSession(ctx, dir, values, usage, (session) => revokeShares(session));
    if (values.json) {
      printJson(ctx, { revoked: setId });
    } else {
      ctx.io.out(
        `Revoked the recovery shares (set ${setId}): no sheet opens the vault any more, and the vault was rekeyed. Ask the custodians to destroy their sheets.\n` +
          'Now only a member with their passphrase can open the vault.\n',
      );
    }
    return 0;
  },
});

const sharesPractice = defineCommand({
  usage: [
    {
      line: 'shares practice DIR --share-file F --share-file F... [--json]',
      note: 'a drill: proves the sheets open the vault, opens nothing; no passphrase',
    },
  ],
  options: {
    'share-file': SHARE_FILE_OPTION,
    json: COMMON_OPTIONS.json,
  },
  async run(ctx, { values, positionals }) {
    const usage = SHARES_USAGE.practice;
    const dir = requirePositional(positionals, 0, 'the vault folder', usage);
    const { texts } = await checkShareFiles(dir, shareFiles(values['share-file'], usage));
    const drill = await practiceQuorum(dir, texts);
    if (values.json) {
      printJson(ctx, { ok: true, custodians: drill.custodians, setId: drill.setId });
    } else {
      ctx.io.out(
        `Drill passed: the sheets of ${names(drill.custodians)} open this vault (set ${drill.setId}). ` +
          'Logged as recovery.drill; the vault’s content was not opened.\n',
      );
    }
    return 0;
  },
});

export const sharesVerb = defineVerb({
  name: 'shares',
  group: 'quorum',
  summary: 'the recovery shares: M-of-N custodians who can open the vault together when no owner can',
  subcommands: { create: sharesCreate, status: sharesStatus, revoke: sharesRevoke, practice: sharesPractice },
  unknownSubcommand(given) {
    throw new LifeboatError(
      'CLI_USAGE',
      `${given === undefined ? 'Missing the shares verb' : `Unknown shares verb "${given}"`}: use create, status, revoke or practice. Run \`lifeboat help\` for usage.`,
    );
  },
});
