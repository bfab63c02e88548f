/**
 * A runbook's checklist ticked from the record view (issue 19, item 2): the
 * ticks are part of the running exercise or incident, never the window's
 * memory alone, so they survive closing the record and locking the vault.
 *
 * Where a tick goes:
 * - the runbook is one of a session service's runbooks and that service's
 *   frozen steps still hold its steps (same texts, in order): the tick is
 *   that service's step, the same one the session screen shows;
 * - otherwise (a runbook of no service in the session, or one changed since
 *   the session started) it goes to the session's `runbooks` list, a
 *   checklist per runbook frozen at its first tick.
 * A tick is read back by index and text: a step whose text changed since it
 * was ticked shows unticked rather than another step's tick.
 *
 * Ticks are logged first (`session.step`, the runbook's id and title), then
 * saved, like every change to a session (recovery-sessions.ts).
 */
import { LifeboatError } from '../../shared/errors.js';
import type { RecoverySession, RunbookTicks, SessionStep } from '../../shared/recovery.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import type { VaultSession } from '../vault/vault-session.js';
import { activeSessions, getSession, saveSession } from './recovery-sessions.js';

function stepsOf(record: StoredRecord): string[] {
  const steps = record.data['steps'];
  return Array.isArray(steps) ? steps.filter((s): s is string => typeof s === 'string') : [];
}

function liveRecord(session: VaultSession, recordId: string): StoredRecord {
  const record = session.store().get(recordId);
  if (!record || record.deleted) {
    throw new LifeboatError('VAULT_NOT_FOUND', `No record ${recordId} in this vault.`);
  }
  return record;
}

interface Target {
  steps: SessionStep[];
  offset: number;
  /** The texts this record's steps have there (a service's are prefixed with the runbook's title when it has several). */
  expected: string[];
}

/** The service steps this runbook's steps are, in a session: where they start, or undefined. */
function serviceSlice(recovery: RecoverySession, record: StoredRecord): Target | undefined {
  const steps = stepsOf(record);
  for (const service of recovery.services) {
    const runbook = service.runbooks.find((r) => r.id === record.id);
    if (!runbook || steps.length === 0) {
      continue;
    }
    // As startSession froze them.
    const expected = steps.map((text) => (service.runbooks.length > 1 ? `${runbook.title}: ${text}` : text));
    for (let offset = 0; offset + expected.length <= service.steps.length; offset++) {
      if (expected.every((text, i) => service.steps[offset + i]?.text === text)) {
        return { steps: service.steps, offset, expected };
      }
    }
  }
  return undefined;
}

/**
 * Where this record's ticks are in this session. With `forTick`, the
 * session's own list for the record is made, or brought up to the record's
 * steps today (a tick kept only where its step's text is unchanged).
 */
function targetOf(recovery: RecoverySession, record: StoredRecord, forTick: boolean): Target | undefined {
  const slice = serviceSlice(recovery, record);
  if (slice) {
    return slice;
  }
  const steps = stepsOf(record);
  let own = recovery.runbooks?.find((r) => r.id === record.id);
  if (forTick) {
    const before = own?.steps ?? [];
    const current = steps.map((text, i) => (before[i]?.text === text ? before[i] : { text }));
    own = { id: record.id, title: record.title, steps: current };
    recovery.runbooks = [...(recovery.runbooks ?? []).filter((r) => r.id !== record.id), own];
  }
  return own ? { steps: own.steps, offset: 0, expected: steps } : undefined;
}

function ticksView(recovery: RecoverySession | undefined, record: StoredRecord): RunbookTicks {
  const steps = stepsOf(record);
  if (!recovery) {
    return { session: null, steps: steps.map(() => null) };
  }
  const target = targetOf(recovery, record, false);
  return {
    session: { id: recovery.id, kind: recovery.kind, scenario: recovery.scenario },
    steps: steps.map((_, i) => {
      const step = target?.steps[target.offset + i];
      const same = step !== undefined && step.text === target?.expected[i];
      return same && step.at !== undefined ? { at: step.at, by: step.by ?? '' } : null;
    }),
  };
}

/** The most recently started running session, if any: the one the record view's ticks belong to. */
function runningSession(session: VaultSession): RecoverySession | undefined {
  return activeSessions(session)[0];
}

/** A record's checklist with the ticks the running session holds for it (none running: session null). */
export function runbookTicks(session: VaultSession, recordId: string): RunbookTicks {
  session.require('records.read');
  return ticksView(runningSession(session), liveRecord(session, recordId));
}

/** Ticks or unticks step `index` (0-based) of a record's checklist in session `id`, which must be running. */
export async function tickRunbookStep(session: VaultSession, input: { id: string; recordId: string; index: number; done: boolean }): Promise<RunbookTicks> {
  session.require('sessions.work');
  const recovery = getSession(session, input.id);
  if (recovery.status !== 'active') {
    throw new LifeboatError('SESSION_ENDED', `The session "${recovery.scenario}" ended at ${recovery.endedAt ?? '?'}; start another to keep ticks.`);
  }
  const record = liveRecord(session, input.recordId);
  const steps = stepsOf(record);
  if (!Number.isInteger(input.index) || input.index < 0 || input.index >= steps.length) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${record.title} has no step ${input.index + 1} (it has ${steps.length}).`);
  }
  await session.log({
    type: 'session.step',
    recordId: record.id,
    recordTitle: record.title,
    details: { sessionId: recovery.id, step: input.index + 1, done: input.done },
  });
  const target = targetOf(recovery, record, true);
  const step = target?.steps[target.offset + input.index];
  if (step) {
    if (input.done) {
      step.at = new Date().toISOString();
      step.by = session.member.name;
    } else {
      delete step.at;
      delete step.by;
    }
  }
  await saveSession(session, recovery);
  return ticksView(recovery, record);
}
