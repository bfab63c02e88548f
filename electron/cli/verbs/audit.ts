/**
 * lifeboat audit DIR | audit verify | audit checkpoint | audit export | audit collect
 */
import { readFile } from 'node:fs/promises';
import { LifeboatError } from '../../../shared/errors.js';
import {
  auditEntries,
  currentCheckpoint,
  verifyAuditOnThreads,
  verifyExportedFile as verifyExported,
  verifySince,
  type AuditEntry,
  type AuditEvent,
} from '../../operations/audit.js';
import {
  collectAuditExports,
  exportAuditAs,
  parseExportFormat,
  parseTimeBound,
  verifySiemFile,
  SUMMARY_FILE,
  TIMELINE_FILE,
} from '../../operations/audit-formats.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { defineCommand, defineVerb } from '../verb.js';

/** Every audit verb quotes the whole of it in a usage error. */
const USAGE = `lifeboat audit DIR --as NAME [--json]
       lifeboat audit verify DIR --as NAME [--since CHECKPOINT_FILE] | lifeboat audit verify --export FILE [--fingerprint FP] [--siem FILE] (audit export, evidence or access report)
       lifeboat audit checkpoint DIR --as NAME
       lifeboat audit export DIR --as NAME [--format lifeboat|jsonl|ocsf|cef] [--from T] [--to T] --out FILE
       lifeboat audit collect EXPORT... [--fingerprint FP]... [--max-gap DAYS] --out FOLDER [--sign-with DIR --as NAME]`;

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
  if (verified.kind === 'collection') {
    const signer = verified.summary.signed ? `${verified.summary.signer.member} of ${verified.summary.signer.vaultName}` : '';
    const pinned = fingerprint
      ? 'The signer vault is the one whose fingerprint you gave.'
      : `Signed by ${signer}, vault fingerprint ${verified.fingerprint ?? 'none (no identity key)'}: pass --fingerprint with the fingerprint you know for it before trusting it.`;
    if (json) {
      printJson(ctx, { ok: true, kind: 'collection', fingerprint: verified.fingerprint, checks: verified.checks, summary: verified.summary });
    } else {
      ctx.io.out(
        `Collection summary verified (${verified.summary.inputs.length} export(s) of ${verified.summary.vaults.length} vault(s), ${verified.summary.gaps.length} gap(s)):\n${verified.checks
          .map((c) => `  ✓ ${c}`)
          .join('\n')}\n${pinned}\nEach export it names can be checked with sha256sum and audit verify --export.\n`,
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
    {
      line: 'audit verify --export FILE [--fingerprint FP]',
      note: 'an audit export, a signed evidence report, an access report or a collection summary (with its timeline); needs no key',
    },
    { line: 'audit verify --export SIGNED.json --siem FILE', note: 'every line of a JSON Lines, OCSF or CEF copy matches the signed export' },
  ],
  options: {
    ...COMMON_OPTIONS,
    since: { type: 'string', value: 'CHECKPOINT_FILE', help: 'also prove the log only grew since this checkpoint (from audit checkpoint)' },
    export: { type: 'string', value: 'FILE', help: 'check an audit export or a signed evidence report instead of a vault: no key needed' },
    fingerprint: { type: 'string', value: 'FP', help: "with --export: refuse unless it is from the vault with this fingerprint (the emergency kit's)" },
    siem: { type: 'string', value: 'FILE', help: 'with --export: check a SIEM copy (JSON Lines, OCSF or CEF) line by line against the signed export' },
  },
  async run(ctx, { values, positionals }) {
    if (values.siem) {
      const signed = requireOption(values.export, 'export', USAGE);
      return verifySiem(signed, values.siem, values.json, ctx, values.fingerprint);
    }
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

/** `audit verify --export SIGNED --siem FILE`: exit 4 (AUDIT_BROKEN) names the first line that differs. */
async function verifySiem(signed: string, siem: string, json: boolean, ctx: CliContext, fingerprint?: string): Promise<number> {
  const report = await verifySiemFile(signed, siem, fingerprint);
  if (json) {
    printJson(ctx, { ok: true, ...report });
    return 0;
  }
  const range = report.seqRange ? `seq ${report.seqRange[0]}–${report.seqRange[1]}` : 'no records';
  const lines = [
    `${siem} (${report.format}, ${report.lines} lines, ${range}) matches the signed export ${signed} (vault ${report.vaultId}, fingerprint ${report.fingerprint ?? 'none'}):`,
    `  ✓ ${report.matched} lines are exactly the events with their sequence numbers in the export`,
  ];
  if (report.notCovered > 0) {
    lines.push(`  – ${report.notCovered} lines are newer than the export (seq ${report.exportRecords} and above): not covered, export again to check them`);
  }
  if (report.missing.length > 0) {
    const first = report.missing.slice(0, 10).join(', ');
    lines.push(
      `  ! ${report.missing.length} events of the export within that range are not in the SIEM copy (seq ${first}${report.missing.length > 10 ? ', …' : ''})`,
    );
  }
  ctx.io.out(`${lines.join('\n')}\n`);
  return 0;
}

const auditExport = defineCommand({
  usage: ['audit export DIR --as NAME [--format lifeboat|jsonl|ocsf|cef] [--from T] [--to T] --out FILE'],
  options: {
    ...COMMON_OPTIONS,
    out: { type: 'string', value: 'FILE', help: 'where the export is written; audit verify --export checks it' },
    format: { type: 'string', value: 'F', help: 'lifeboat (the signed export, default), jsonl, ocsf (1.1.0) or cef: docs/audit-formats.md' },
    from: { type: 'string', value: 'T', help: 'SIEM formats: only events at or after T (2026-10-01 or 2026-10-01T09:30:00Z, UTC)' },
    to: { type: 'string', value: 'T', help: 'SIEM formats: only events at or before T (a date alone: the whole day)' },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const out = requireOption(values.out, 'out', USAGE);
    const format = parseExportFormat(values.format);
    const range = {
      ...(values.from === undefined ? {} : { from: parseTimeBound(values.from, 'from') }),
      ...(values.to === undefined ? {} : { to: parseTimeBound(values.to, 'to') }),
    };
    const result = await withSession(ctx, dir, values, USAGE, (session) => exportAuditAs(session, out, format, range));
    if (values.json) {
      printJson(ctx, { out, format, records: result.records });
    } else if (format === 'lifeboat') {
      ctx.io.out(`Wrote ${result.records} audit records to ${out}. Check it anywhere with: lifeboat audit verify --export ${out}\n`);
    } else {
      ctx.io.out(
        `Wrote ${result.records} ${format} lines to ${out}. The signed export stays the evidence of record: match this copy to one with lifeboat audit verify --export SIGNED.json --siem ${out}\n`,
      );
    }
    return 0;
  },
});

const auditCollect = defineCommand({
  usage: ['audit collect EXPORT... [--fingerprint FP]... [--max-gap DAYS] --out FOLDER [--sign-with DIR --as NAME]'],
  options: {
    ...COMMON_OPTIONS,
    out: { type: 'string', value: 'FOLDER', help: `where ${TIMELINE_FILE} (the merged timeline) and ${SUMMARY_FILE} (the summary) go` },
    'sign-with': {
      type: 'string',
      value: 'DIR',
      help: 'sign the summary as --as, a full member of the vault in DIR (passphrase as for other verbs); without it the summary is unsigned',
    },
    fingerprint: { type: 'string', value: 'FP', multiple: true, help: 'refuse any export not from one of these vaults (repeat per vault)' },
    'max-gap': { type: 'string', value: 'DAYS', help: 'report a laptop with no export for longer than this (default 31)' },
  },
  async run(ctx, { values, positionals }) {
    requirePositional(positionals, 0, 'at least one audit export', USAGE);
    const out = requireOption(values.out, 'out', USAGE);
    const maxGap = values['max-gap'] === undefined ? 31 : Number(values['max-gap']);
    if (!Number.isInteger(maxGap) || maxGap < 1) {
      throw new LifeboatError('VAULT_BAD_INPUT', `--max-gap ${values['max-gap'] ?? ''} is not a whole number of days (1 or more).`);
    }
    const options = { pins: values.fingerprint ?? [], maxGapDays: maxGap };
    const signWith = values['sign-with'];
    if (signWith === undefined && values.as !== undefined) {
      throw new LifeboatError('CLI_USAGE', `--as names who signs the summary: give --sign-with DIR too. Usage: ${USAGE}`);
    }
    const summary =
      signWith === undefined
        ? await collectAuditExports(positionals, out, options)
        : await withSession(ctx, signWith, values, USAGE, (signer) => collectAuditExports(positionals, out, { ...options, signer }));
    if (!summary.signed) {
      // Loud, on stderr, even with --json: an unsigned summary is not evidence.
      ctx.io.err(
        `warning: ${out}/${SUMMARY_FILE} is NOT signed (no --sign-with): it is a hash manifest anyone who can write to the folder could replace, and audit verify refuses it. Sign it as a full member of a vault you hold: --sign-with DIR --as NAME.\n`,
      );
    }
    if (values.json) {
      printJson(ctx, summary);
      return 0;
    }
    const lines = summary.vaults.map(
      (v) =>
        `  ${v.device}: fingerprint ${v.fingerprint ?? 'none (no identity key)'}, ${v.exports} export(s), ${v.records} records${v.consistency.map((c) => `\n    ✓ ${c}`).join('')}`,
    );
    const pinned =
      (values.fingerprint ?? []).length > 0
        ? 'every export is from a vault whose fingerprint you gave'
        : 'compare each fingerprint with the emergency kit (or pass --fingerprint)';
    ctx.io.out(
      [
        `Collected ${summary.inputs.length} verified export(s) of ${summary.vaults.length} vault(s) (${pinned}):`,
        ...lines,
        ...(summary.gaps.length > 0 ? ['Gaps:', ...summary.gaps.map((g) => `  ! ${g}`)] : ['No gaps.']),
        ...summary.warnings.map((w) => `warning: ${w}`),
        summary.signed
          ? `Wrote ${summary.timeline.lines} events to ${out}/${TIMELINE_FILE} and the summary ${out}/${SUMMARY_FILE}, signed by ${summary.signer.member} of ${summary.signer.vaultName}. Check both with: lifeboat audit verify --export ${out}/${SUMMARY_FILE} --fingerprint FP`
          : `Wrote ${summary.timeline.lines} events to ${out}/${TIMELINE_FILE} and the unsigned hash manifest ${out}/${SUMMARY_FILE}.`,
      ].join('\n') + '\n',
    );
    return 0;
  },
});

export const auditVerb = defineVerb({
  name: 'audit',
  group: 'vault',
  summary: 'read the audit log (who opened what, when and why), verify it, checkpoint it, export it (signed, or for a SIEM) or collect exports',
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
  subcommands: { verify: auditVerify, checkpoint: auditCheckpoint, export: auditExport, collect: auditCollect },
});
