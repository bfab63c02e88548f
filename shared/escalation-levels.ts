/**
 * One level of an escalation policy, as an escalation record stores it: one
 * line of its `levels` list, first paged first (docs/catalog-format.md
 * "Escalation policies"):
 *
 *   schedule Payments primary, escalate after 30m
 *   person Ana Lima, escalate after 15m
 *   person Ana Lima
 *
 * The target is a schedule (by title) or a person (a contact's title or
 * e-mail); the delay is how long the level is paged before the next one is
 * (a duration as shared/durations.ts reads it). Declared once here: the
 * catalog reader, the PagerDuty importer, the on-call lookup and the editor's
 * hint all speak it.
 */
import { formatMinutes, parseDuration } from './durations.js';

export type EscalationTargetKind = 'schedule' | 'person';

export interface EscalationTarget {
  kind: EscalationTargetKind;
  name: string;
}

export interface EscalationLevel {
  /** Paged together (a PagerDuty rule may name several): `schedule A + person B`. */
  targets: EscalationTarget[];
  /** Minutes before the next level is paged; null when not said (the last level, usually). */
  escalateAfterMinutes: number | null;
}

const LINE = /^(.+?)(?:\s*,\s*escalate after\s+(.+))?$/i;
const TARGET = /^(schedule|person)\s+(.+)$/i;

/** The level a line says, or the reason it says none. */
export function parseEscalationLevel(line: string): EscalationLevel | { error: string } {
  const [, head = '', delay] = LINE.exec(line.trim()) ?? [];
  const targets: EscalationTarget[] = [];
  for (const part of head.split(/\s+\+\s+/)) {
    const match = TARGET.exec(part.trim());
    if (!match) {
      return {
        error: `"${line}" is not a level: write "schedule NAME" or "person NAME" (several joined by " + "), optionally followed by ", escalate after 30m".`,
      };
    }
    targets.push({ kind: (match[1] ?? '').toLowerCase() as EscalationTargetKind, name: (match[2] ?? '').trim() });
  }
  if (delay === undefined) {
    return { targets, escalateAfterMinutes: null };
  }
  const minutes = parseDuration(delay);
  if (minutes === undefined) {
    return { error: `"${line}": escalate after ${delay} is not a duration (write 30m, 1h or 90).` };
  }
  return { targets, escalateAfterMinutes: minutes };
}

/** The stored line of a level: the inverse of parseEscalationLevel. */
export function formatEscalationLevel(level: EscalationLevel): string {
  const delay = level.escalateAfterMinutes === null ? '' : `, escalate after ${level.escalateAfterMinutes}m`;
  return `${level.targets.map((t) => `${t.kind} ${t.name}`).join(' + ')}${delay}`;
}

/** "escalates after 30 min" for a screen, "" when not said. */
export function describeEscalationDelay(level: EscalationLevel): string {
  return level.escalateAfterMinutes === null ? '' : `escalates after ${formatMinutes(level.escalateAfterMinutes)}`;
}
