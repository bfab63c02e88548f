/**
 * lifeboat audit [verify|checkpoint|export]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { LifeboatError } from '../../../shared/errors.js';
import type { AuditEvent } from '../../vault/audit/audit-log.js';
import { isReportDocument, verifySignedReport } from '../../recovery/report-signing.js';
import { loadSodium } from '../../vault/keys/crypto-runtime.js';
import { auditEntries, currentCheckpoint, exportAudit, readJsonFile, verifyAudit, verifyExportDocument, verifySince, type AuditEntry } from '../../vault/audit/vault-audit.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';

const USAGE = `lifeboat audit DIR --as NAME [--json]
       lifeboat audit verify DIR --as NAME [--since CHECKPOINT_FILE] | lifeboat audit verify --export FILE (audit export or evidence report)
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
    parts.push(Object.entries(event.details).map(([k, v]) => `${k}=${String(v)}`).join(' '));
  }
  return parts.join(' — ');
}

function formatEntries(entries: AuditEntry[]): string {
  return entries.map((e) => `#${e.seq}  ${e.time}  ${e.event.actor} (${e.event.role})  ${describe(e.event)}`).join('\n') + '\n';
}

export async function auditCommand(args: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = args;
  if (first === 'verify') {
    return verifyCommand(rest, ctx);
  }
  if (first === 'checkpoint') {
    return checkpointCommand(rest, ctx);
  }
  if (first === 'export') {
    return exportCommand(rest, ctx);
  }
  const { values, positionals } = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
  const entries = await withSession(ctx, dir, values, USAGE, (session) => Promise.resolve(auditEntries(session)));
  if (values.json) {
    printJson(ctx, entries);
  } else {
    ctx.io.out(formatEntries(entries));
  }
  return 0;
}

async function verifyCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, since: { type: 'string' }, export: { type: 'string' } },
    allowPositionals: true,
  });
  if (values.export) {
    return verifyExportedFile(values.export, values.json, ctx);
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
  const { report, since } = await withSession(ctx, dir, values, USAGE, (session) =>
    Promise.resolve({ report: verifyAudit(session), since: checkpointText === undefined ? undefined : verifySince(session, checkpointText) }),
  );
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
}

/**
 * `audit verify --export FILE`: an audit export, or a signed evidence report
 * (its `format` says which). Neither needs a vault key; any alteration is
 * AUDIT_BROKEN (exit 4).
 */
async function verifyExportedFile(path: string, json: boolean, ctx: CliContext): Promise<number> {
  const doc = await readJsonFile(path);
  if (isReportDocument(doc)) {
    const verified = verifySignedReport(await loadSodium(), doc, path);
    if (json) {
      printJson(ctx, { ok: true, kind: 'evidence-report', vaultId: verified.vaultId, sessionId: verified.sessionId, scenario: verified.scenario, checks: verified.checks });
    } else {
      ctx.io.out(
        `Evidence report verified without any vault key (vault ${verified.vaultId}, session ${verified.sessionId}: "${verified.scenario}"):\n${verified.checks
          .map((c) => `  ✓ ${c}`)
          .join('\n')}\nCompare the vault id and key with the vault's own (lifeboat audit checkpoint) before trusting it.\n`,
      );
    }
    return 0;
  }
  const report = verifyExportDocument(await loadSodium(), doc, path);
  if (json) {
    printJson(ctx, { ok: true, records: report.records, checks: report.checks, vaultId: report.vaultId });
  } else {
    ctx.io.out(`Export verified without any vault key (vault ${report.vaultId}):\n${report.checks.map((c) => `  ✓ ${c}`).join('\n')}\n`);
  }
  return 0;
}

async function checkpointCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
  const note = await withSession(ctx, dir, values, USAGE, (session) => currentCheckpoint(session));
  ctx.io.out(note);
  return 0;
}

async function exportCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, out: { type: 'string' } }, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
  const out = requireOption(values.out, 'out', USAGE);
  const result = await withSession(ctx, dir, values, USAGE, (session) => exportAudit(session, out));
  if (values.json) {
    printJson(ctx, { out, records: result.records });
  } else {
    ctx.io.out(`Wrote ${result.records} audit records to ${out}. Check it anywhere with: lifeboat audit verify --export ${out}\n`);
  }
  return 0;
}
