/**
 * lifeboat shares create|status|revoke|practice | unlock-quorum | kit
 * (and the second person's passphrase for `reveal --second`)
 *
 * Thin over the engine (electron/vault/recovery-quorum.ts) and the printed
 * pages (electron/recovery/recovery-sheet.ts, emergency-kit.ts): every
 * decision (who may create shares, which share opens what, what is logged)
 * is the engine's. A share never goes to stdout, not even with --json: it is
 * written only to its custodian's sheet files, since terminal output ends up
 * in scrollback, CI logs and tickets.
 *
 * A share file is a sheet's .txt file (the share is its line of 20 groups of
 * 5 characters) or a file holding only the share. Each file is checked on
 * its own first, so an error names the file rather than "Share 2".
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LifeboatError } from '../../../shared/errors.js';
import { RECORD_TYPES } from '../../../shared/records.js';
import { exportKit, vaultFingerprint } from '../../recovery/emergency-kit.js';
import { writeRecoverySheets, type WrittenSheet } from '../../recovery/recovery-sheet.js';
import { createRecoveryShares, openVaultByQuorum, practiceQuorum, revokeRecoveryShares } from '../../vault/recovery-quorum.js';
import type { RecoverySet } from '../../vault/vault-header.js';
import { listRecords, revealField } from '../../vault/vault-records.js';
import type { VaultSession } from '../../vault/vault-session.js';
import { COMMON_OPTIONS, INSECURE_KDF_WARNING, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { names, shellWord, time } from '../output-format.js';
import { secondPassphraseFrom } from '../passphrase-input.js';
import { pdfPrinter } from '../pdf-output.js';
import { checkShareFiles, shareFiles } from '../share-files.js';

/** The set as `shares status` shows it: no key check value, which is of no use outside the engine. */
function setSummary(recovery: RecoverySet | undefined): { setId: string; threshold: number; custodians: { index: number; name: string }[]; createdAt: string; createdBy: string } | null {
  return recovery
    ? { setId: recovery.setId, threshold: recovery.threshold, custodians: recovery.custodians, createdAt: recovery.createdAt, createdBy: recovery.createdBy }
    : null;
}

// --- lifeboat shares ------------------------------------------------------------

const SHARES_USAGE = {
  create: 'lifeboat shares create DIR --as OWNER --threshold M --custodian NAME --custodian NAME... --out FOLDER [--json]',
  status: 'lifeboat shares status DIR --as NAME [--json]',
  revoke: 'lifeboat shares revoke DIR --as OWNER --yes [--json]',
  practice: 'lifeboat shares practice DIR --share-file F --share-file F... [--json]',
} as const;

export async function sharesCommand(args: string[], ctx: CliContext): Promise<number> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'create':
      return sharesCreate(rest, ctx);
    case 'status':
      return sharesStatus(rest, ctx);
    case 'revoke':
      return sharesRevoke(rest, ctx);
    case 'practice':
      return sharesPractice(rest, ctx);
    default:
      throw new LifeboatError(
        'CLI_USAGE',
        `${verb === undefined ? 'Missing the shares verb' : `Unknown shares verb "${verb}"`}: use create, status, revoke or practice. Run \`lifeboat help\` for usage.`,
      );
  }
}

async function requireFolder(path: string): Promise<void> {
  let isFolder = false;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch {
    throw new LifeboatError('VAULT_BAD_INPUT', `The folder ${path} does not exist: create it first (somewhere only you can read). Nothing was changed.`);
  }
  if (!isFolder) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${path} is not a folder: --out names the folder the sheets are written to. Nothing was changed.`);
  }
}

async function sharesCreate(args: string[], ctx: CliContext): Promise<number> {
  const usage = SHARES_USAGE.create;
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, threshold: { type: 'string' }, custodian: { type: 'string', multiple: true }, out: { type: 'string' } },
    allowPositionals: true,
  });
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
  await requireFolder(out);
  const printer = await pdfPrinter(ctx.env);
  const result = await withSession(ctx, dir, values, usage, async (session) => {
    const previous = session.header.recovery?.setId;
    let sheets: WrittenSheet[] = [];
    // Written before the set is committed: if printing fails, the vault keeps its previous set.
    const set = await createRecoveryShares(session, { threshold: Number(thresholdText), custodians }, async (created) => {
      sheets = await writeRecoverySheets(session, created, out, printer);
    });
    return { setId: set.setId, threshold: set.threshold, createdAt: set.createdAt, sheets, previous };
  });
  const warning =
    `SECRET: any ${result.threshold} of these sheets open the whole vault. Give each custodian only their own sheet, in person; ` +
    'keep the files off shared drives, backups and chat, and delete them once printed.' +
    (result.previous === undefined ? '' : ` The previous set (${result.previous}) no longer works: its sheets open nothing; ask its custodians to destroy them.`);
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
}

async function sharesStatus(args: string[], ctx: CliContext): Promise<number> {
  const usage = SHARES_USAGE.status;
  const { values, positionals } = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', usage);
  // The header is authenticated once the vault is open, so this is the vault's own word.
  const recovery = await withSession(ctx, dir, values, usage, (session) => Promise.resolve(setSummary(session.header.recovery)));
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
}

async function sharesRevoke(args: string[], ctx: CliContext): Promise<number> {
  const usage = SHARES_USAGE.revoke;
  const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, yes: { type: 'boolean', default: false } }, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', usage);
  if (!values.yes) {
    throw new LifeboatError('CLI_USAGE', 'Revoking makes every recovery sheet useless and rekeys the vault: add --yes to confirm. Nothing was changed.');
  }
  const setId = await withSession(ctx, dir, values, usage, async (session) => {
    const current = session.header.recovery?.setId;
    await revokeRecoveryShares(session);
    return current ?? '';
  });
  if (values.json) {
    printJson(ctx, { revoked: setId });
  } else {
    ctx.io.out(
      `Revoked the recovery shares (set ${setId}): no sheet opens the vault any more, and the vault was rekeyed. Ask the custodians to destroy their sheets.\n` +
        'Now only a member with their passphrase can open the vault.\n',
    );
  }
  return 0;
}

async function sharesPractice(args: string[], ctx: CliContext): Promise<number> {
  const usage = SHARES_USAGE.practice;
  const { values, positionals } = parseArgs({
    args,
    options: { 'share-file': { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
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
}

// --- lifeboat unlock-quorum -----------------------------------------------------

const UNLOCK_USAGE = 'lifeboat unlock-quorum DIR --share-file F --share-file F... --reason TEXT [--json]';

interface QuorumSummary {
  vaultId: string;
  vaultName: string;
  member: string;
  role: string;
  custodians: string[];
  setId: string;
  reason: string;
  records: { total: number; byType: Record<string, number> };
}

function quorumSummary(session: VaultSession, custodians: string[], reason: string): QuorumSummary {
  const records = listRecords(session);
  const byType: Record<string, number> = {};
  for (const type of RECORD_TYPES) {
    const count = records.filter((r) => r.type === type).length;
    if (count > 0) {
      byType[type] = count;
    }
  }
  return {
    vaultId: session.vaultId,
    vaultName: session.header.name,
    member: session.member.name,
    role: session.member.role,
    custodians,
    setId: session.header.recovery?.setId ?? '',
    reason: reason.trim(),
    records: { total: records.length, byType },
  };
}

/**
 * Opens the vault by quorum, says who opened it and what is in it, and locks
 * it again: proof, for a script or a person, that the sheets in hand open
 * this vault for real (the unlock is logged with the custodians and reason).
 */
export async function unlockQuorumCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'share-file': { type: 'string', multiple: true }, reason: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', UNLOCK_USAGE);
  const files = shareFiles(values['share-file'], UNLOCK_USAGE);
  const reason = requireOption(values.reason, 'reason', UNLOCK_USAGE);
  const { texts, custodians } = await checkShareFiles(dir, files);
  const session = await openVaultByQuorum(dir, { shares: texts, reason });
  let summary: QuorumSummary;
  try {
    if (session.insecureFastKdf) {
      ctx.io.err(INSECURE_KDF_WARNING);
    }
    summary = quorumSummary(session, custodians, reason);
  } finally {
    await session.lock();
  }
  if (values.json) {
    printJson(ctx, summary);
    return 0;
  }
  const counts = Object.entries(summary.records.byType).map(([type, n]) => `${String(n)} ${type}${n === 1 ? '' : 's'}`);
  ctx.io.out(
    [
      `Opened vault "${summary.vaultName}" (${summary.vaultId}) as the ${summary.member} (${summary.role}): ${names(custodians)}.`,
      `Records: ${summary.records.total}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}.`,
      `Logged with the custodians and the reason "${summary.reason}". The vault is locked again.`,
    ].join('\n') + '\n',
  );
  return 0;
}

// --- lifeboat kit -----------------------------------------------------------------

const KIT_USAGE = 'lifeboat kit DIR --as NAME --out KIT.pdf [--json] | lifeboat kit DIR --as NAME --fingerprint [--json]';

export async function kitCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, out: { type: 'string' }, fingerprint: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', KIT_USAGE);
  const out = values.out;
  if ((out === undefined) === !values.fingerprint) {
    throw new LifeboatError('CLI_USAGE', `Choose one: --out KIT.pdf prints the kit, --fingerprint prints the vault's fingerprint. Usage: ${KIT_USAGE}`);
  }
  if (out === undefined) {
    // From the header as authenticated by the unlock: what the app shows in Members & settings.
    const result = await withSession(ctx, dir, values, KIT_USAGE, (session) =>
      Promise.resolve({ vaultId: session.vaultId, fingerprint: vaultFingerprint(session.internals().sodium, session.header) }),
    );
    if (values.json) {
      printJson(ctx, result);
    } else {
      ctx.io.out(`${result.fingerprint}\n`);
    }
    return 0;
  }
  if (out.trim() === '') {
    throw new LifeboatError('CLI_USAGE', `--out needs a file name. Usage: ${KIT_USAGE}`);
  }
  const printer = await pdfPrinter(ctx.env);
  // Opened by its absolute path, so the printed page says where the vault is, not where the shell was.
  const result = await withSession(ctx, resolve(dir), values, KIT_USAGE, async (session) => ({
    ...(await exportKit(session, out, printer)),
    fingerprint: vaultFingerprint(session.internals().sodium, session.header),
  }));
  if (values.json) {
    printJson(ctx, { out: result.path, bytes: result.bytes, fingerprint: result.fingerprint });
  } else {
    ctx.io.out(
      `Wrote the emergency kit (${result.bytes} bytes) to ${result.path}. It holds no secret: print it and keep it with the recovery laptop.\n` +
        `Vault fingerprint: ${result.fingerprint}\n`,
    );
  }
  return 0;
}

/**
 * `reveal --second MEMBER`: the reveal with the second person's confirmation.
 * The first member is already unlocked, so a wrong passphrase here is the
 * second person's: say so, or the first would think their own was refused.
 */
export async function revealWithSecond(
  ctx: CliContext,
  session: VaultSession,
  input: { id: string; field: string; reason: string; second: string; passphraseFile: string | undefined },
): Promise<string> {
  const passphrase = await secondPassphraseFrom(ctx.env, input.passphraseFile, ctx.prompt, input.second);
  try {
    return await revealField(session, input.id, input.field, input.reason, { member: input.second, passphrase });
  } catch (error) {
    if (error instanceof LifeboatError && error.code === 'VAULT_AUTH_FAILED') {
      throw new LifeboatError('VAULT_AUTH_FAILED', `Wrong passphrase for ${input.second} (the second person), or no member of that name. Nothing was revealed.`);
    }
    throw error;
  }
}
