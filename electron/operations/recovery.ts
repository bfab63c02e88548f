/**
 * Disaster-recovery planning and recovery sessions (exercises and
 * incidents), as both hosts offer them.
 */
export { graphOf, planOf, readinessOf } from '../recovery/recovery-views.js';
import { requirePlainLine } from '../../shared/terminal-text.js';
import { startSession as engineStart, type StartSessionInput } from '../recovery/recovery-sessions.js';
import type { VaultSession } from '../vault/vault-session.js';

export { addJournal, endSession, getSession, listSessions, markStep, overrideWaiting, recordCheck, serviceOf } from '../recovery/recovery-sessions.js';
export { runbookTicks, tickRunbookStep } from '../recovery/runbook-ticks.js';

/** A session's scenario is its reason in the log: plain text only (issue 15, M6). */
export async function startSession(session: VaultSession, input: StartSessionInput): ReturnType<typeof engineStart> {
  requirePlainLine(input.scenario.trim(), 'A scenario');
  return engineStart(session, input);
}
