/**
 * Honest planning (issue #19, item 6): a plan never turns missing RTOs or
 * estimates into good news. Through computePlan, the way both hosts and the
 * CLI get it.
 */
import { describe, expect, it } from 'vitest';
import { storedRecord } from '../../test/support/stored-record.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { paperSummary, rtoVerdict } from './plan-verdicts.js';
import { computePlan } from './recovery-plan.js';
import { buildServiceGraph } from './service-graph.js';

/** name → [dependsOn, estimate, rto] */
function planOf(spec: Record<string, [string[], number | null, number | null]>) {
  const records: StoredRecord[] = [];
  for (const [name, [deps, estimate, rto]] of Object.entries(spec)) {
    records.push(storedRecord('service', name, { dependsOn: deps, ...(rto === null ? {} : { rtoMinutes: rto }) }));
    if (estimate !== null) {
      records.push(storedRecord('runbook', `Recover ${name}`, { service: name, estimatedMinutes: estimate, steps: [], validation: [] }));
    }
  }
  return computePlan(buildServiceGraph(records));
}

const verdicts = (plan: ReturnType<typeof planOf>): Record<string, string> =>
  Object.fromEntries(plan.waves.flatMap((w) => w.services).map((s) => [s.title, s.verdict]));

describe('a plan with no RTOs and no estimates (the issue’s screen)', () => {
  const plan = planOf({ dns: [[], null, null], db: [['dns'], null, null], api: [['db'], null, null], web: [['api'], null, null] });

  it('says the total is unknown, never "at least 0 min"', () => {
    expect(plan.paper.total).toMatchObject({ state: 'unknown', unestimated: 4 });
    expect(plan.paper.total.text).toBe('unknown: no runbook in this plan gives a time estimate');
    expect(JSON.stringify(plan.paper)).not.toMatch(/0 min/);
  });

  it('counts every service as no RTO set and no estimate, in grey, and nothing as achievable', () => {
    expect(plan.paper.lines).toEqual([
      { tone: 'unknown', text: 'no RTO set — 4 services' },
      { tone: 'unknown', text: 'no estimate — 4 services' },
    ]);
    expect(plan.paper.counts).toEqual({ achievable: 0, breach: 0, unknown: 0, noRto: 4, unestimated: 4 });
    expect(Object.values(verdicts(plan))).toEqual(['no-rto', 'no-rto', 'no-rto', 'no-rto']);
  });
});

describe('partial estimates', () => {
  it('gives the total as "at least N min, plus M services with no estimate"', () => {
    const plan = planOf({ dns: [[], 10, 60], db: [['dns'], 45, 120], cache: [[], null, 60], queue: [[], null, null] });
    expect(plan.paper.total).toEqual({ state: 'at-least', minutes: 55, unestimated: 2, text: 'at least 55 min, plus 2 services with no estimate' });
  });

  it('is unknown, not achievable, for an RTO whose path lacks an estimate, and a breach once even the lower bound is late', () => {
    const plan = planOf({
      base: [[], null, null],
      quick: [['base'], 5, 30],
      slow: [['base'], 50, 30],
      solid: [[], 10, 30],
    });
    expect(verdicts(plan)).toEqual({ base: 'no-rto', quick: 'unknown', slow: 'breach', solid: 'achievable' });
    expect(plan.paper.lines).toEqual([
      { tone: 'bad', text: '1 RTO is not achievable on paper' },
      { tone: 'ok', text: '1 RTO is achievable on paper' },
      { tone: 'unknown', text: 'RTO unknown on paper — 1 service (an estimate is missing on the way)' },
      { tone: 'unknown', text: 'no RTO set — 1 service' },
      { tone: 'unknown', text: 'no estimate — 1 service' },
    ]);
  });
});

describe('the all-clear', () => {
  it('is said only when every service has an RTO and an estimate and every RTO is met', () => {
    const plan = planOf({ dns: [[], 10, 30], api: [['dns'], 20, 60] });
    expect(plan.paper.lines).toEqual([{ tone: 'ok', text: 'Every RTO in this plan is achievable on paper' }]);
    expect(plan.paper.total).toEqual({ state: 'known', minutes: 30, unestimated: 0, text: '30 min' });
  });

  it('is not said when one service has no RTO, though every RTO set is met', () => {
    const plan = planOf({ dns: [[], 10, null], api: [['dns'], 20, 60] });
    expect(plan.paper.lines.map((l) => l.text)).toEqual(['1 RTO is achievable on paper', 'no RTO set — 1 service']);
  });

  it('is not said for an empty plan', () => {
    expect(paperSummary([], 0).lines).toEqual([]);
    expect(paperSummary([], 0).total.state).toBe('unknown');
  });
});

describe('rtoVerdict', () => {
  it('reads RTO, finish and lower bound', () => {
    expect(rtoVerdict(null, 10, false)).toBe('no-rto');
    expect(rtoVerdict(30, 30, false)).toBe('achievable');
    expect(rtoVerdict(30, 31, false)).toBe('breach');
    expect(rtoVerdict(30, 0, true)).toBe('unknown');
    expect(rtoVerdict(30, 45, true)).toBe('breach');
  });
});
