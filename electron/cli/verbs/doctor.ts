/**
 * lifeboat doctor DIR [--as OWNER [--restore GENERATION] [--yes]]
 */
import { LifeboatError } from '../../../shared/errors.js';
import { doctorWithKeys, inspectVault, type DoctorReport } from '../../operations/vault-access.js';
import { COMMON_OPTIONS, printJson, requirePositional } from '../cli-context.js';
import { passphraseFrom } from '../passphrase-input.js';
import { defineVerb } from '../verb.js';

const LINE = 'doctor DIR [--as OWNER [--restore GENERATION --yes [--break-lock]]]';
const USAGE = `lifeboat ${LINE}`;

function format(report: DoctorReport): string {
  const lines = [
    `Vault ${report.name} (${report.vaultId}), key epoch ${report.keyEpoch}, ${report.members} member(s)${report.insecureFastKdf ? ', INSECURE TEST KDF' : ''}`,
    `Audit log: ${report.auditRecords < 0 ? 'missing or unreadable' : `${report.auditRecords} records`}`,
    'Snapshots (newest first):',
    ...report.generations.map(
      (g) =>
        `  generation ${g.generation}  ${g.status.padEnd(11)} ${g.bytes} bytes${g.savedAt ? `  saved ${g.savedAt} by ${g.savedBy ?? '?'}` : ''}${g.detail ? `  — ${g.detail}` : ''}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export const doctorVerb = defineVerb({
  name: 'doctor',
  group: 'vault',
  summary: "what is on disk: the vault's snapshots and audit log; an owner can restore an earlier snapshot",
  usage: [LINE],
  options: {
    ...COMMON_OPTIONS,
    as: { type: 'string', value: 'OWNER', help: 'an owner: checks each snapshot with the keys (needed for --restore)' },
    restore: { type: 'string', value: 'GENERATION', help: 'make this snapshot the newest again (logged)' },
    yes: { type: 'boolean', help: 'confirm --restore without a prompt' },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    let report: DoctorReport;
    if (values.as === undefined) {
      if (values.restore !== undefined) {
        throw new LifeboatError('CLI_USAGE', `Restoring needs an owner: ${USAGE}`);
      }
      if (values['break-lock']) {
        throw new LifeboatError('CLI_USAGE', `--break-lock is logged, so it needs an owner and --restore: ${USAGE}`);
      }
      report = await inspectVault(dir);
    } else {
      const restore = values.restore === undefined ? undefined : Number(values.restore);
      if (values['break-lock'] && restore === undefined) {
        throw new LifeboatError(
          'CLI_USAGE',
          `--break-lock is logged, so the doctor takes it only with --restore (any other command that unlocks the vault takes it too): ${USAGE}`,
        );
      }
      if (restore !== undefined && !Number.isSafeInteger(restore)) {
        throw new LifeboatError('CLI_USAGE', `--restore ${values.restore}: expected a generation number.`);
      }
      if (restore !== undefined && !values.yes) {
        if (!ctx.prompt.isTty) {
          throw new LifeboatError('CLI_USAGE', `Restoring generation ${restore} replaces the current database: confirm with --yes.`);
        }
        const answer = await ctx.prompt.readHidden(`Restore generation ${restore} as the current database? Type "restore" to confirm: `);
        if (answer.trim() !== 'restore') {
          throw new LifeboatError('CLI_USAGE', 'Not confirmed; nothing was changed.');
        }
      }
      const passphrase = await passphraseFrom(ctx.env, values['passphrase-file'], ctx.prompt, values.as);
      report = await doctorWithKeys(dir, {
        member: values.as,
        passphrase,
        breakLock: values['break-lock'],
        ...(restore === undefined ? {} : { restore }),
      });
      if (restore !== undefined && !values.json) {
        ctx.io.out(`Restored generation ${restore} as the newest snapshot; the restore is in the audit log.\n`);
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
