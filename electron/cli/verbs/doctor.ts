/**
 * lifeboat doctor DIR [--as OWNER [--restore GENERATION | --accept-rollback] [--yes]]
 */
import { LifeboatError } from '../../../shared/errors.js';
import { acceptRollback, doctorWithKeys, inspectVault, type DoctorReport } from '../../operations/vault-access.js';
import { COMMON_OPTIONS, printJson, requirePositional, type CliContext } from '../cli-context.js';
import { passphraseFrom } from '../passphrase-input.js';
import { defineVerb } from '../verb.js';

const LINE = 'doctor DIR [--as OWNER [--restore GENERATION | --accept-rollback] --yes [--break-lock]]';
const USAGE = `lifeboat ${LINE}`;

function anchorLines(report: DoctorReport): string[] {
  const { anchor } = report;
  if (!anchor) {
    return ['This laptop has no record of this vault (local anchor): it never opened it, or keeps no state.'];
  }
  return [
    `This laptop last saw (local anchor): header serial ${anchor.headerSerial}, snapshot generation ${anchor.generation}, ${anchor.auditRecords} audit records`,
    ...(anchor.olderOnDisk
      ? [
          `  Older on disk than that: ${anchor.olderOnDisk}.`,
          '  If an owner restored a backup on purpose: lifeboat doctor DIR --as OWNER --accept-rollback --yes (logged).',
        ]
      : []),
  ];
}

function format(report: DoctorReport): string {
  const lines = [
    `Vault ${report.name} (${report.vaultId}), key epoch ${report.keyEpoch}, ${report.members} member(s)${report.insecureFastKdf ? ', INSECURE TEST KDF' : ''}`,
    `Audit log: ${report.auditRecords < 0 ? 'missing or unreadable' : `${report.auditRecords} records`}`,
    'Snapshots (newest first):',
    ...report.generations.map(
      (g) =>
        `  generation ${g.generation}  ${g.status.padEnd(11)} ${g.bytes} bytes${g.savedAt ? `  saved ${g.savedAt} by ${g.savedBy ?? '?'}` : ''}${g.detail ? `  — ${g.detail}` : ''}`,
    ),
    ...anchorLines(report),
  ];
  return `${lines.join('\n')}\n`;
}

/** --restore and --accept-rollback change what the vault is: confirmed by --yes, or typed at a terminal. */
async function confirm(ctx: CliContext, yes: boolean | undefined, what: string, word: string): Promise<void> {
  if (yes) {
    return;
  }
  if (!ctx.prompt.isTty) {
    throw new LifeboatError('CLI_USAGE', `${what}: confirm with --yes.`);
  }
  const answer = await ctx.prompt.readHidden(`${what}. Type "${word}" to confirm: `);
  if (answer.trim() !== word) {
    throw new LifeboatError('CLI_USAGE', 'Not confirmed; nothing was changed.');
  }
}

export const doctorVerb = defineVerb({
  name: 'doctor',
  group: 'vault',
  summary:
    "what is on disk: the vault's snapshots and audit log, and what this laptop last saw of it; an owner can restore an earlier snapshot or accept a restored backup",
  usage: [LINE],
  options: {
    ...COMMON_OPTIONS,
    as: { type: 'string', value: 'OWNER', help: 'an owner: checks each snapshot with the keys (needed for --restore and --accept-rollback)' },
    restore: { type: 'string', value: 'GENERATION', help: 'make this snapshot the newest again (logged)' },
    'accept-rollback': {
      type: 'boolean',
      help: 'accept that the vault is older than this laptop last saw it, because an owner restored a backup on purpose (logged with what went backwards)',
    },
    yes: { type: 'boolean', help: 'confirm --restore or --accept-rollback without a prompt' },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const accept = values['accept-rollback'];
    let report: DoctorReport;
    if (values.as === undefined) {
      if (values.restore !== undefined || accept) {
        throw new LifeboatError('CLI_USAGE', `${accept ? 'Accepting a rollback' : 'Restoring'} needs an owner: ${USAGE}`);
      }
      if (values['break-lock']) {
        throw new LifeboatError('CLI_USAGE', `--break-lock is logged, so it needs an owner and --restore or --accept-rollback: ${USAGE}`);
      }
      report = await inspectVault(dir);
    } else {
      const restore = values.restore === undefined ? undefined : Number(values.restore);
      if (restore !== undefined && accept) {
        throw new LifeboatError('CLI_USAGE', `--restore and --accept-rollback are two separate repairs: run one, then the other. ${USAGE}`);
      }
      if (values['break-lock'] && restore === undefined && !accept) {
        throw new LifeboatError(
          'CLI_USAGE',
          `--break-lock is logged, so the doctor takes it only with --restore or --accept-rollback (any other command that unlocks the vault takes it too): ${USAGE}`,
        );
      }
      if (restore !== undefined && !Number.isSafeInteger(restore)) {
        throw new LifeboatError('CLI_USAGE', `--restore ${values.restore}: expected a generation number.`);
      }
      if (restore !== undefined) {
        await confirm(ctx, values.yes, `Restoring generation ${restore} replaces the current database`, 'restore');
      }
      if (accept) {
        await confirm(ctx, values.yes, 'Accepting a rollback makes this laptop trust the older files on disk', 'accept');
      }
      const passphrase = await passphraseFrom(ctx.env, values['passphrase-file'], ctx.prompt, values.as);
      const input = { member: values.as, passphrase, breakLock: values['break-lock'] };
      if (accept) {
        const { accepted } = await acceptRollback(dir, input);
        report = await inspectVault(dir);
        if (values.json) {
          printJson(ctx, { ...report, rollbackAccepted: accepted });
          return 0;
        }
        ctx.io.out(
          accepted
            ? `Accepted: ${accepted}. This laptop now follows the vault as it is on disk; the acceptance is in the audit log.\n`
            : 'Nothing on disk is older than this laptop last saw: there was nothing to accept, and no acceptance was logged.\n',
        );
      } else {
        report = await doctorWithKeys(dir, { ...input, ...(restore === undefined ? {} : { restore }) });
        if (restore !== undefined && !values.json) {
          ctx.io.out(`Restored generation ${restore} as the newest snapshot; the restore is in the audit log.\n`);
        }
      }
    }
    if (values.json) {
      printJson(ctx, report);
    } else {
      ctx.io.out(format(report));
    }
    return 0;
  },
});
