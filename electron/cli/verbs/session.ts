/**
 * lifeboat session start | list | show | step | check | note | override | end | report | rotated
 *
 * A recovery session (an exercise or a real incident) as a checklist. Thin
 * over the recovery engine (electron/recovery/): who may tick what, and what
 * is logged, is the engine's. Steps and checks are numbered from 1 here, as
 * `session show` lists them; the engine counts from 0.
 */
import { LifeboatError } from '../../../shared/errors.js';
import {
  REPORT_FORMATS,
  SESSION_KINDS,
  type EvidenceReport,
  type JournalKind,
  type RecoverySession,
  type ReportFormat,
  type RotationItem,
  type SessionKind,
  type SessionService,
} from '../../../shared/recovery.js';
import {
  addJournal,
  endSession,
  getSession,
  listSessions,
  markStep,
  overrideWaiting,
  recordCheck,
  serviceOf,
  startSession,
} from '../../operations/recovery.js';
import { evidenceReportMarkdown, exportEvidenceReport, markRotated, sessionReport } from '../../operations/reports.js';
import type { VaultSession } from '../../operations/vault-access.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { serviceList } from '../option-values.js';
import { minutes, plural, shellWord, time } from '../output-format.js';
import { pdfPrinter } from '../pdf-output.js';
import { formatSession, waitingNames } from '../session-format.js';
import { defineCommand, defineVerb, type OptionSpec, type OptionTable } from '../verb.js';

/** One line per verb: a usage error quotes only the verb's own line, so it stays one line on stderr. */
const VERB_USAGE = {
  start: 'lifeboat session start DIR --as NAME --kind exercise|incident --scenario TEXT --services A,B [--json]',
  list: 'lifeboat session list DIR --as NAME [--json]',
  show: 'lifeboat session show DIR --as NAME --id ID [--json]',
  step: 'lifeboat session step DIR --as NAME --id ID --service S --step N [--undo] [--json]',
  check: 'lifeboat session check DIR --as NAME --id ID --service S --check N --pass|--fail [--note TEXT] [--json]',
  note: 'lifeboat session note DIR --as NAME --id ID [--service S] [--blocker|--unblocked] TEXT [--json]',
  override: 'lifeboat session override DIR --as NAME --id ID --service S --reason TEXT [--json]',
  end: 'lifeboat session end DIR --as NAME --id ID [--json]',
  report: 'lifeboat session report DIR --as NAME --id ID [--format markdown|pdf|json] [--out FILE] [--json]',
  rotated: 'lifeboat session rotated DIR --as NAME --id ID --secret RECORD_ID_OR_TITLE [--json]',
} as const;

/** Every verb takes --id (all but start and list need it); strict, so an option of another verb is refused. */
const SESSION_OPTIONS = {
  ...COMMON_OPTIONS,
  id: { type: 'string', value: 'ID', help: 'the session, as start printed it and list shows it (every verb but start and list)' },
} as const satisfies OptionTable;

/** --service, for the verbs about one service of the session. */
const SERVICE = { type: 'string', value: 'S', help: 'the service (its id, title or entity ref)' } as const satisfies OptionSpec;

/** "--step 2" → 1 (the engine's index). */
function oneBased(value: string | undefined, option: string, usage: string): number {
  const text = requireOption(value, option, usage);
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new LifeboatError('CLI_USAGE', `--${option} ${text}: expected a number from 1, as \`lifeboat session show\` lists them.`);
  }
  return Number(text) - 1;
}

/** The vault folder; anything else positional is refused (a forgotten --service or --step must not pass silently). */
function vaultDir(positionals: string[], usage: string, textAllowed = false): string {
  const dir = requirePositional(positionals, 0, 'the vault folder', usage);
  if (!textAllowed && positionals.length > 1) {
    throw new LifeboatError(
      'CLI_USAGE',
      `Unexpected "${positionals[1] ?? ''}": every value of a session command goes after its option (--id, --service, --step…). Usage: ${usage}`,
    );
  }
  return dir;
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
      throw new LifeboatError(
        'VAULT_BAD_INPUT',
        `Several secrets revealed during this session are called "${name}": use the record id (${matches.map((m) => m.recordId).join(', ')}).`,
      );
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

const sessionStart = defineCommand({
  usage: [
    {
      line: 'session start DIR --as NAME --kind exercise|incident --scenario TEXT --services A,B',
      note: 'freezes the plan into a checklist; prints the session id',
    },
  ],
  options: {
    ...SESSION_OPTIONS,
    kind: { type: 'string', value: 'exercise|incident', help: 'a drill, or the real thing' },
    scenario: { type: 'string', value: 'TEXT', help: 'what happened, or what is played (the report leads with it)' },
    services: { type: 'string', value: 'A,B', multiple: true, help: 'the services to recover (ids or titles, comma-separated); what they need is added' },
  },
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.start;
    const dir = vaultDir(positionals, usage);
    const kind = requireOption(values.kind, 'kind', usage);
    if (!(SESSION_KINDS as readonly string[]).includes(kind)) {
      throw new LifeboatError('CLI_USAGE', `--kind ${kind}: use exercise (a drill) or incident (the real thing).`);
    }
    const scenario = requireOption(values.scenario, 'scenario', usage);
    const services = serviceList(values.services);
    if (services.length === 0) {
      throw new LifeboatError(
        'CLI_USAGE',
        `Missing --services: which services to recover (ids or titles, comma-separated; their dependencies are added). Usage: ${usage}`,
      );
    }
    const recovery = await withSession(ctx, dir, values, usage, (session) => startSession(session, { kind: kind as SessionKind, scenario, services }));
    if (values.json) {
      printJson(ctx, recovery);
    } else {
      ctx.io.out(`Started ${recovery.kind} ${recovery.id}. Keep this id: every other session command takes --id ${recovery.id}.\n\n`);
      ctx.io.out(formatSession(recovery, { dir, member: values.as ?? '' }));
    }
    return 0;
  },
});

const sessionList = defineCommand({
  usage: ['session list DIR --as NAME'],
  options: SESSION_OPTIONS,
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.list;
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
  },
});

const sessionShow = defineCommand({
  usage: [{ line: 'session show DIR --as NAME --id ID', note: 'the checklist: numbered steps and checks, who ticked what when' }],
  options: SESSION_OPTIONS,
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.show;
    const dir = vaultDir(positionals, usage);
    const id = requireOption(values.id, 'id', usage);
    const recovery = await withSession(ctx, dir, values, usage, (session) => Promise.resolve(getSession(session, id)));
    if (values.json) {
      printJson(ctx, recovery);
    } else {
      ctx.io.out(formatSession(recovery, { dir, member: values.as ?? '' }));
    }
    return 0;
  },
});

const sessionStep = defineCommand({
  usage: ['session step DIR --as NAME --id ID --service S --step N [--undo]'],
  options: {
    ...SESSION_OPTIONS,
    service: SERVICE,
    step: { type: 'string', value: 'N', help: 'the step, numbered from 1 as session show lists them' },
    undo: { type: 'boolean', help: 'un-tick the step' },
  },
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.step;
    const dir = vaultDir(positionals, usage);
    const id = requireOption(values.id, 'id', usage);
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
  },
});

const sessionCheck = defineCommand({
  usage: ['session check DIR --as NAME --id ID --service S --check N --pass | --fail --note TEXT'],
  options: {
    ...SESSION_OPTIONS,
    service: SERVICE,
    check: { type: 'string', value: 'N', help: 'the validation check, numbered from 1 as session show lists them' },
    pass: { type: 'boolean', help: 'the check passed' },
    fail: { type: 'boolean', help: 'the check failed (needs --note)' },
    note: { type: 'string', value: 'TEXT', help: 'what you saw (the report shows it to whoever fixes the runbook)' },
  },
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.check;
    const dir = vaultDir(positionals, usage);
    const id = requireOption(values.id, 'id', usage);
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
          : passedCount === service.checks.length && service.waitingOn !== undefined
            ? `Every check of ${service.title} passes, but it is WAITING on ${waitingNames(recovery, service)}: not useful until ${service.waitingOn.length === 1 ? 'that is' : 'they are'} back (a commander may override: session override --reason).`
            : `${passedCount} of ${service.checks.length} checks pass; ${service.title} is not useful yet.`,
      ];
      ctx.io.out(`${lines.join('\n')}\n`);
    }
    return 0;
  },
});

const sessionNote = defineCommand({
  usage: ['session note DIR --as NAME --id ID [--service S] [--blocker|--unblocked] TEXT'],
  options: {
    ...SESSION_OPTIONS,
    service: SERVICE,
    blocker: { type: 'boolean', help: 'the note is a blocker' },
    unblocked: { type: 'boolean', help: 'the note lifts a blocker' },
  },
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.note;
    const dir = vaultDir(positionals, usage, true);
    const id = requireOption(values.id, 'id', usage);
    if (values.blocker && values.unblocked) {
      throw new LifeboatError('CLI_USAGE', 'Choose one of --blocker and --unblocked (neither: a plain note).');
    }
    const kind: JournalKind = values.blocker ? 'blocker' : values.unblocked ? 'unblocked' : 'note';
    const text = positionals.slice(1).join(' ');
    if (text.trim() === '') {
      throw new LifeboatError(
        'CLI_USAGE',
        `Missing the text of the ${kind === 'note' ? 'note' : kind === 'blocker' ? 'blocker' : 'unblocked note'}. Usage: ${usage}`,
      );
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
  },
});

const sessionOverride = defineCommand({
  usage: [
    {
      line: 'session override DIR --as NAME --id ID --service S --reason TEXT',
      note: 'count a service useful without waiting for what it needs (logged)',
    },
  ],
  options: {
    ...SESSION_OPTIONS,
    service: SERVICE,
    reason: { type: 'string', value: 'TEXT', help: 'why it is useful without what it waits on (goes into the audit log and the report)' },
  },
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.override;
    const dir = vaultDir(positionals, usage);
    const id = requireOption(values.id, 'id', usage);
    const serviceName = requireOption(values.service, 'service', usage);
    const reason = requireOption(values.reason, 'reason', usage);
    const { recovery, serviceId } = await withSession(ctx, dir, values, usage, async (session) => {
      const resolved = sessionServiceId(session, id, serviceName);
      return { recovery: await overrideWaiting(session, id, resolved, reason), serviceId: resolved };
    });
    if (values.json) {
      printJson(ctx, recovery);
      return 0;
    }
    const service = serviceById(recovery, serviceId);
    const waited = (service?.override?.waitingOn ?? []).map((need) => serviceById(recovery, need)?.title ?? need).join(', ');
    ctx.io.out(
      service?.usefulAt !== undefined
        ? `${service.title} counts as USEFUL from ${time(service.usefulAt)} (${minutes(service.usefulMinutes ?? 0)} after the start) without waiting on ${waited}. Logged with your reason.\n`
        : `${service?.title ?? serviceId} will count as useful without waiting on ${waited} once its own checks pass. Logged with your reason.\n`,
    );
    return 0;
  },
});

const sessionEnd = defineCommand({
  usage: [{ line: 'session end DIR --as NAME --id ID', note: 'the session is frozen from then on' }],
  options: SESSION_OPTIONS,
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.end;
    const dir = vaultDir(positionals, usage);
    const id = requireOption(values.id, 'id', usage);
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
  },
});

const sessionReportCommand = defineCommand({
  usage: [
    {
      line: 'session report DIR --as NAME --id ID [--format markdown|pdf|json] [--out FILE]',
      note: ['Markdown to the terminal without --out; the format follows', "FILE's extension unless given; json is signed"],
    },
  ],
  options: {
    ...SESSION_OPTIONS,
    format: { type: 'string', value: 'markdown|pdf|json', help: "the report's format (else --out's extension decides); json is signed" },
    out: { type: 'string', value: 'FILE', help: 'write the report to FILE (without it, Markdown goes to the terminal)' },
  },
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.report;
    const dir = vaultDir(positionals, usage);
    const id = requireOption(values.id, 'id', usage);
    const out = values.out;
    const format = reportFormat(values.format, out);
    if (out === undefined) {
      if (format !== 'markdown') {
        throw new LifeboatError('CLI_USAGE', `--format ${format} needs --out FILE (only Markdown goes to the terminal).`);
      }
      if (values.json) {
        throw new LifeboatError('CLI_USAGE', '--json describes a written report: add --out FILE (or use --format json --out FILE for the signed report).');
      }
      // Like a file export, printing is logged first: the report says who revealed what.
      const markdown = await withSession(ctx, dir, values, usage, (session) => evidenceReportMarkdown(session, id));
      ctx.io.out(markdown);
      return 0;
    }
    const printer = format === 'pdf' ? await pdfPrinter(ctx.env) : undefined;
    const written = await withSession(ctx, dir, values, usage, (session) => exportEvidenceReport(session, { id, format, path: out }, printer));
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
  },
});

const sessionRotated = defineCommand({
  usage: ['session rotated DIR --as NAME --id ID --secret RECORD_ID_OR_TITLE'],
  options: {
    ...SESSION_OPTIONS,
    secret: { type: 'string', value: 'RECORD_ID_OR_TITLE', help: 'a secret revealed during the session, now rotated' },
  },
  async run(ctx, { values, positionals }) {
    const usage = VERB_USAGE.rotated;
    const dir = vaultDir(positionals, usage);
    const id = requireOption(values.id, 'id', usage);
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
  },
});

export const sessionVerb = defineVerb({
  name: 'session',
  group: 'recovery',
  summary: 'run a recovery, exercise or incident, as a checklist frozen from the plan, and its evidence report',
  footnote: [
    '(every session verb takes --json; steps and checks are numbered from 1 as `session show` lists them;',
    ' start, override, end, report and rotated need an owner or commander, a responder may step, check and note)',
  ],
  subcommands: {
    start: sessionStart,
    list: sessionList,
    show: sessionShow,
    step: sessionStep,
    check: sessionCheck,
    note: sessionNote,
    override: sessionOverride,
    end: sessionEnd,
    report: sessionReportCommand,
    rotated: sessionRotated,
  },
  unknownSubcommand(given) {
    throw new LifeboatError(
      'CLI_USAGE',
      `${given === undefined ? 'Missing the session verb:' : `Unknown session verb "${given}";`} use start, list, show, step, check, note, override, end, report or rotated. Run \`lifeboat help\` for usage.`,
    );
  },
});
