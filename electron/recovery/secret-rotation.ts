/**
 * Which secrets were revealed during a recovery session, and whether each has
 * been rotated since. Derived from the audit log alone, so it cannot drift
 * from what was actually revealed:
 * - a reveal is a `secret.revealed` or `secret.copied` event inside the
 *   session's window (its start event to its end event, or to now while it runs);
 * - a secret counts as rotated once a later event says so: an explicit
 *   `secret.rotated` (someone rotated it at the source and says so), or a
 *   `record.edited` that changed one of its sealed fields (the new value was
 *   stored).
 */
import { LifeboatError } from '../../shared/errors.js';
import { SEALED_FIELDS } from '../../shared/record-kinds.js';
import type { Reveal, RotationItem } from '../../shared/recovery.js';
import type { AuditEntry } from '../vault/audit/vault-audit.js';

/**
 * The reveals made during a session. The window is taken in log order, from
 * the session's `session.started` event to its `session.ended` (or the end of
 * the log while it runs), so two events in the same millisecond cannot land
 * on the wrong side; the times are the fallback for a session whose events
 * are missing from the log.
 */
export function revealsDuring(
  entries: readonly AuditEntry[],
  session: { id: string; startedAt: string; endedAt?: string | undefined },
): (Reveal & { seq: number })[] {
  const eventOf = (type: string): AuditEntry | undefined =>
    entries.find((entry) => entry.event.type === type && entry.event.details?.['sessionId'] === session.id);
  const started = eventOf('session.started');
  const ended = eventOf('session.ended');
  const inWindow = (entry: AuditEntry): boolean => {
    const afterStart = started ? entry.seq > started.seq : entry.time >= session.startedAt;
    const beforeEnd = ended ? entry.seq < ended.seq : session.endedAt === undefined || entry.time <= session.endedAt;
    return afterStart && beforeEnd;
  };
  return entries
    .filter((entry) => entry.event.type === 'secret.revealed' || entry.event.type === 'secret.copied')
    .filter(inWindow)
    .map((entry) => ({
      seq: entry.seq,
      at: entry.time,
      actor: entry.event.actor,
      action: entry.event.type === 'secret.copied' ? ('copied' as const) : ('revealed' as const),
      recordId: entry.event.recordId ?? '',
      recordTitle: entry.event.recordTitle ?? '',
      field: entry.event.field ?? '',
      reason: entry.event.reason ?? '',
    }));
}

function rotatesSecret(entry: AuditEntry, recordId: string): boolean {
  if (entry.event.recordId !== recordId) {
    return false;
  }
  if (entry.event.type === 'secret.rotated') {
    return true;
  }
  const fields = entry.event.details?.['fields'];
  return entry.event.type === 'record.edited' && typeof fields === 'string' && fields.split(',').some((f) => (SEALED_FIELDS as readonly string[]).includes(f));
}

/** One line per revealed secret, with the first rotation after its last reveal, if any. */
export function rotationChecklist(entries: readonly AuditEntry[], reveals: readonly (Reveal & { seq: number })[]): RotationItem[] {
  const bySecret = new Map<string, (Reveal & { seq: number })[]>();
  for (const reveal of reveals) {
    bySecret.set(reveal.recordId, [...(bySecret.get(reveal.recordId) ?? []), reveal]);
  }
  return [...bySecret.entries()]
    .map(([recordId, list]) => {
      const last = list.reduce((a, b) => (b.seq > a.seq ? b : a));
      const rotation = entries.find((entry) => entry.seq > last.seq && rotatesSecret(entry, recordId));
      return {
        recordId,
        recordTitle: last.recordTitle,
        fields: [...new Set(list.map((r) => r.field))].sort(),
        lastRevealedAt: last.at,
        revealedBy: [...new Set(list.map((r) => r.actor))].sort(),
        ...(rotation ? { rotatedAt: rotation.time, rotatedBy: rotation.event.actor } : {}),
      };
    })
    .sort((a, b) => Number(a.rotatedAt !== undefined) - Number(b.rotatedAt !== undefined) || a.recordTitle.localeCompare(b.recordTitle));
}

/** A secret may be marked rotated for a session only if that session revealed it. */
export function requireRevealed(reveals: readonly Reveal[], recordId: string, scenario: string): Reveal {
  const reveal = reveals.find((r) => r.recordId === recordId);
  if (!reveal) {
    throw new LifeboatError('VAULT_BAD_INPUT', `No secret ${recordId} was revealed during "${scenario}", so there is nothing to rotate for it.`);
  }
  return reveal;
}
