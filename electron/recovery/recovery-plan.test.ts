/**
 * The recovery plan on synthetic graphs: waves, cycles, missing targets,
 * critical paths and RTO breaches, plus reference resolution the way
 * Backstage catalogs and hand-written services spell dependencies.
 */
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { storedRecord } from '../../test/support/stored-record.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { computePlan, findCycle, resolveServiceNames } from './recovery-plan.js';
import { buildServiceGraph, dependencyClosure, parseRef } from './service-graph.js';

const record = storedRecord;

/** name → [dependsOn, estimate, rto] */
function graphOf(spec: Record<string, [string[], number | null, number | null]>) {
  const records: StoredRecord[] = [];
  for (const [name, [deps, estimate, rto]] of Object.entries(spec)) {
    records.push(record('service', name, { dependsOn: deps, ...(rto === null ? {} : { rtoMinutes: rto }) }));
    if (estimate !== null) {
      records.push(record('runbook', `Recover ${name}`, { service: name, estimatedMinutes: estimate, steps: [], validation: [] }));
    }
  }
  return buildServiceGraph(records);
}

const idOf = (graph: ReturnType<typeof graphOf>, title: string): string => {
  const found = [...graph.services.values()].find((s) => s.title === title);
  if (!found) {
    throw new Error(`no ${title}`);
  }
  return found.id;
};
const titles = (graph: ReturnType<typeof graphOf>, ids: readonly string[]): string[] => ids.map((id) => graph.services.get(id)?.title ?? id);

describe('waves', () => {
  it('puts every service after all of its dependencies, in parallel groups', () => {
    const graph = graphOf({
      dns: [[], 10, null],
      identity: [[], 40, 30],
      db: [['identity', 'storage-net'], 45, 60],
      'storage-net': [[], 15, null],
      api: [['db', 'identity', 'dns'], 30, 120],
    });
    const plan = computePlan(graph);
    expect(plan.waves.map((w) => w.services.map((s) => s.title))).toEqual([['dns', 'identity', 'storage-net'], ['db'], ['api']]);
    for (const wave of plan.waves) {
      for (const service of wave.services) {
        for (const dep of graph.services.get(service.id)?.dependsOn ?? []) {
          const depWave = plan.waves.findIndex((w) => w.services.some((s) => s.id === dep));
          expect(depWave).toBeLessThan(wave.index);
        }
      }
    }
  });

  it('plans only the chosen services and what they need, transitively', () => {
    const graph = graphOf({ a: [[], 5, null], b: [['a'], 5, null], c: [['b'], 5, null], unrelated: [[], 5, null] });
    const plan = computePlan(graph, [idOf(graph, 'c')]);
    expect(plan.waves.flatMap((w) => w.services.map((s) => s.title))).toEqual(['a', 'b', 'c']);
    expect(plan.scope).toEqual([idOf(graph, 'c')]);
    expect(dependencyClosure(graph, [idOf(graph, 'b')])).toEqual(new Set([idOf(graph, 'a'), idOf(graph, 'b')]));
  });

  it('handles a 5,000-service chain without overflowing the stack', () => {
    const spec: Record<string, [string[], number | null, number | null]> = {};
    for (let i = 0; i < 5000; i += 1) {
      spec[`s${i}`] = [i === 0 ? [] : [`s${i - 1}`], 1, null];
    }
    const graph = graphOf(spec);
    expect(findCycle(graph)).toBeNull();
    const plan = computePlan(graph);
    expect(plan.waves).toHaveLength(5000);
    expect(plan.criticalPath.minutes).toBe(5000);
  });
});

describe('cycles', () => {
  it('refuses a cycle with an error that names every service in it', () => {
    const graph = graphOf({ a: [['c'], 5, null], b: [['a'], 5, null], c: [['b'], 5, null], d: [[], 5, null] });
    let error: unknown;
    try {
      computePlan(graph);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('PLAN_CYCLE');
    for (const name of ['a', 'b', 'c']) {
      expect((error as LifeboatError).message).toContain(name);
    }
    expect((error as LifeboatError).message).not.toContain(' d ');
    const cycle = findCycle(graph);
    expect(cycle?.[0]).toBe(cycle?.[cycle.length - 1]);
    expect(new Set(titles(graph, cycle ?? []))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('a service depending on itself is a cycle', () => {
    const graph = graphOf({ loop: [['loop'], 5, null] });
    expect(titles(graph, findCycle(graph) ?? [])).toEqual(['loop', 'loop']);
  });

  it('a cycle outside the chosen services does not block their plan', () => {
    const graph = graphOf({ a: [['b'], 5, null], b: [['a'], 5, null], fine: [[], 5, null] });
    expect(computePlan(graph, [idOf(graph, 'fine')]).waves).toHaveLength(1);
    expect(() => computePlan(graph, [idOf(graph, 'a')])).toThrow(/cycle/);
  });
});

describe('critical path and RTO on paper', () => {
  const graph = graphOf({
    identity: [[], 40, 30],
    dns: [[], 20, 20],
    db: [['identity'], 45, 60],
    api: [['db', 'identity', 'dns'], 30, 120],
  });
  const plan = computePlan(graph);
  const byTitle = (title: string) => plan.waves.flatMap((w) => w.services).find((s) => s.title === title);

  it('finishes each service after its slowest dependency', () => {
    expect(byTitle('db')).toMatchObject({ startMinute: 40, finishMinute: 85 });
    expect(byTitle('api')).toMatchObject({ startMinute: 85, finishMinute: 115 });
    expect(titles(graph, byTitle('api')?.criticalPath ?? [])).toEqual(['identity', 'db', 'api']);
  });

  it('reports the longest chain as the critical path', () => {
    expect(plan.criticalPath.minutes).toBe(115);
    expect(plan.criticalPath.services.map((s) => [s.title, s.estimatedMinutes])).toEqual([
      ['identity', 40],
      ['db', 45],
      ['api', 30],
    ]);
  });

  it('flags every service whose finish on paper exceeds its RTO, and only those', () => {
    expect(plan.breaches.map((s) => s.title).sort()).toEqual(['db', 'identity']);
    expect(byTitle('dns')?.breach).toBe(false); // 20 min against an RTO of 20: met exactly
  });

  it('treats a missing estimate as zero and marks what depends on it as a lower bound', () => {
    const partial = graphOf({ base: [[], null, null], mid: [['base'], 10, 5], top: [['mid'], 10, null], other: [[], 3, null] });
    const p = computePlan(partial);
    const all = p.waves.flatMap((w) => w.services);
    expect(all.find((s) => s.title === 'mid')).toMatchObject({ finishMinute: 10, lowerBound: true, breach: true });
    expect(all.find((s) => s.title === 'top')?.lowerBound).toBe(true);
    expect(all.find((s) => s.title === 'other')?.lowerBound).toBe(false);
    expect(p.unestimated.map((s) => s.title)).toEqual(['base']);
  });

  it('takes the longest runbook of a service with several (they are alternatives)', () => {
    const g = buildServiceGraph([
      record('service', 'svc', { dependsOn: [] }),
      record('runbook', 'Disk full', { service: 'svc', estimatedMinutes: 15, steps: [], validation: [] }),
      record('runbook', 'Region lost', { service: 'svc', estimatedMinutes: 90, steps: [], validation: [] }),
    ]);
    expect(computePlan(g).criticalPath.minutes).toBe(90);
  });
});

describe('references', () => {
  it('parses entity refs with and without namespace', () => {
    expect(parseRef('resource:artists-db')).toEqual({ full: 'resource:default/artists-db', name: 'artists-db' });
    expect(parseRef('Component:Team-A/Billing')).toEqual({ full: 'component:team-a/billing', name: 'billing' });
    expect(parseRef('identity')).toEqual({ full: null, name: 'identity' });
  });

  it('resolves catalog refs by key, bare names by title, and lists the rest as missing', () => {
    const catalogRef = (key: string) => ({ catalogId: 'c', key, file: 'x.yaml', catalogVersion: 1, syncedRevision: 1, entryHash: 'h' });
    const g = buildServiceGraph([
      record('service', 'Artists database', { dependsOn: [], catalogRef: catalogRef('resource:default/artists-db') }),
      record('service', 'artist-lookup', {
        dependsOn: ['resource:artists-db', 'resource:obc', 'Artists Database'],
        catalogRef: catalogRef('component:default/artist-lookup'),
      }),
    ]);
    const lookup = [...g.services.values()].find((s) => s.title === 'artist-lookup');
    expect(lookup?.dependsOn.map((id) => g.services.get(id)?.title)).toEqual(['Artists database']);
    expect(lookup?.missing).toEqual(['resource:obc']);
    const plan = computePlan(g);
    expect(plan.missing).toEqual([{ serviceId: lookup?.id, serviceTitle: 'artist-lookup', ref: 'resource:obc' }]);
  });

  it('leaves an ambiguous bare name unresolved rather than guess', () => {
    const g = buildServiceGraph([
      record('service', 'db', { dependsOn: [] }),
      record('service', 'DB', { dependsOn: [] }),
      record('service', 'app', { dependsOn: ['db'] }),
    ]);
    expect([...g.services.values()].find((s) => s.title === 'app')?.missing).toEqual(['db']);
    expect(() => resolveServiceNames(g, ['db'])).toThrow(/more than one/);
  });

  it('ignores deleted and archived services, and runbooks of services that do not exist', () => {
    const g = buildServiceGraph([
      record('service', 'live', { dependsOn: ['gone', 'old'] }),
      record('service', 'gone', { dependsOn: [] }, { deleted: true }),
      record('service', 'old', { dependsOn: [], archived: true }),
      record('runbook', 'Orphan', { service: 'nowhere', steps: [], validation: [] }),
    ]);
    expect([...g.services.values()].map((s) => s.title)).toEqual(['live']);
    expect(g.services.values().next().value?.missing).toEqual(['gone', 'old']);
    expect(g.orphanRunbooks.map((r) => r.title)).toEqual(['Orphan']);
  });

  it('resolves names typed by a person, and names an unknown one in the error', () => {
    const g = graphOf({ identity: [[], 5, null] });
    expect(resolveServiceNames(g, ['identity', idOf(g, 'identity')])).toEqual([idOf(g, 'identity')]);
    expect(() => resolveServiceNames(g, ['billing'])).toThrow(/billing/);
  });
});

describe('the critical path as a whole', () => {
  it('says when its minutes are only a lower bound', () => {
    expect(computePlan(graphOf({ a: [[], 10, null], b: [['a'], 5, null] })).criticalPath.lowerBound).toBe(false);
    expect(computePlan(graphOf({ a: [[], null, null], b: [['a'], 5, null] })).criticalPath).toMatchObject({ minutes: 5, lowerBound: true });
  });
});
