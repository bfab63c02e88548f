/**
 * The recovery channels: graph, plan, readiness, and recovery sessions with
 * their evidence reports. Thin: each calls the engine with the open session.
 */
import { addJournal, endSession, getSession, listSessions, markStep, recordCheck, startSession } from '../recovery/recovery-sessions.js';
import { graphOf, planOf, readinessOf } from '../recovery/recovery-views.js';
import { markRotated, sessionReport } from '../recovery/evidence-report.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { exportReport } from '../recovery/report-export.js';
import type { Handlers } from './router.js';
import { oneAtATime, type VaultService } from './vault-handlers.js';

type RecoveryChannels =
  | 'recovery:graph'
  | 'recovery:plan'
  | 'recovery:readiness'
  | 'sessions:list'
  | 'sessions:start'
  | 'sessions:get'
  | 'sessions:step'
  | 'sessions:check'
  | 'sessions:journal'
  | 'sessions:end'
  | 'sessions:report'
  | 'sessions:export'
  | 'sessions:rotated';

export function createRecoveryHandlers(service: VaultService, printPdf?: PdfPrinter): Pick<Handlers, RecoveryChannels> {
  return oneAtATime(service, {
    'recovery:graph': () => graphOf(service.current()),
    'recovery:plan': ({ services }) => planOf(service.current(), services ?? []),
    'recovery:readiness': ({ staleDays }) => readinessOf(service.current(), { staleDays }),
    'sessions:list': () => listSessions(service.current()),
    'sessions:start': ({ kind, scenario, services }) => startSession(service.current(), { kind, scenario, services }),
    'sessions:get': ({ id }) => getSession(service.current(), id),
    'sessions:step': ({ id, serviceId, index, done }) => markStep(service.current(), id, serviceId, index, done),
    'sessions:check': ({ id, serviceId, index, passed, note }) => recordCheck(service.current(), id, serviceId, index, passed, note),
    'sessions:journal': ({ id, kind, serviceId, text }) => addJournal(service.current(), id, { kind, serviceId, text }),
    'sessions:end': ({ id }) => endSession(service.current(), id),
    'sessions:report': ({ id }) => sessionReport(service.current(), id),
    'sessions:export': ({ id, format, path }) => exportReport(service.current(), id, format, path, printPdf),
    'sessions:rotated': ({ id, recordId }) => markRotated(service.current(), id, recordId),
  });
}
