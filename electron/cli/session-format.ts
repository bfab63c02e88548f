/**
 * A recovery session as `session start` and `session show` print it: by
 * wave, each service's numbered steps and checks with who ticked what when,
 * the journal, and the commands to tick the next step. Steps and checks are
 * numbered from 1 here; the engine counts from 0.
 */
import type { RecoverySession, SessionKind, SessionService } from '../../shared/recovery.js';
import { minutes, plural, shellWord, time } from './output-format.js';

function kindLabel(kind: SessionKind): string {
  return kind === 'incident' ? 'Incident' : 'Exercise';
}

/** "orders-db (wave 2), identity (wave 1)": what a service waits on, by title and wave as `show` lists them. */
export function waitingNames(recovery: RecoverySession, service: SessionService, ids = service.waitingOn ?? []): string {
  return ids
    .map((id) => {
      const need = recovery.services.find((s) => s.id === id);
      return need ? `${need.title} (wave ${need.wave + 1})` : id;
    })
    .join(', ');
}

function serviceHeading(recovery: RecoverySession, service: SessionService): string[] {
  const facts = [
    service.rtoMinutes === null ? 'no RTO' : `RTO ${minutes(service.rtoMinutes)}`,
    service.estimatedMinutes === null ? 'no estimate' : `estimate ${minutes(service.estimatedMinutes)}`,
  ];
  const useful =
    service.usefulAt !== undefined
      ? `  — USEFUL after ${minutes(service.usefulMinutes ?? 0)} (${time(service.usefulAt)})`
      : service.waitingOn !== undefined
        ? `  — WAITING on ${waitingNames(recovery, service)}`
        : '';
  const lines = [`  ${service.title}  (${service.id}; ${facts.join(', ')})${useful}`];
  if (service.override) {
    const o = service.override;
    lines.push(`    counted useful without waiting on ${waitingNames(recovery, service, o.waitingOn)}: ${o.by} at ${time(o.at)}, "${o.reason}"`);
  }
  return lines;
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
    lines.push(...serviceHeading(recovery, service), ...checklistLines(service));
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
