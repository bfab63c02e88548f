/**
 * Words and numbers shared by the plan, the graph and the readiness
 * dashboard, so a duration or a severity reads the same on every screen.
 */
import { formatMinutes } from '../../../../shared/durations';
import { SEVERITIES, type Severity } from '../../../../shared/recovery-kinds';

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

/** CSS modifier for a worst severity; null (no findings) reads as ok. */
export function severityClass(severity: Severity | null): string {
  return `sev-${severity ?? 'ok'}`;
}

export function severityLabel(severity: Severity | null): string {
  return severity === null ? 'No findings' : SEVERITY_LABELS[severity];
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** "45 min", "115 min (1 h 55 min)": minutes first, as runbooks estimate them. */
export function minutesText(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded < 90) {
    return `${rounded} min`;
  }
  return `${rounded} min (${formatMinutes(rounded)})`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
