/**
 * Recovery sessions: an exercise or a real incident, run against the plan.
 *
 * Starting one freezes the plan for the chosen services (and everything they
 * need) into a checklist per service, in wave order: the runbooks' steps and
 * validation checks. Services that depend on each other (a recover-together
 * group) are listed together in the group's wave, and the session keeps the
 * groups so the checklist can say so. Members tick steps and record each check as passed or
 * failed; the engine stamps every tick with its own clock and the member's
 * name, so the timings are the vault's, not the typist's.
 *
 * Time to useful service is measured from the session's start to the moment
 * the last of a service's validation checks passes (not when a restore
 * "completed") and everything it needs from outside its recover-together
 * group is useful too (session-usefulness.ts), unless the commander overrides
 * the wait. A check that fails afterwards clears it until all pass again.
 * A service without checks cannot be measured, and the report says so.
 *
 * Each change is logged first (`session.*` events), then saved as a new
 * snapshot, like every other write. Sessions live in the encrypted database
 * as `session:<id>` meta rows; an ended session is frozen.
 */
import { LifeboatError } from '../../shared/errors.js';
import { requirePlainLine } from '../../shared/terminal-text.js';
import {
  RecoverySessionSchema,
  type JournalKind,
  type RecoverySession,
  type SessionKind,
  type SessionService,
  type SessionSummary,
} from '../../shared/recovery.js';
import type { VaultSession } from '../vault/vault-session.js';
import { computePlan, resolveServiceNames } from './recovery-plan.js';
import { buildServiceGraph, hardDependencies, type ServiceGraphModel } from './service-graph.js';
import { settleUseful, waitingTitles } from './session-usefulness.js';

const PREFIX = 'session:';
const MAX_TEXT = 2000;

export function vaultGraph(session: VaultSession): ServiceGraphModel {
  session.require('records.read');
  return buildServiceGraph(session.store().all());
}

export { minutesBetween } from './session-time.js';

function requireText(value: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed === '') {
    throw new LifeboatError('VAULT_BAD_INPUT', `${what} is required.`);
  }
  if (trimmed.length > MAX_TEXT) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${what} is longer than ${MAX_TEXT} characters.`);
  }
  return trimmed;
}

function save(session: VaultSession, recovery: RecoverySession): void {
  session.store().setMeta(`${PREFIX}${recovery.id}`, JSON.stringify(recovery));
}

/** Saves a changed session as a new snapshot (its change already logged: runbook-ticks.ts). */
export async function saveSession(session: VaultSession, recovery: RecoverySession): Promise<void> {
  save(session, recovery);
  await session.commit();
}

export function listSessions(session: VaultSession): SessionSummary[] {
  session.require('records.read');
  return session
    .store()
    .metaWithPrefix(PREFIX)
    .map(({ value }) => RecoverySessionSchema.parse(JSON.parse(value)))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .map((s) => ({
      id: s.id,
      kind: s.kind,
      scenario: s.scenario,
      status: s.status,
      startedAt: s.startedAt,
      ...(s.endedAt === undefined ? {} : { endedAt: s.endedAt }),
      services: s.services.length,
      useful: s.services.filter((service) => service.usefulAt !== undefined).length,
    }));
}

export function getSession(session: VaultSession, id: string): RecoverySession {
  session.require('records.read');
  const raw = session.store().getMeta(`${PREFIX}${id}`);
  if (raw === undefined) {
    throw new LifeboatError('VAULT_NOT_FOUND', `No recovery session ${id} in this vault.`);
  }
  return RecoverySessionSchema.parse(JSON.parse(raw));
}

/** Every session, ended ones included (the readiness review reads their timings). */
export function allSessions(session: VaultSession): RecoverySession[] {
  return session
    .store()
    .metaWithPrefix(PREFIX)
    .map(({ value }) => RecoverySessionSchema.parse(JSON.parse(value)));
}

/** Running sessions, the most recently started first. */
export function activeSessions(session: VaultSession): RecoverySession[] {
  session.require('records.read');
  return allSessions(session)
    .filter((s) => s.status === 'active')
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export interface StartSessionInput {
  kind: SessionKind;
  scenario: string;
  /** Service ids, titles or entity refs; their dependencies are added. */
  services: readonly string[];
}

export async function startSession(session: VaultSession, input: StartSessionInput): Promise<RecoverySession> {
  session.require('sessions.lead');
  const scenario = requireText(input.scenario, 'A scenario (what happened, or what the exercise simulates)');
  if (input.services.length === 0) {
    throw new LifeboatError('VAULT_BAD_INPUT', 'Choose at least one service to recover.');
  }
  const graph = vaultGraph(session);
  const plan = computePlan(graph, resolveServiceNames(graph, input.services));
  const groupOf = new Map(plan.waves.flatMap((wave) => wave.services.map((s) => [s.id, s.group] as const)));
  const services: SessionService[] = plan.waves.flatMap((wave) =>
    wave.services.map((planned) => {
      const node = graph.services.get(planned.id);
      const runbooks = node?.runbooks ?? [];
      const prefixed = runbooks.length > 1;
      // What it waits for: hard dependencies in the session, outside its own group.
      const needs = (node ? hardDependencies(node) : []).filter(
        (dep) => dep !== planned.id && groupOf.has(dep) && (planned.group === null || groupOf.get(dep) !== planned.group),
      );
      return {
        id: planned.id,
        title: planned.title,
        wave: wave.index,
        ...(planned.group === null ? {} : { group: planned.group }),
        ...(needs.length === 0 ? {} : { needs, waitingOn: needs }),
        rtoMinutes: planned.rtoMinutes,
        estimatedMinutes: planned.estimatedMinutes,
        runbooks: runbooks.map(({ id, title }) => ({ id, title })),
        steps: runbooks.flatMap((runbook) => runbook.steps.map((text) => ({ text: prefixed ? `${runbook.title}: ${text}` : text }))),
        checks: [...new Set(runbooks.flatMap((runbook) => runbook.validation))].map((text) => ({ text, failures: [] })),
      };
    }),
  );
  const { sodium } = session;
  const now = new Date().toISOString();
  const recovery: RecoverySession = {
    id: `ses-${sodium.to_hex(sodium.randombytes_buf(5))}`,
    kind: input.kind,
    scenario,
    status: 'active',
    startedAt: now,
    startedBy: session.member.name,
    services,
    ...(plan.groups.length === 0 ? {} : { groups: plan.groups.map((g) => ({ index: g.index, wave: g.wave, services: g.services.map((s) => s.id) })) }),
    journal: [],
    missing: plan.missing,
  };
  await session.log({
    type: 'session.started',
    reason: scenario,
    details: { sessionId: recovery.id, kind: input.kind, services: services.length },
  });
  save(session, recovery);
  await session.commit();
  return recovery;
}

function activeSession(session: VaultSession, id: string): RecoverySession {
  const recovery = getSession(session, id);
  if (recovery.status !== 'active') {
    throw new LifeboatError('SESSION_ENDED', `The session "${recovery.scenario}" ended at ${recovery.endedAt ?? '?'}; it can no longer change.`);
  }
  return recovery;
}

/**
 * A service of the session, named the way `start` accepts names: its id, an
 * entity ref or title resolved through the vault, or a title (any case). A
 * title two services share is refused rather than guessed.
 */
export function serviceOf(session: VaultSession, recovery: RecoverySession, ref: string): SessionService {
  const byId = recovery.services.find((s) => s.id === ref);
  if (byId) {
    return byId;
  }
  const resolved = vaultGraph(session).resolve(ref);
  const viaVault = resolved === null ? undefined : recovery.services.find((s) => s.id === resolved);
  if (viaVault) {
    return viaVault;
  }
  const byTitle = recovery.services.filter((s) => s.title.toLowerCase() === ref.trim().toLowerCase());
  if (byTitle.length > 1) {
    throw new LifeboatError('VAULT_BAD_INPUT', `Several services in this session are called "${ref}": use the id (${byTitle.map((s) => s.id).join(', ')}).`);
  }
  const [only] = byTitle;
  if (!only) {
    throw new LifeboatError('VAULT_NOT_FOUND', `The session "${recovery.scenario}" does not include the service ${ref}.`);
  }
  return only;
}

function itemAt<T>(items: T[], index: number, what: string, service: SessionService): T {
  const item = items[index];
  if (item === undefined) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${service.title} has no ${what} ${index + 1} (it has ${items.length}).`);
  }
  return item;
}

async function change(session: VaultSession, recovery: RecoverySession): Promise<RecoverySession> {
  save(session, recovery);
  await session.commit();
  return recovery;
}

export async function markStep(session: VaultSession, id: string, serviceId: string, index: number, done: boolean): Promise<RecoverySession> {
  session.require('sessions.work');
  const recovery = activeSession(session, id);
  const service = serviceOf(session, recovery, serviceId);
  const step = itemAt(service.steps, index, 'step', service);
  await session.log({
    type: 'session.step',
    recordId: service.id,
    recordTitle: service.title,
    details: { sessionId: id, step: index + 1, done },
  });
  if (done) {
    step.at = new Date().toISOString();
    step.by = session.member.name;
  } else {
    delete step.at;
    delete step.by;
  }
  return change(session, recovery);
}

export async function recordCheck(session: VaultSession, id: string, serviceId: string, index: number, passed: boolean, note = ''): Promise<RecoverySession> {
  session.require('sessions.work');
  const recovery = activeSession(session, id);
  const service = serviceOf(session, recovery, serviceId);
  const check = itemAt(service.checks, index, 'validation check', service);
  const why = passed ? note.trim() : requireText(note, 'What the failed check showed');
  await session.log({
    type: 'session.check',
    recordId: service.id,
    recordTitle: service.title,
    ...(why === '' ? {} : { reason: why }),
    details: { sessionId: id, check: index + 1, passed },
  });
  const now = new Date().toISOString();
  if (passed) {
    // A check that already passed keeps its first time: passing it again is logged, and moves no clock.
    if (check.passedAt === undefined) {
      check.passedAt = now;
      check.passedBy = session.member.name;
    }
  } else {
    delete check.passedAt;
    delete check.passedBy;
    check.failures.push({ at: now, by: session.member.name, note: why });
  }
  settleUseful(recovery);
  return change(session, recovery);
}

export async function addJournal(
  session: VaultSession,
  id: string,
  entry: { kind: JournalKind; serviceId?: string | undefined; text: string },
): Promise<RecoverySession> {
  session.require('sessions.work');
  const recovery = activeSession(session, id);
  const service = entry.serviceId === undefined ? undefined : serviceOf(session, recovery, entry.serviceId);
  const text = requireText(entry.text, entry.kind === 'blocker' ? 'A blocker’s description' : 'A note');
  await session.log({
    type: 'session.journal',
    reason: text,
    ...(service ? { recordId: service.id, recordTitle: service.title } : {}),
    details: { sessionId: id, kind: entry.kind },
  });
  recovery.journal.push({
    at: new Date().toISOString(),
    by: session.member.name,
    kind: entry.kind,
    ...(service ? { serviceId: service.id } : {}),
    text,
  });
  return change(session, recovery);
}

/**
 * The commander counts a service useful although something it needs from
 * outside its group is not back (e.g. confirmed by phone, or not needed in
 * this scenario). Logged first with the reason and the services it was
 * waiting on; the report lists every override.
 */
export async function overrideWaiting(session: VaultSession, id: string, serviceId: string, reason: string): Promise<RecoverySession> {
  session.require('sessions.lead');
  const recovery = activeSession(session, id);
  const service = serviceOf(session, recovery, serviceId);
  const why = requireText(reason, 'A reason for counting it useful without what it waits on');
  // It is a reason in the audit log and a line of `session show`: plain text only (issue 15, M6).
  requirePlainLine(why, 'A reason');
  settleUseful(recovery);
  const waiting = service.waitingOn ?? [];
  if (waiting.length === 0) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${service.title} is not waiting on any service: there is nothing to override.`);
  }
  await session.log({
    type: 'session.override',
    recordId: service.id,
    recordTitle: service.title,
    reason: why,
    details: { sessionId: id, waitingOn: waitingTitles(recovery, service).join(', ') },
  });
  service.override = { at: new Date().toISOString(), by: session.member.name, reason: why, waitingOn: [...waiting] };
  settleUseful(recovery);
  return change(session, recovery);
}

export async function endSession(session: VaultSession, id: string): Promise<RecoverySession> {
  session.require('sessions.lead');
  const recovery = activeSession(session, id);
  const useful = recovery.services.filter((service) => service.usefulAt !== undefined).length;
  await session.log({
    type: 'session.ended',
    reason: recovery.scenario,
    details: { sessionId: id, kind: recovery.kind, useful, services: recovery.services.length },
  });
  recovery.status = 'ended';
  recovery.endedAt = new Date().toISOString();
  recovery.endedBy = session.member.name;
  return change(session, recovery);
}
