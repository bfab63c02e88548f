/**
 * lifeboat audit DIR | audit verify | audit checkpoint | audit export
 */
import { readFile } from 'node:fs/promises';
import { LifeboatError } from '../../../shared/errors.js';
import {
  auditEntries,
  currentCheckpoint,
  exportAudit,
  verifyAuditOnThreads,
  verifyExportedFile as verifyExported,
  verifySince,
  type AuditEntry,
  type AuditEvent,
} from '../../operations/audit.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { defineCommand, defineVerb } from '../verb.js';

/** Every audit verb quotes the whole of it in a usage error. */
const USAGE = `lifeboat audit DIR --as NAME [--json]
       lifeboat audit verify DIR --as NAME [--since CHECKPOINT_FILE] | lifeboat audit verify --export FILE [--fingerprint FP] (audit export, evidence or access report)
       lifeboat audit checkpoint DIR --as NAME
       lifeboat audit export DIR --as NAME --out FILE`;

function describe(event: AuditEvent): string {
  const parts: string[] = [event.type];
  if (event.recordTitle) {
    parts.push(`"${event.recordTitle}"${event.recordId ? ` (${event.recordId})` : ''}`);
  }
  if (event.field) {
    parts.push(`field ${event.field}`);
  }
  if (event.reason) {
    parts.push(`reason: ${event.reason}`);
  }
  if (event.details) {
    parts.push(
      Object.entries(event.details)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' '),
    );
  }
  return parts.join(' — ');
}

function formatEntries(entries: AuditEntry[]): string {
  return entries.map((e) => `#${e.seq}  ${e.time}  ${e.event.actor} (${e.event.role})  ${describe(e.event)}`).join('\n') + '\n';
}

/**
 * `audit verify --export FILE`: an audit export, or a signed evidence report
 * (its `format` says which). Neither needs a vault key; any alteration is
 * AUDIT_BROKEN (exit 4).
 */
async function verifyExportedFile(path: string, json: boolean, ctx: CliContext, fingerprint?: string): Promise<number> {
  const verified = await verifyExported(path, fingerprint);
  const vault = verified.fingerprint ? `vault ${verified.vaultId}, fingerprint ${verified.fingerprint}` : `vault ${verified.vaultId}, no identity key`;
  const compare = fingerprint
    ? 'The vault fingerprint is the one you gave.'
    : verified.fingerprint
      ? "Compare the fingerprint with the emergency kit's (or pass --fingerprint) before trusting it."
      : "This vault predates identity keys: compare its audit keys with the vault's own (lifeboat audit checkpoint) before trusting it.";
  if (verified.kind === 'evidence-report') {
    if (json) {
      printJson(ctx, {
        ok: true,
        kind: 'evidence-report',
        vaultId: verified.vaultId,
        fingerprint: verified.fingerprint,
        sessionId: verified.sessionId,
        scenario: verified.scenario,
        checks: verified.checks,
      });
    } else {
      ctx.io.out(
        `Evidence report verified without any vault key (${vault}; session ${verified.sessionId}: "${verified.scenario}"):\n${verified.checks
          .map((c) => `  ✓ ${c}`)
          .join('\n')}\n${compare}\n`,
      );
    }
    return 0;
  }
  if (verified.kind === 'access-report') {
    const period = `${verified.period.from ?? 'the start of the log'} to ${verified.period.to ?? 'its end'}`;
    if (json) {
      printJson(ctx, { ok: true, ...verified });
    } else {
      ctx.io.out(
        `Access report verified without any vault key (${vault}; ${period}, ${verified.reveals} reveals):\n${verified.checks.map((c) => `  ✓ ${c}`).join('\n')}\n${compare}\n`,
      );
    }
    return 0;
  }
  if (json) {
    printJson(ctx, { ok: true, records: verified.records, checks: verified.checks, vaultId: verified.vaultId, fingerprint: verified.fingerprint });
  } else {
    ctx.io.out(`Export verified without any vault key (${vault}):\n${verified.checks.map((c) => `  ✓ ${c}`).join('\n')}\n${compare}\n`);
  }
  return 0;
}

const auditVerify = defineCommand({
  usage: [
    'audit verify DIR --as NAME [--since CHECKPOINT_FILE]',
    { line: 'audit verify --export FILE [--fingerprint FP]', note: 'an audit export, a signed evidence report or an access report; needs no key' },
  ],
  options: {
    ...COMMON_OPTIONS,
    since: { type: 'string', value: 'CHECKPOINT_FILE', help: 'also prove the log only grew since this checkpoint (from audit checkpoint)' },
    export: { type: 'string', value: 'FILE', help: 'check an audit export or a signed evidence report instead of a vault: no key needed' },
    fingerprint: { type: 'string', value: 'FP', help: "with --export: refuse unless it is from the vault with this fingerprint (the emergency kit's)" },
  },
  async run(ctx, { values, positionals }) {
    if (values.export) {
      return verifyExportedFile(values.export, values.json, ctx, values.fingerprint);
    }
    const dir = requirePositional(positionals, 0, 'the vault folder (or --export FILE)', USAGE);
    let checkpointText: string | undefined;
    if (values.since) {
      try {
        checkpointText = await readFile(values.since, 'utf8');
      } catch {
        throw new LifeboatError('VAULT_BAD_INPUT', `Could not read the checkpoint file ${values.since}.`);
      }
    }
    const { report, since } = await withSession(ctx, dir, values, USAGE, async (session) => ({
      report: await verifyAuditOnThreads(session),
      since: checkpointText === undefined ? undefined : verifySince(session, checkpointText),
    }));
    const checks = [...report.checks];
    if (since) {
      checks.push(`consistent with the checkpoint at ${since.oldSize} records: the log only grew since (RFC 6962 proof, ${since.proofHashes} hashes)`);
    }
    if (values.json) {
      printJson(ctx, { ok: true, records: report.records, checks });
    } else {
      ctx.io.out(`Audit log verified:\n${checks.map((c) => `  ✓ ${c}`).join('\n')}\n`);
    }
    return 0;
  },
});

const auditCheckpoint = defineCommand({
  usage: ['audit checkpoint DIR --as NAME'],
  options: COMMON_OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const note = await withSession(ctx, dir, values, USAGE, (session) => currentCheckpoint(session));
    ctx.io.out(note);
    return 0;
  },
});

const auditExport = defineCommand({
  usage: ['audit export DIR --as NAME --out FILE'],
  options: { ...COMMON_OPTIONS, out: { type: 'string', value: 'FILE', help: 'where the export is written; audit verify --export checks it' } },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const out = requireOption(values.out, 'out', USAGE);
    const result = await withSession(ctx, dir, values, USAGE, (session) => exportAudit(session, out));
    if (values.json) {
      printJson(ctx, { out, records: result.records });
    } else {
      ctx.io.out(`Wrote ${result.records} audit records to ${out}. Check it anywhere with: lifeboat audit verify --export ${out}\n`);
    }
    return 0;
  },
});

export const auditVerb = defineVerb({
  name: 'audit',
  group: 'vault',
  summary: 'read the audit log (who opened what, when and why), verify it, checkpoint it or export it',
  usage: ['audit DIR --as NAME [--json]'],
  options: COMMON_OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const entries = await withSession(ctx, dir, values, USAGE, (session) => Promise.resolve(auditEntries(session)));
    if (values.json) {
      printJson(ctx, entries);
    } else {
      ctx.io.out(formatEntries(entries));
    }
    return 0;
  },
  subcommands: { verify: auditVerify, checkpoint: auditCheckpoint, export: auditExport },
});
