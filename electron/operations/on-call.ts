/**
 * Who is on call (issue 23), for the window and `lifeboat oncall` alike:
 * reads the services, escalation policies, schedules and contacts, logs one
 * "oncall.opened" event naming what it read (like opening those records),
 * then answers with electron/recovery/on-call.ts. The laptop's clock is
 * checked against times already seen (shared/clock-check.ts): the newest
 * audit event, the last catalog sync and that catalog's signing time (its
 * signed manifest's createdAt), read before this lookup's own event.
 */
import { checkLaptopClock } from '../../shared/clock-check.js';
import { LifeboatError } from '../../shared/errors.js';
import type { OnCallReport } from '../../shared/on-call.js';
import type { RecordType } from '../../shared/record-kinds.js';
import { lastSync } from '../catalog/catalog-trust.js';
import { scheduleAt, serviceOnCall, type OnCallRecord, type OnCallRecords } from '../recovery/on-call.js';
import { newestEventTime } from '../vault/audit/vault-audit.js';
import type { VaultSession } from '../vault/vault-session.js';

export interface OnCallQuery {
  /** Service record ids or titles; none: every schedule's person on call. */
  services?: readonly string[];
  /** The time to ask about; the laptop's clock when absent. */
  at?: Date;
}

function recordsOf(session: VaultSession, type: RecordType): OnCallRecord[] {
  const store = session.store();
  return store
    .list(type)
    .map((summary) => store.get(summary.id))
    .filter((r) => r !== undefined && r.data['archived'] !== true)
    .map((r) => ({ id: r?.id ?? '', title: r?.title ?? '', data: r?.data ?? {} }));
}

function findService(services: readonly OnCallRecord[], wanted: string): OnCallRecord {
  const exact = services.find((s) => s.id === wanted) ?? services.filter((s) => s.title.toLowerCase() === wanted.trim().toLowerCase());
  if (!Array.isArray(exact)) {
    return exact;
  }
  if (exact.length === 1 && exact[0]) {
    return exact[0];
  }
  if (exact.length > 1) {
    throw new LifeboatError('VAULT_BAD_INPUT', `${exact.length} services are titled "${wanted}": name one by its id (${exact.map((s) => s.id).join(', ')}).`);
  }
  throw new LifeboatError('VAULT_NOT_FOUND', `No service "${wanted}" in the vault (\`lifeboat list DIR --type service\` lists them).`);
}

export async function onCall(session: VaultSession, query: OnCallQuery = {}, now: Date = new Date()): Promise<OnCallReport> {
  session.require('records.read');
  const at = query.at ?? now;
  const clock = checkLaptopClock(now, [
    { what: 'the newest audit event', time: newestEventTime(session) },
    { what: 'the last catalog sync', time: lastSync(session)?.at },
    { what: 'the signing time of the last catalog synced', time: lastSync(session)?.signedAt },
  ]);
  const records: OnCallRecords = {
    services: recordsOf(session, 'service'),
    escalations: recordsOf(session, 'escalation'),
    schedules: recordsOf(session, 'schedule'),
    contacts: recordsOf(session, 'contact'),
  };
  const wanted = (query.services ?? []).map((name) => findService(records.services, name));
  const services = wanted.map((service) => serviceOnCall(service, records, at));
  const schedules = wanted.length === 0 ? records.schedules.map((schedule) => scheduleAt(schedule, records.contacts, at)) : [];
  // What the answer shows is read from these records: logged first, like opening them.
  const read = new Set<string>();
  for (const answer of services) {
    [answer.service.id, answer.policy?.id, ...(answer.fallback ?? []).map((c) => c.id)].forEach((id) => id && read.add(id));
    for (const target of answer.levels.flatMap((l) => l.targets)) {
      const people = target.kind === 'person' ? [target.person] : [target.schedule?.now, target.schedule?.next?.person];
      [target.kind === 'schedule' ? target.schedule?.id : undefined, ...people.map((p) => p?.contact?.id)].forEach((id) => id && read.add(id));
    }
  }
  for (const schedule of schedules) {
    [schedule.id, schedule.now?.contact?.id, schedule.next?.person.contact?.id].forEach((id) => id && read.add(id));
  }
  await session.log({
    type: 'oncall.opened',
    details: {
      services: wanted.map((s) => s.title).join(', ') || 'every schedule',
      at: `${at.toISOString().slice(0, 19)}Z`,
      records: [...read].join(','),
      count: read.size,
    },
  });
  return { at: `${at.toISOString().slice(0, 19)}Z`, clock, services, schedules };
}
