import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract';
import { formatMinutes } from '../../../shared/durations';
import type { LifeboatErrorShape } from '../../../shared/errors';
import { timeForBoth } from '../../../shared/zoned-time';
import { invoke } from '../lifeboat-client';
import { useClipboardStore } from '../stores/clipboard-store';
import { CopyNotice } from './CopyNotice';
import './on-call.css';

type Report = ResponseOf<'oncall:lookup'>;
type Answer = Report['services'][number];
type Schedule = NonNullable<Extract<Answer['levels'][number]['targets'][number], { kind: 'schedule' }>['schedule']>;
type Person = Schedule['next'] extends infer N ? (N extends { person: infer P } ? P : never) : never;

const laptopZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A phone you can copy (through main, like every copy), and the out-of-band channels. */
function Reach({ person, copyKey }: { person: Person; copyKey: string }) {
  const copyText = useClipboardStore((s) => s.copyText);
  return (
    <div className="call-ways">
      {person.phones.length === 0 && <span className="oncall-missing">no phone in the vault</span>}
      {person.phones.map((phone, i) => (
        <span key={phone} className="phone">
          <code>{phone}</code>
          <button type="button" className="link-button" onClick={() => void copyText(`${copyKey}:${i}`, phone)} aria-label={`Copy ${phone}`}>
            copy
          </button>
          <CopyNotice copyKey={`${copyKey}:${i}`} />
        </span>
      ))}
      {person.channels.map((channel) => (
        <span key={channel} className="muted">
          {channel}
        </span>
      ))}
    </div>
  );
}

function PersonLine({ person, copyKey }: { person: Person; copyKey: string }) {
  return (
    <>
      <span className="result-title">{person.name}</span>
      {person.match === 'name' && (
        <span className="pill" title="No e-mail tied this person to a contact: matched by name only">
          matched by name
        </span>
      )}
      {person.match === 'none' && <span className="pill pill-bad">no contact in the vault</span>}
      <Reach person={person} copyKey={copyKey} />
    </>
  );
}

function ScheduleNowView({ schedule, copyKey }: { schedule: Schedule; copyKey: string }) {
  const when = (iso: string): string => timeForBoth(iso, schedule.timeZone, laptopZone());
  return (
    <div className="oncall-schedule">
      <p className="muted oncall-source">
        {schedule.title} · {schedule.timeZone} · {schedule.source}
      </p>
      {schedule.now ? (
        <div className="oncall-now" data-testid="oncall-now">
          <PersonLine person={schedule.now} copyKey={`${copyKey}:now`} />
          {schedule.nowUntil && <p className="muted oncall-time">on call until {when(schedule.nowUntil)}</p>}
        </div>
      ) : (
        <p className="oncall-nobody" role="status">
          Nobody on call. {schedule.notice}
        </p>
      )}
      {schedule.next && (
        <div className="oncall-next">
          <span className="muted">Next, from {when(schedule.next.from)}: </span>
          <PersonLine person={schedule.next.person} copyKey={`${copyKey}:next`} />
        </div>
      )}
    </div>
  );
}

function AnswerView({ answer }: { answer: Answer }) {
  return (
    <section className="oncall-service" aria-label={`On call for ${answer.service.title}`} data-testid="oncall-service">
      <h4>
        {answer.service.title}
        <span className="muted"> · {answer.policy ? answer.policy.title : 'no escalation path'}</span>
      </h4>
      <ol className="oncall-levels">
        {answer.levels.map((level) => (
          <li key={level.level}>
            <span className="oncall-level">
              Level {level.level}
              {level.escalateAfterMinutes !== null && <span className="muted"> · escalates after {formatMinutes(level.escalateAfterMinutes)}</span>}
            </span>
            {level.targets.map((target, i) =>
              target.kind === 'person' ? (
                <div key={i} className="oncall-now">
                  <PersonLine person={target.person} copyKey={`oncall:${answer.service.id}:${level.level}:${i}`} />
                </div>
              ) : target.schedule ? (
                <ScheduleNowView key={i} schedule={target.schedule} copyKey={`oncall:${answer.service.id}:${level.level}:${i}`} />
              ) : (
                <p key={i} className="oncall-nobody">
                  Schedule {target.name} is not in the vault.
                </p>
              ),
            )}
          </li>
        ))}
      </ol>
      {answer.notices.length > 0 && (
        <ul className="oncall-notices" role="status">
          {answer.notices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
      {answer.fallback && (
        <div className="oncall-fallback">
          <strong>Escalation contacts, in order</strong>
          {answer.fallback.length === 0 ? (
            <p className="muted">No contact has an escalation order: give the first people to call one (Escalation order, 1 first).</p>
          ) : (
            <ol className="call-list">
              {answer.fallback.map((c) => (
                <li key={c.id}>
                  <PersonLine
                    person={{ name: c.name, email: null, match: 'email', contact: null, phones: c.phones, channels: c.channels }}
                    copyKey={`oncall:fallback:${c.id}`}
                  />
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * Who is on call for services (issue 23): each service's escalation path at
 * the laptop's time, in the schedule's zone and the laptop's, with the
 * laptop clock in UTC and its warning. Asking is logged by main.
 */
export function OnCallCard({ serviceIds, heading = 'On call now' }: { serviceIds: readonly string[]; heading?: string }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<LifeboatErrorShape | null>(null);
  const key = serviceIds.join(',');
  // Services without a path share one notice and one fallback list, not one each.
  const withPath = report?.services.filter((a) => a.policy !== null) ?? [];
  const withoutPath = report?.services.filter((a) => a.policy === null) ?? [];

  useEffect(() => {
    let current = true;
    void invoke('oncall:lookup', { services: key === '' ? [] : key.split(',') }).then((result) => {
      if (!current) {
        return;
      }
      if (result.ok) {
        setReport(result.value);
        setError(null);
      } else {
        setError(result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [key]);

  return (
    <section className="oncall" aria-labelledby="oncall-heading" data-testid="oncall">
      <h3 id="oncall-heading">{heading}</h3>
      {error && <p className="error">{error.message}</p>}
      {report && (
        <>
          <p className="muted oncall-clock" data-testid="oncall-clock">
            Laptop clock {report.clock.nowUtc.slice(0, 16).replace('T', ' ')} UTC
          </p>
          {report.clock.warning && (
            <p className="oncall-nobody" role="alert">
              {report.clock.warning}
            </p>
          )}
          {withPath.map((answer) => (
            <AnswerView key={answer.service.id} answer={answer} />
          ))}
          {withoutPath.length > 0 && (
            <AnswerView
              answer={{
                service: { id: 'no-path', title: withoutPath.map((a) => a.service.title).join(', ') },
                policy: null,
                levels: [],
                notices: [
                  withoutPath.length === 1
                    ? (withoutPath[0]?.notices[0] ?? '')
                    : `${withoutPath.length} services have no escalation path in the vault; escalation contacts by hand.`,
                ],
                fallback: withoutPath[0]?.fallback ?? [],
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
