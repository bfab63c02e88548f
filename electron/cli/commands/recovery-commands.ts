/**
 * lifeboat plan | readiness | session start/list/show/step/check/note/end/report/rotated
 *
 * Thin over the recovery engine (electron/recovery/): every decision (waves,
 * breaches, risk, who may tick what) is the engine's; this file parses the
 * command line and writes what a person needs to read at 3 a.m. Steps and
 * checks are numbered from 1 here, as `session show` lists them; the engine
 * counts from 0.
 */
import { parseArgs } from 'node:util';
import { LifeboatError } from '../../../shared/errors.js';
import {
  REPORT_FORMATS,
  SESSION_KINDS,
  type EvidenceReport,
  type Finding,
  type JournalKind,
  type PlanService,
  type RecoveryPlan,
  type RecoverySession,
  type ReadinessReview,
  type ReportFormat,
  type RotationItem,
  type SessionKind,
  type SessionService,
  type Severity,
} from '../../../shared/recovery.js';
import { markRotated, sessionReport } from '../../recovery/evidence-report.js';
import { addJournal, endSession, getSession, listSessions, markStep, recordCheck, serviceOf, startSession } from '../../recovery/recovery-sessions.js';
import { planOf, readinessOf } from '../../recovery/recovery-views.js';
import { exportReport } from '../../recovery/report-export.js';
import { reportMarkdown } from '../../recovery/report-render.js';
import type { VaultSession } from '../../vault/vault-session.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession, type CliContext } from '../cli-context.js';
import { serviceList } from '../option-values.js';
import { minutes, plural, shellWord, time } from '../output-format.js';
import { pdfPrinter } from '../pdf-output.js';

/** "--step 2" → 1 (the engine's index). */
function oneBased(value: string | undefined, option: string, usage: string): number {
  const text = requireOption(value, option, usage);
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new LifeboatError('CLI_USAGE', `--${option} ${text}: expected a number from 1, as \`lifeboat session show\` lists them.`);
  }
  return Number(text) - 1;
}

// --- lifeboat plan ------------------------------------------------------------

const PLAN_USAGE = 'lifeboat plan DIR --as NAME [--services A,B] [--fail-on-breach] [--json]';

function breachLine(service: PlanService): string {
  return `RTO not achievable on paper: ${service.title} back after ${service.lowerBound ? 'at least ' : ''}${minutes(service.finishMinute)}, RTO ${minutes(service.rtoMinutes ?? 0)}`;
}

export function formatPlan(plan: RecoveryPlan): string {
  const all = plan.waves.flatMap((wave) => wave.services);
  if (all.length === 0) {
    return 'The vault has no services yet, so there is nothing to plan. Add them with `lifeboat add --type service` or sync a catalog.\n';
  }
  const lines: string[] = [];
  const asked = plan.scope.map((id) => all.find((s) => s.id === id)?.title ?? id);
  lines.push(
    asked.length === 0
      ? `Recovery plan for every service (${plural(all.length, 'service')}, ${plural(plan.waves.length, 'wave')}):`
      : `Recovery plan for ${asked.join(', ')} and what ${asked.length === 1 ? 'it needs' : 'they need'} (${plural(all.length, 'service')}, ${plural(plan.waves.length, 'wave')}):`,
    '',
  );
  for (const wave of plan.waves) {
    const names = wave.services.map((s) => s.title).join(', ');
    lines.push(`Wave ${wave.index + 1}${wave.services.length > 1 ? ' (in parallel)' : ''}: ${names}`);
  }
  lines.push('');

  const path = plan.criticalPath.services;
  if (path.length === 0 || path.every((s) => s.estimatedMinutes === null)) {
    lines.push('Critical path: unknown, no runbook in this plan gives a time estimate.');
  } else {
    const steps = path.map((s) => (s.estimatedMinutes === null ? `${s.title} (no estimate)` : `${s.title} ${minutes(s.estimatedMinutes)}`));
    // A lower bound when a service on it, or anything the last one waits for, has no estimate.
    const last = all.find((s) => s.id === path[path.length - 1]?.id);
    const partial = last?.lowerBound === true || path.some((s) => s.estimatedMinutes === null);
    lines.push(`Critical path: ${steps.join(' → ')} = ${partial ? 'at least ' : ''}${minutes(plan.criticalPath.minutes)} on paper`);
  }
  lines.push('');

  if (plan.breaches.length === 0) {
    const noRto = all.filter((s) => s.rtoMinutes === null).length;
    lines.push(
      noRto === all.length
        ? 'No service in this plan has an RTO, so none can be checked.'
        : `Every RTO is achievable on paper${noRto > 0 ? ` (${plural(noRto, 'service has', 'services have')} no RTO to check)` : ''}.`,
    );
  } else {
    lines.push(...plan.breaches.map(breachLine));
  }

  if (plan.unestimated.length > 0) {
    lines.push('', `No time estimate (counted as 0 min, so what follows them is a lower bound): ${plan.unestimated.map((s) => s.title).join(', ')}`);
  }
  if (plan.missing.length > 0) {
    lines.push('', 'Missing dependencies (not services in this vault, so not in the plan):');
    lines.push(...plan.missing.map((m) => `  ${m.serviceTitle} → ${m.ref}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Exit 0 whatever the plan says: a breach is information about the catalog,
 * not a failure of the command. --fail-on-breach makes it exit 1, for the
 * catalog repository's CI.
 */
export async function planCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, services: { type: 'string', multiple: true }, 'fail-on-breach': { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const dir = requirePositional(positionals, 0, 'the vault folder', PLAN_USAGE);
  if (positionals.length > 1) {
    throw new LifeboatError('CLI_USAGE', `Unexpected "${positionals[1] ?? ''}": name services with --services A,B. Usage: ${PLAN_USAGE}`);
  }
  const services = serviceList(values.services);
  if (values.services !== undefined && services.length === 0) {
    throw new LifeboatError('CLI_USAGE', `--services needs at least one service id or title. Usage: ${PLAN_USAGE}`);
  }
  const plan = await withSession(ctx, dir, values, PLAN_USAGE, (session) => Promise.resolve(planOf(session, services)));
  if (values.json) {
    printJson(ctx, plan);
  } else {
    ctx.io.out(formatPlan(plan));
  }
  if (values['fail-on-breach'] && plan.breaches.length > 0) {
    ctx.io.err(`lifeboat: ${plural(plan.breaches.length, 'RTO is', 'RTOs are')} not achievable on paper (--fail-on-breach).\n`);
    return 1;
  }
  return 0;
}

// --- lifeboat readiness -------------------------------------------------------

const READINESS_USAGE = 'lifeboat readiness DIR --as NAME [--stale-days N] [--json]';

function severityLabel(severity: Severity): string {
  return severity.toUpperCase().padEnd(8);
}

function findingLines(findings: readonly Finding[], indent: string): string[] {
  return findings.map((f) => `${indent}${severityLabel(f.severity)}  ${f.message}`);
}

export function formatReadiness(review: ReadinessReview): string {
  const lines: string[] = [];
  if (review.vault.length > 0) {
    lines.push('Vault-wide:', ...findingLines(review.vault, '  '), '');
  }
  if (review.services.length === 0) {
    lines.push('The vault has no services yet. Add them with `lifeboat add --type service` or sync a catalog.');
  } else {
    lines.push('Services, highest risk first:', '');
  }
  review.services.forEach((s, i) => {
    const facts = [
      s.tier === null ? 'no tier' : `tier ${s.tier}`,
      s.owner === null ? 'no owner' : `owner ${s.owner}`,
      s.rtoMinutes === null ? 'no RTO' : `RTO ${minutes(s.rtoMinutes)}`,
    ];
    if (s.measuredMinutes !== null) {
      facts.push(`last measured ${minutes(s.measuredMinutes)}`);
    }
    lines.push(`${i + 1}. ${s.title} — risk ${s.score} (${facts.join(', ')})`);
    lines.push(...(s.findings.length === 0 ? ['   no findings'] : findingLines(s.findings, '   ')));
  });
  const worst = (severity: Severity | null): number => review.services.filter((s) => s.worst === severity).length;
  lines.push(
    '',
    `Summary: ${plural(review.services.length, 'service')} reviewed, by worst finding: ${worst('critical')} critical, ${worst('high')} high, ${worst('medium')} medium, ${worst('low')} low, ${worst(null)} with none; ${plural(review.vault.length, 'vault-wide finding')}; runbooks stale after ${review.staleDays} days.`,
  );
  return `${lines.join('\n')}\n`;
}

export async function readinessCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, 'stale-days': { type: 'string' } }, allowPositionals: true });
  const dir = requirePositional(positionals, 0, 'the vault folder', READINESS_USAGE);
  let staleDays: number | undefined;
  if (values['stale-days'] !== undefined) {
    const text = values['stale-days'];
    staleDays = Number(text);
    // The same bounds the app's readiness channel accepts.
    if (!/^\d+$/.test(text) || staleDays < 1 || staleDays > 3650) {
      throw new LifeboatError('CLI_USAGE', `--stale-days ${text}: expected a whole number of days from 1 to 3650.`);
    }
  }
  const review = await withSession(ctx, dir, values, READINESS_USAGE, (session) => Promise.resolve(readinessOf(session, { staleDays })));
  if (values.json) {
    printJson(ctx, review);
  } else {
    ctx.io.out(formatReadiness(review));
  }
  return 0;
}

// --- lifeboat session ---------------------------------------------------------

/** One line per verb: a usage error quotes only the verb's own line, so it stays one line on stderr. */
const VERB_USAGE = {
  start: 'lifeboat session start DIR --as NAME --kind exercise|incident --scenario TEXT --services A,B [--json]',
  list: 'lifeboat session list DIR --as NAME [--json]',
  show: 'lifeboat session show DIR --as NAME --id ID [--json]',
  step: 'lifeboat session step DIR --as NAME --id ID --service S --step N [--undo] [--json]',
  check: 'lifeboat session check DIR --as NAME --id ID --service S --check N --pass|--fail [--note TEXT] [--json]',
  note: 'lifeboat session note DIR --as NAME --id ID [--service S] [--blocker|--unblocked] TEXT [--json]',
  end: 'lifeboat session end DIR --as NAME --id ID [--json]',
  report: 'lifeboat session report DIR --as NAME --id ID [--format markdown|pdf|json] [--out FILE] [--json]',
  rotated: 'lifeboat session rotated DIR --as NAME --id ID --secret RECORD_ID_OR_TITLE [--json]',
} as const;

function kindLabel(kind: SessionKind): string {
  return kind === 'incident' ? 'Incident' : 'Exercise';
}

function serviceHeading(service: SessionService): string {
  const facts = [
    service.rtoMinutes === null ? 'no RTO' : `RTO ${minutes(service.rtoMinutes)}`,
    service.estimatedMinutes === null ? 'no estimate' : `estimate ${minutes(service.estimatedMinutes)}`,
  ];
  const useful = service.usefulAt === undefined ? '' : `  — USEFUL after ${minutes(service.usefulMinutes ?? 0)} (${time(service.usefulAt)})`;
  return `  ${service.title}  (${service.id}; ${facts.join(', ')})${useful}`;
}

function checklistLines(service: SessionService): string[] {
  const lines: string[] = [];
  if (service.steps.length === 0 && service.checks.length === 0) {
    lines.push('    (no runbook steps or validation checks: nothing to tick)');
  }
  service.steps.forEach((step, i) => {
    const done = step.at === undefined ? '' : `  — done by ${step.by ?? '?'} at ${time(step.at)}`;
    lines.push(`    step ${i + 1}   [${step.at === undefined ? ' ' : 'x'}] ${step.text}${done}`);
  });
  service.checks.forEach((check, i) => {
    const state = check.passedAt !== undefined ? 'passed' : check.failures.length > 0 ? 'FAILED' : 'not yet';
    const passed = check.passedAt === undefined ? '' : `  — passed, ${check.passedBy ?? '?'} at ${time(check.passedAt)}`;
    lines.push(`    check ${i + 1}  [${state}] ${check.text}${passed}`);
    for (const failure of check.failures) {
      lines.push(`             failed, ${failure.by} at ${time(failure.at)}: ${failure.note}`);
    }
  });
  return lines;
}

export function formatSession(recovery: RecoverySession, hint?: { dir: string; member: string }): string {
  const useful = recovery.services.filter((s) => s.usefulAt !== undefined).length;
  const status =
    recovery.status === 'active'
      ? `ACTIVE since ${time(recovery.startedAt)} (started by ${recovery.startedBy})`
      : `ended ${time(recovery.endedAt ?? '')} by ${recovery.endedBy ?? '?'} (started ${time(recovery.startedAt)} by ${recovery.startedBy})`;
  const lines = [
    `${kindLabel(recovery.kind)} ${recovery.id}: "${recovery.scenario}"`,
    `${status}; ${useful} of ${plural(recovery.services.length, 'service')} useful again.`,
  ];
  let wave = -1;
  for (const service of recovery.services) {
    if (service.wave !== wave) {
      wave = service.wave;
      const inWave = recovery.services.filter((s) => s.wave === wave).length;
      lines.push('', `Wave ${wave + 1}${inWave > 1 ? ' (in parallel)' : ''}`);
    }
    lines.push(serviceHeading(service), ...checklistLines(service));
  }
  if (recovery.missing.length > 0) {
    lines.push('', 'Missing dependencies (not in this vault, so not in the checklist):');
    lines.push(...recovery.missing.map((m) => `  ${m.serviceTitle} → ${m.ref}`));
  }
  if (recovery.journal.length > 0) {
    lines.push('', 'Journal:');
    for (const entry of recovery.journal) {
      const about = entry.serviceId === undefined ? '' : ` (${recovery.services.find((s) => s.id === entry.serviceId)?.title ?? entry.serviceId})`;
      const kind = entry.kind === 'note' ? 'note' : entry.kind.toUpperCase();
      lines.push(`  ${time(entry.at)}  ${entry.by}  ${kind}${about}: ${entry.text}`);
    }
  }
  if (hint && recovery.status === 'active') {
    const base = `lifeboat session %s ${shellWord(hint.dir)} --as ${shellWord(hint.member)} --id ${recovery.id}`;
    lines.push(
      '',
      `Tick a step:     ${base.replace('%s', 'step')} --service SERVICE --step N`,
      `Record a check:  ${base.replace('%s', 'check')} --service SERVICE --check N --pass   (or --fail --note "what you saw")`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The session's service a person named (id, title or entity ref), as its id: the engine resolves and refuses ambiguity. */
function sessionServiceId(session: VaultSession, id: string, name: string): string {
  return serviceOf(session, getSession(session, id), name).id;
}

function serviceById(recovery: RecoverySession, serviceId: string): SessionService | undefined {
  return recovery.services.find((s) => s.id === serviceId || s.title === serviceId);
}

function reportFormat(format: string | undefined, out: string | undefined): ReportFormat {
  if (format !== undefined) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new LifeboatError('CLI_USAGE', `--format ${format}: use one of ${REPORT_FORMATS.join(', ')}.`);
    }
    return format as ReportFormat;
  }
  // Without --format, the file name decides, so `--out report.pdf` is never Markdown in disguise.
  const extension = out === undefined ? '' : (/\.([a-z]+)$/i.exec(out)?.[1] ?? '').toLowerCase();
  return extension === 'pdf' ? 'pdf' : extension === 'json' ? 'json' : 'markdown';
}

/** A secret named by record id or by title, among the secrets this session revealed. */
function resolveSecret(rotation: readonly RotationItem[], name: string): RotationItem | undefined {
  const byId = rotation.find((item) => item.recordId === name);
  if (byId) {
    return byId;
  }
  for (const same of [
    (item: RotationItem) => item.recordTitle === name,
    (item: RotationItem) => item.recordTitle.toLowerCase() === name.trim().toLowerCase(),
  ]) {
    const matches = rotation.filter(same);
    if (matches.length > 1) {
      throw new LifeboatError('VAULT_BAD_INPUT', `Several secrets revealed during this session are called "${name}": use the record id (${matches.map((m) => m.recordId).join(', ')}).`);
    }
    if (matches.length === 1) {
      return matches[0];
    }
  }
  return undefined;
}

function rotationSummary(report: EvidenceReport): string {
  const outstanding = report.rotation.filter((item) => item.rotatedAt === undefined);
  return outstanding.length === 0
    ? 'Nothing left to rotate for this session.'
    : `Still to rotate for this session: ${outstanding.map((item) => `"${item.recordTitle}" (${item.recordId})`).join(', ')}.`;
}

export async function sessionCommand(args: string[], ctx: CliContext): Promise<number> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'start':
      return sessionStart(rest, ctx);
    case 'list':
      return sessionList(rest, ctx);
    case 'show':
      return sessionShow(rest, ctx);
    case 'step':
      return sessionStep(rest, ctx);
    case 'check':
      return sessionCheck(rest, ctx);
    case 'note':
      return sessionNote(rest, ctx);
    case 'end':
      return sessionEnd(rest, ctx);
    case 'report':
      return sessionReportCommand(rest, ctx);
    case 'rotated':
      return sessionRotated(rest, ctx);
    default:
      throw new LifeboatError('CLI_USAGE', `${verb === undefined ? 'Missing the session verb:' : `Unknown session verb "${verb}";`} use start, list, show, step, check, note, end, report or rotated. Run \`lifeboat help\` for usage.`);
  }
}

/** Every verb takes --id (all but start and list need it); strict, so an option of another verb is refused. */
const SESSION_OPTIONS = { ...COMMON_OPTIONS, id: { type: 'string' } } as const;

/** The vault folder; anything else positional is refused (a forgotten --service or --step must not pass silently). */
function vaultDir(positionals: string[], usage: string, textAllowed = false): string {
  const dir = requirePositional(positionals, 0, 'the vault folder', usage);
  if (!textAllowed && positionals.length > 1) {
    throw new LifeboatError('CLI_USAGE', `Unexpected "${positionals[1] ?? ''}": every value of a session command goes after its option (--id, --service, --step…). Usage: ${usage}`);
  }
  return dir;
}

async function sessionStart(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.start;
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SESSION_OPTIONS,
      kind: { type: 'string' },
      scenario: { type: 'string' },
      services: { type: 'string', multiple: true },
    },
    allowPositionals: true,
  });
  const dir = vaultDir(positionals, usage);
  const kind = requireOption(values.kind, 'kind', usage);
  if (!(SESSION_KINDS as readonly string[]).includes(kind)) {
    throw new LifeboatError('CLI_USAGE', `--kind ${kind}: use exercise (a drill) or incident (the real thing).`);
  }
  const scenario = requireOption(values.scenario, 'scenario', usage);
  const services = serviceList(values.services);
  if (services.length === 0) {
    throw new LifeboatError('CLI_USAGE', `Missing --services: which services to recover (ids or titles, comma-separated; their dependencies are added). Usage: ${usage}`);
  }
  const recovery = await withSession(ctx, dir, values, usage, (session) => startSession(session, { kind: kind as SessionKind, scenario, services }));
  if (values.json) {
    printJson(ctx, recovery);
  } else {
    ctx.io.out(`Started ${recovery.kind} ${recovery.id}. Keep this id: every other session command takes --id ${recovery.id}.\n\n`);
    ctx.io.out(formatSession(recovery, { dir, member: values.as ?? '' }));
  }
  return 0;
}

async function sessionList(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.list;
  const { values, positionals } = parseArgs({ args, options: SESSION_OPTIONS, allowPositionals: true });
  const dir = vaultDir(positionals, usage);
  const sessions = await withSession(ctx, dir, values, usage, (session) => Promise.resolve(listSessions(session)));
  if (values.json) {
    printJson(ctx, sessions);
  } else if (sessions.length === 0) {
    ctx.io.out('No recovery sessions yet. Start one with `lifeboat session start`.\n');
  } else {
    ctx.io.out(
      sessions.map((s) => `${s.id}\t${s.kind}\t${s.status}\t${time(s.startedAt)}\t${s.useful}/${s.services} useful\t${s.scenario}`).join('\n') + '\n',
    );
  }
  return 0;
}

function requireId(values: { id?: string | undefined }, usage: string): string {
  return requireOption(values.id, 'id', usage);
}

async function sessionShow(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.show;
  const { values, positionals } = parseArgs({ args, options: SESSION_OPTIONS, allowPositionals: true });
  const dir = vaultDir(positionals, usage);
  const id = requireId(values, usage);
  const recovery = await withSession(ctx, dir, values, usage, (session) => Promise.resolve(getSession(session, id)));
  if (values.json) {
    printJson(ctx, recovery);
  } else {
    ctx.io.out(formatSession(recovery, { dir, member: values.as ?? '' }));
  }
  return 0;
}

async function sessionStep(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.step;
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SESSION_OPTIONS,
      service: { type: 'string' },
      step: { type: 'string' },
      undo: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const dir = vaultDir(positionals, usage);
  const id = requireId(values, usage);
  const serviceName = requireOption(values.service, 'service', usage);
  const index = oneBased(values.step, 'step', usage);
  const done = !values.undo;
  const { recovery, serviceId } = await withSession(ctx, dir, values, usage, async (session) => {
    const resolved = sessionServiceId(session, id, serviceName);
    return { recovery: await markStep(session, id, resolved, index, done), serviceId: resolved };
  });
  if (values.json) {
    printJson(ctx, recovery);
    return 0;
  }
  const service = serviceById(recovery, serviceId);
  const step = service?.steps[index];
  if (service && step) {
    const ticked = service.steps.filter((s) => s.at !== undefined).length;
    ctx.io.out(
      done
        ? `${service.title} step ${index + 1} done: ${step.text} (${step.by ?? '?'}, ${time(step.at ?? '')}). ${ticked} of ${service.steps.length} steps done.\n`
        : `${service.title} step ${index + 1} un-ticked: ${step.text}. ${ticked} of ${service.steps.length} steps done.\n`,
    );
  }
  return 0;
}

async function sessionCheck(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.check;
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SESSION_OPTIONS,
      service: { type: 'string' },
      check: { type: 'string' },
      pass: { type: 'boolean', default: false },
      fail: { type: 'boolean', default: false },
      note: { type: 'string' },
    },
    allowPositionals: true,
  });
  const dir = vaultDir(positionals, usage);
  const id = requireId(values, usage);
  const serviceName = requireOption(values.service, 'service', usage);
  const index = oneBased(values.check, 'check', usage);
  if (values.pass === values.fail) {
    throw new LifeboatError('CLI_USAGE', `Say whether the check passed: --pass, or --fail --note "what you saw". Usage: ${usage}`);
  }
  const passed = values.pass;
  const note = values.note ?? '';
  if (!passed && note.trim() === '') {
    throw new LifeboatError('CLI_USAGE', '--fail needs --note "what you saw": the report shows it to whoever fixes the runbook.');
  }
  const { recovery, serviceId } = await withSession(ctx, dir, values, usage, async (session) => {
    const resolved = sessionServiceId(session, id, serviceName);
    return { recovery: await recordCheck(session, id, resolved, index, passed, note), serviceId: resolved };
  });
  if (values.json) {
    printJson(ctx, recovery);
    return 0;
  }
  const service = serviceById(recovery, serviceId);
  const check = service?.checks[index];
  if (service && check) {
    const passedCount = service.checks.filter((c) => c.passedAt !== undefined).length;
    const lines = [
      passed
        ? `${service.title} check ${index + 1} passed: ${check.text} (${check.passedBy ?? '?'}, ${time(check.passedAt ?? '')}).`
        : `${service.title} check ${index + 1} FAILED: ${check.text} — ${note.trim()}`,
      service.usefulAt !== undefined
        ? `${service.title} is USEFUL again: every check passed, ${minutes(service.usefulMinutes ?? 0)} after the start.`
        : `${passedCount} of ${service.checks.length} checks pass; ${service.title} is not useful yet.`,
    ];
    ctx.io.out(`${lines.join('\n')}\n`);
  }
  return 0;
}

async function sessionNote(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.note;
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SESSION_OPTIONS,
      service: { type: 'string' },
      blocker: { type: 'boolean', default: false },
      unblocked: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const dir = vaultDir(positionals, usage, true);
  const id = requireId(values, usage);
  if (values.blocker && values.unblocked) {
    throw new LifeboatError('CLI_USAGE', 'Choose one of --blocker and --unblocked (neither: a plain note).');
  }
  const kind: JournalKind = values.blocker ? 'blocker' : values.unblocked ? 'unblocked' : 'note';
  const text = positionals.slice(1).join(' ');
  if (text.trim() === '') {
    throw new LifeboatError('CLI_USAGE', `Missing the text of the ${kind === 'note' ? 'note' : kind === 'blocker' ? 'blocker' : 'unblocked note'}. Usage: ${usage}`);
  }
  const serviceName = values.service;
  const { recovery, serviceId } = await withSession(ctx, dir, values, usage, async (session) => {
    const resolved = serviceName === undefined ? undefined : sessionServiceId(session, id, serviceName);
    return { recovery: await addJournal(session, id, { kind, serviceId: resolved, text }), serviceId: resolved };
  });
  if (values.json) {
    printJson(ctx, recovery);
    return 0;
  }
  const entry = recovery.journal[recovery.journal.length - 1];
  const about = serviceId === undefined ? '' : ` on ${serviceById(recovery, serviceId)?.title ?? serviceId}`;
  const label = kind === 'note' ? 'Note' : kind === 'blocker' ? 'Blocker' : 'Unblocked';
  ctx.io.out(`${label}${about} recorded at ${time(entry?.at ?? '')} by ${entry?.by ?? '?'}.\n`);
  return 0;
}

async function sessionEnd(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.end;
  const { values, positionals } = parseArgs({ args, options: SESSION_OPTIONS, allowPositionals: true });
  const dir = vaultDir(positionals, usage);
  const id = requireId(values, usage);
  const recovery = await withSession(ctx, dir, values, usage, (session) => endSession(session, id));
  if (values.json) {
    printJson(ctx, recovery);
    return 0;
  }
  const useful = recovery.services.filter((s) => s.usefulAt !== undefined).length;
  const duration = (Date.parse(recovery.endedAt ?? recovery.startedAt) - Date.parse(recovery.startedAt)) / 60_000;
  ctx.io.out(
    `Ended ${recovery.kind} "${recovery.scenario}" after ${minutes(Math.max(0, duration))}: ${useful} of ${plural(recovery.services.length, 'service')} useful again. It can no longer change.\n` +
      `Evidence report: lifeboat session report ${shellWord(dir)} --as ${shellWord(values.as ?? '')} --id ${recovery.id} --out report.pdf (or .md, or .json to sign it)\n`,
  );
  return 0;
}

async function sessionReportCommand(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.report;
  const { values, positionals } = parseArgs({ args, options: { ...SESSION_OPTIONS, format: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true });
  const dir = vaultDir(positionals, usage);
  const id = requireId(values, usage);
  const out = values.out;
  const format = reportFormat(values.format, out);
  if (out === undefined) {
    if (format !== 'markdown') {
      throw new LifeboatError('CLI_USAGE', `--format ${format} needs --out FILE (only Markdown goes to the terminal).`);
    }
    if (values.json) {
      throw new LifeboatError('CLI_USAGE', '--json describes a written report: add --out FILE (or use --format json --out FILE for the signed report).');
    }
    const markdown = await withSession(ctx, dir, values, usage, async (session) => {
      const report = sessionReport(session, id);
      // Like a file export, printing is logged first: the report says who revealed what.
      await session.log({ type: 'session.report-exported', details: { sessionId: id, format: 'markdown', to: 'stdout' } });
      return reportMarkdown(report);
    });
    ctx.io.out(markdown);
    return 0;
  }
  const printer = format === 'pdf' ? await pdfPrinter(ctx.env) : undefined;
  const written = await withSession(ctx, dir, values, usage, (session) => exportReport(session, id, format, out, printer));
  if (values.json) {
    printJson(ctx, { out: written.path, format, bytes: written.bytes });
  } else {
    ctx.io.out(
      `Wrote the evidence report (${format}, ${written.bytes} bytes) to ${written.path}.${
        format === 'json' ? ` It is signed: check it anywhere with: lifeboat audit verify --export ${shellWord(written.path)}` : ''
      }\n`,
    );
  }
  return 0;
}

async function sessionRotated(args: string[], ctx: CliContext): Promise<number> {
  const usage = VERB_USAGE.rotated;
  const { values, positionals } = parseArgs({ args, options: { ...SESSION_OPTIONS, secret: { type: 'string' } }, allowPositionals: true });
  const dir = vaultDir(positionals, usage);
  const id = requireId(values, usage);
  const secret = requireOption(values.secret, 'secret', usage);
  const result = await withSession(ctx, dir, values, usage, async (session) => {
    const before = resolveSecret(sessionReport(session, id).rotation, secret);
    const report = await markRotated(session, id, before?.recordId ?? secret);
    return { before, report };
  });
  if (values.json) {
    printJson(ctx, result.report);
    return 0;
  }
  const item = result.report.rotation.find((r) => r.recordId === (result.before?.recordId ?? secret));
  const what = `"${item?.recordTitle ?? secret}" (${item?.recordId ?? secret})`;
  ctx.io.out(
    `${
      result.before?.rotatedAt !== undefined
        ? `${what} was already marked rotated at ${time(result.before.rotatedAt)} by ${result.before.rotatedBy ?? '?'}.`
        : `${what} marked rotated${item?.rotatedAt ? ` at ${time(item.rotatedAt)} by ${item.rotatedBy ?? '?'}` : ''}.`
    }\n${rotationSummary(result.report)}\n`,
  );
  return 0;
}
