/**
 * The recovery channels: graph, plan, readiness, and recovery sessions with
 * their evidence reports. Thin: each calls the engine with the open session.
 */
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { chosenDestination, type DestinationTokens } from '../operations/destination-tokens.js';
import {
  addJournal,
  endSession,
  getSession,
  graphOf,
  listSessions,
  markStep,
  overrideWaiting,
  planOf,
  readinessOf,
  recordCheck,
  runbookTicks,
  startSession,
  tickRunbookStep,
} from '../operations/recovery.js';
import { onCall } from '../operations/on-call.js';
import { exportEvidenceReport, markRotated, REPORT_EXTENSIONS, sessionReport } from '../operations/reports.js';
import type { VaultService } from '../operations/vault-service.js';
import type { Handlers } from './router.js';
import { oneAtATime } from './vault-handlers.js';

type RecoveryChannels =
  | 'recovery:graph'
  | 'recovery:plan'
  | 'recovery:readiness'
  | 'oncall:lookup'
  | 'sessions:list'
  | 'sessions:start'
  | 'sessions:get'
  | 'sessions:step'
  | 'sessions:check'
  | 'sessions:journal'
  | 'sessions:override'
  | 'sessions:end'
  | 'sessions:runbook-ticks'
  | 'sessions:tick-runbook'
  | 'sessions:report'
  | 'sessions:export'
  | 'sessions:rotated';

export function createRecoveryHandlers(
  service: VaultService,
  printPdf?: PdfPrinter,
  tokens: DestinationTokens | null = null,
): Pick<Handlers, RecoveryChannels> {
  return oneAtATime(service, {
    'recovery:graph': () => graphOf(service.current()),
    'recovery:plan': ({ services }) => planOf(service.current(), services ?? []),
    'recovery:readiness': ({ staleDays }) => readinessOf(service.current(), { staleDays }),
    'oncall:lookup': ({ services, at }) => onCall(service.current(), { services: services ?? [], at: at === undefined ? undefined : new Date(at) }),
    'sessions:list': () => listSessions(service.current()),
    'sessions:start': ({ kind, scenario, services }) => startSession(service.current(), { kind, scenario, services }),
    'sessions:get': ({ id }) => getSession(service.current(), id),
    'sessions:step': ({ id, serviceId, index, done }) => markStep(service.current(), id, serviceId, index, done),
    'sessions:check': ({ id, serviceId, index, passed, note }) => recordCheck(service.current(), id, serviceId, index, passed, note),
    'sessions:journal': ({ id, kind, serviceId, text }) => addJournal(service.current(), id, { kind, serviceId, text }),
    'sessions:override': ({ id, serviceId, reason }) => overrideWaiting(service.current(), id, serviceId, reason),
    'sessions:end': ({ id }) => endSession(service.current(), id),
    'sessions:runbook-ticks': ({ recordId }) => runbookTicks(service.current(), recordId),
    'sessions:tick-runbook': ({ id, recordId, index, done }) => tickRunbookStep(service.current(), { id, recordId, index, done }),
    'sessions:report': ({ id }) => sessionReport(service.current(), id),
    'sessions:export': async ({ id, format, to }) => {
      const session = service.current();
      const path = await chosenDestination(tokens, to, 'report', { vaultDir: session.dir, extensions: REPORT_EXTENSIONS[format] });
      return exportEvidenceReport(session, { id, format, path }, printPdf);
    },
    'sessions:rotated': ({ id, recordId }) => markRotated(service.current(), id, recordId),
  });
}
