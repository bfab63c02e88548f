/**
 * The evidence report of an ended recovery session: timings against RTO,
 * the steps that caused delay, missing dependencies, failed validations, the
 * journal, and who revealed which secrets (so, what to rotate). Built from
 * the session record and the audit log; nothing is typed in after the fact.
 */
import { LifeboatError } from '../../shared/errors.js';
import { stepParts } from '../../shared/step-text.js';
import type { EvidenceReport, RecoverySession, Reveal } from '../../shared/recovery.js';
import { eventsForEvidence, type AuditEntry } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';
import { getSession, minutesBetween } from './recovery-sessions.js';
import { requireRevealed, revealsDuring, rotationChecklist } from './secret-rotation.js';

const MAX_DELAYS = 10;

/** Each done step's duration: since the previous tick of the same service, or since the start. */
function stepDelays(recovery: RecoverySession): EvidenceReport['delays'] {
  const delays: EvidenceReport['delays'] = [];
  for (const service of recovery.services) {
    const done = service.steps.filter((step) => step.at !== undefined).sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
    let previous = recovery.startedAt;
    for (const step of done) {
      const at = step.at as string;
      delays.push({ serviceId: service.id, serviceTitle: service.title, step: step.text, minutes: minutesBetween(previous, at), by: step.by ?? '' });
      previous = at;
    }
  }
  return delays.sort((a, b) => b.minutes - a.minutes).slice(0, MAX_DELAYS);
}

/** The session's own runbook checklists (runbook-ticks.ts) with their ticked steps, numbered from 1. */
function runbookTicks(recovery: RecoverySession): Pick<EvidenceReport, 'runbooks'> {
  const runbooks = (recovery.runbooks ?? []).map((runbook) => ({
    id: runbook.id,
    title: runbook.title,
    stepsTotal: runbook.steps.length,
    // The step's text without its commands: the report names the step, the runbook holds the commands.
    ticked: runbook.steps.flatMap((step, i) =>
      step.at === undefined ? [] : [{ step: i + 1, text: stepParts(step.text).text || `Step ${i + 1}`, at: step.at, by: step.by ?? '' }],
    ),
  }));
  return runbooks.length === 0 ? {} : { runbooks };
}

export function buildReport(
  recovery: RecoverySession,
  entries: readonly AuditEntry[],
  context: { vaultId: string; vaultName: string; generatedBy: string; now: Date },
): EvidenceReport {
  if (recovery.status !== 'ended' || recovery.endedAt === undefined || recovery.endedBy === undefined) {
    throw new LifeboatError('VAULT_BAD_INPUT', `The session "${recovery.scenario}" is still running: end it to produce its evidence report.`);
  }
  const reveals = revealsDuring(entries, recovery);
  const titlesOf = (ids: readonly string[]): string[] => ids.map((id) => recovery.services.find((s) => s.id === id)?.title ?? id);
  return {
    vault: { id: context.vaultId, name: context.vaultName },
    session: {
      id: recovery.id,
      kind: recovery.kind,
      scenario: recovery.scenario,
      startedAt: recovery.startedAt,
      startedBy: recovery.startedBy,
      endedAt: recovery.endedAt,
      endedBy: recovery.endedBy,
      durationMinutes: minutesBetween(recovery.startedAt, recovery.endedAt),
    },
    services: recovery.services.map((service) => {
      const useful = service.usefulMinutes ?? null;
      const measurable = service.rtoMinutes !== null && service.checks.length > 0;
      const verdict = !measurable ? 'not-measured' : useful !== null && useful <= (service.rtoMinutes ?? 0) ? 'met' : 'missed';
      return {
        id: service.id,
        title: service.title,
        wave: service.wave,
        rtoMinutes: service.rtoMinutes,
        estimatedMinutes: service.estimatedMinutes,
        usefulMinutes: useful,
        verdict,
        stepsDone: service.steps.filter((step) => step.at !== undefined).length,
        stepsTotal: service.steps.length,
        checksPassed: service.checks.filter((check) => check.passedAt !== undefined).length,
        checksTotal: service.checks.length,
        failedChecks: service.checks.filter((check) => check.failures.length > 0).map(({ text, failures }) => ({ text, failures })),
        ...(useful === null && service.waitingOn !== undefined ? { waitingOn: titlesOf(service.waitingOn) } : {}),
        ...(service.override === undefined ? {} : { override: { ...service.override, waitingOn: titlesOf(service.override.waitingOn) } }),
      };
    }),
    delays: stepDelays(recovery),
    ...runbookTicks(recovery),
    missing: recovery.missing,
    journal: recovery.journal,
    reveals: reveals.map(({ seq: _seq, ...reveal }): Reveal => reveal),
    rotation: rotationChecklist(entries, reveals),
    generatedAt: context.now.toISOString(),
    generatedBy: context.generatedBy,
  };
}

/** The report of an ended session, as the engine sees it now (rotation state is live). */
export function sessionReport(session: VaultSession, id: string): EvidenceReport {
  session.require('sessions.lead');
  const { header } = session;
  return buildReport(getSession(session, id), eventsForEvidence(session), {
    vaultId: header.vaultId,
    vaultName: header.name,
    generatedBy: session.member.name,
    now: new Date(),
  });
}

/** Records that a secret revealed during the session has been rotated at its source. */
export async function markRotated(session: VaultSession, id: string, recordId: string): Promise<EvidenceReport> {
  session.require('sessions.lead');
  const recovery = getSession(session, id);
  const report = sessionReport(session, id);
  const reveal = requireRevealed(report.reveals, recordId, recovery.scenario);
  if (report.rotation.some((item) => item.recordId === recordId && item.rotatedAt !== undefined)) {
    return report;
  }
  await session.log({ type: 'secret.rotated', recordId, recordTitle: reveal.recordTitle, details: { sessionId: id } });
  return sessionReport(session, id);
}
