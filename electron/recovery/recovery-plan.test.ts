/**
 * The recovery plan on synthetic graphs: waves, recover-together groups
 * (cycles condensed, named and given suggested breaks), soft dependencies,
 * missing targets, critical paths and RTO breaches, plus reference
 * resolution the way Backstage catalogs and hand-written services spell
 * dependencies.
 */
import { describe, expect, it } from 'vitest';
import type { RecoveryPlan } from '../../shared/recovery.js';
import { storedRecord } from '../../test/support/stored-record.js';
import type { StoredRecord } from '../vault/records/record-store.js';
import { computePlan, resolveServiceNames } from './recovery-plan.js';
import { buildServiceGraph, dependencyClosure, parseRef } from './service-graph.js';

const record = storedRecord;

/** name → [dependsOn, estimate, rto, other service data] */
function graphOf(spec: Record<string, [string[], number | null, number | null, Record<string, unknown>?]>) {
  const records: StoredRecord[] = [];
  for (const [name, [deps, estimate, rto, extra]] of Object.entries(spec)) {
    records.push(record('service', name, { dependsOn: deps, ...(rto === null ? {} : { rtoMinutes: rto }), ...extra }));
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
    const plan = computePlan(graph);
    expect(plan.groups).toEqual([]);
    expect(plan.waves).toHaveLength(5000);
    expect(plan.criticalPath.minutes).toBe(5000);
  });
});

/** Wave by wave, the titles, a group's members in brackets: [['base'], ['[a b c]'], ['d']]. */
function shape(plan: RecoveryPlan): string[][] {
  return plan.waves.map((wave) => {
    const out: string[] = [];
    for (const s of wave.services) {
      const group = s.group === null ? null : plan.groups[s.group];
      if (!group) {
        out.push(s.title);
      } else if (group.services[0]?.id === s.id) {
        out.push(`[${group.services.map((m) => m.title).join(' ')}]`);
      }
    }
    return out;
  });
}

const cycleTitles = (cycles: readonly (readonly { title: string }[])[]): string[] => cycles.map((c) => c.map((s) => s.title).join(' → '));

/** True when dropping `breaks` (and ignoring soft edges) leaves the plan's groups empty. */
function ordersOnceBroken(
  spec: Record<string, [string[], number | null, number | null]>,
  breaks: readonly { from: { title: string }; to: { title: string } }[],
): boolean {
  const cut = Object.fromEntries(
    Object.entries(spec).map(([name, [deps, e, r]]) => [
      name,
      [deps.filter((d) => !breaks.some((b) => b.from.title === name && b.to.title === d)), e, r] as (typeof spec)[string],
    ]),
  );
  return computePlan(graphOf(cut)).groups.length === 0;
}

describe('recover-together groups', () => {
  it('condenses a cycle into one group, in one wave after everything it needs, and never refuses', () => {
    const graph = graphOf({ a: [['b', 'base'], 5, null], b: [['c'], 5, null], c: [['a'], 5, null], base: [[], 5, null], d: [['a'], 5, null] });
    const plan = computePlan(graph);
    expect(shape(plan)).toEqual([['base'], ['[a b c]'], ['d']]);
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]).toMatchObject({ index: 0, wave: 1, cycleCount: 1, cycleCountComplete: true, suggestedBreaksExact: true });
    expect(cycleTitles(plan.groups[0]?.cycles ?? [])).toEqual(['a → b → c → a']);
    expect(plan.groups[0]?.edges.map((e) => `${e.from.title}>${e.to.title}`).sort()).toEqual(['a>b', 'b>c', 'c>a']);
    // Every service exactly once.
    expect(plan.waves.flatMap((w) => w.services.map((s) => s.title)).sort()).toEqual(['a', 'b', 'base', 'c', 'd']);
  });

  it('plans a subset that reaches into a group with the whole group, and one beside it without', () => {
    const graph = graphOf({ a: [['b'], 5, null], b: [['a'], 5, null], top: [['a'], 5, null], fine: [[], 5, null] });
    expect(shape(computePlan(graph, [idOf(graph, 'b')]))).toEqual([['[a b]']]);
    expect(shape(computePlan(graph, [idOf(graph, 'top')]))).toEqual([['[a b]'], ['top']]);
    expect(shape(computePlan(graph, [idOf(graph, 'fine')]))).toEqual([['fine']]);
  });

  it('a service that depends on itself is a group of one, its own entry the break', () => {
    const plan = computePlan(graphOf({ loop: [['loop'], 5, null], after: [['loop'], 5, null] }));
    expect(shape(plan)).toEqual([['[loop]'], ['after']]);
    expect(cycleTitles(plan.groups[0]?.cycles ?? [])).toEqual(['loop → loop']);
    expect(plan.groups[0]?.suggestedBreaks.map((e) => `${e.from.title}>${e.to.title}`)).toEqual(['loop>loop']);
  });

  it('names every cycle of nested loops, and one edge shared by both is the suggested break', () => {
    const spec: Record<string, [string[], number | null, number | null]> = { a: [['b'], 5, null], b: [['a', 'c'], 5, null], c: [['a'], 5, null] };
    const plan = computePlan(graphOf(spec));
    const group = plan.groups[0];
    expect(cycleTitles(group?.cycles ?? [])).toEqual(['a → b → a', 'a → b → c → a']);
    expect(group?.cycleCount).toBe(2);
    expect(group?.suggestedBreaks.map((e) => `${e.from.title}>${e.to.title}`)).toEqual(['a>b']);
    expect(ordersOnceBroken(spec, group?.suggestedBreaks ?? [])).toBe(true);
  });

  it('two groups, one needing the other: two waves, numbered in wave order', () => {
    const plan = computePlan(graphOf({ c: [['d', 'a'], 5, null], d: [['c'], 5, null], a: [['b'], 5, null], b: [['a'], 5, null] }));
    expect(shape(plan)).toEqual([['[a b]'], ['[c d]']]);
    expect(plan.groups.map((g) => [g.index, g.wave, g.services.map((s) => s.title).join(' ')])).toEqual([
      [0, 0, 'a b'],
      [1, 1, 'c d'],
    ]);
  });

  it('names the first 20 cycles of a dense group and counts the rest', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const plan = computePlan(graphOf(Object.fromEntries(names.map((n) => [n, [names.filter((m) => m !== n), 5, null]]))));
    const group = plan.groups[0];
    expect(group?.cycles).toHaveLength(20);
    expect(group).toMatchObject({ cycleCount: 409, cycleCountComplete: true });
    // Shortest first, each closed, none visiting a service twice.
    const lengths = (group?.cycles ?? []).map((c) => c.length);
    expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
    for (const cycle of group?.cycles ?? []) {
      expect(cycle[0]?.id).toBe(cycle[cycle.length - 1]?.id);
      expect(new Set(cycle.slice(1).map((s) => s.id)).size).toBe(cycle.length - 1);
    }
    // A tournament-free complete graph needs half its 30 edges dropped: exactly 15.
    expect(group?.suggestedBreaks).toHaveLength(15);
  });

  it('names services as the catalog does: record id, title and entity ref', () => {
    const catalogRef = (key: string) => ({ catalogId: 'c', key, file: 'x.yaml', catalogVersion: 1, syncedRevision: 1, entryHash: 'h' });
    const g = buildServiceGraph([
      record('service', 'GitLab API', { dependsOn: ['component:gitaly'], catalogRef: catalogRef('component:default/api') }),
      record('service', 'Gitaly', { dependsOn: ['component:api'], catalogRef: catalogRef('component:default/gitaly') }),
      record('service', 'Runner', { dependsOn: ['component:api'], catalogRef: catalogRef('component:ci/runner') }),
    ]);
    const plan = computePlan(g);
    expect(plan.groups[0]?.services.map((s) => s.ref)).toEqual(['component:gitaly', 'component:api']);
    expect(plan.groups[0]?.cycles[0]?.map((s) => s.title)).toEqual(['Gitaly', 'GitLab API', 'Gitaly']);
    expect(plan.waves[1]?.services[0]).toMatchObject({ title: 'Runner', ref: 'component:ci/runner', group: null });
    expect(plan.criticalPath.services.map((s) => [s.title, s.ref, s.group])).toEqual([['Gitaly', 'component:gitaly', 0]]);
  });
});

describe('soft dependencies', () => {
  it('are not ordered by, are still shown, and can open a cycle', () => {
    const graph = graphOf({ frontend: [['api'], 10, null], api: [['frontend', 'db'], 20, null, { startsWithout: ['frontend'] }], db: [[], 30, null] });
    const plan = computePlan(graph);
    expect(plan.groups).toEqual([]);
    expect(shape(plan)).toEqual([['db'], ['api'], ['frontend']]);
    expect(plan.softDependencies.map((e) => [e.from.title, e.to.title, e.soft])).toEqual([['api', 'frontend', true]]);
    // The soft dependency is still a dependency: planning api brings frontend along.
    expect(shape(computePlan(graph, [idOf(graph, 'api')]))).toEqual([['db'], ['api'], ['frontend']]);
    expect(plan.criticalPath.minutes).toBe(60);
  });

  it('inside a group that other dependencies still close, are listed among its edges as soft', () => {
    // a → c → b → a closes the group; a → b is soft; d can start without a, so it goes first.
    const plan = computePlan(
      graphOf({ a: [['b', 'c'], 5, null, { startsWithout: ['b'] }], b: [['a'], 5, null], c: [['b'], 5, null], d: [['a'], 5, null, { startsWithout: ['a'] }] }),
    );
    expect(shape(plan)).toEqual([['[a b c]', 'd']]);
    expect(plan.groups[0]?.edges.map((e) => `${e.from.title}>${e.to.title}${e.soft ? ' (soft)' : ''}`).sort()).toEqual(['a>b (soft)', 'a>c', 'b>a', 'c>b']);
    expect(cycleTitles(plan.groups[0]?.cycles ?? [])).toEqual(['a → c → b → a']);
    expect(plan.softDependencies.map((e) => `${e.from.title}>${e.to.title}`)).toEqual(['a>b', 'd>a']);
  });

  it('a ref in startsWithout that is not a dependency marks nothing', () => {
    const graph = graphOf({ a: [['b'], 5, null, { startsWithout: ['nowhere', 'c'] }], b: [['a'], 5, null], c: [[], 5, null] });
    expect(computePlan(graph).groups).toHaveLength(1);
    expect([...graph.services.values()].find((s) => s.title === 'a')?.softDependsOn).toEqual([]);
  });
});

describe('timing through groups', () => {
  // base 30 → [core: api 20, web 45, git none; group time 15] → edge 10
  const graph = graphOf({
    base: [[], 30, null],
    api: [['web', 'base'], 20, 60],
    web: [['git'], 45, 120, { groupMinutes: 15 }],
    git: [['api'], null, null, { groupMinutes: 5 }],
    edge: [['api'], 10, 120],
  });
  const plan = computePlan(graph);
  const byTitle = (title: string) => plan.waves.flatMap((w) => w.services).find((s) => s.title === title);

  it('starts a group when what it needs is back, recovers its members in parallel, then adds its declared time', () => {
    expect(plan.groups[0]).toMatchObject({ startMinute: 30, estimatedMinutes: 45, groupMinutes: 15, finishMinute: 90, lowerBound: true });
    for (const title of ['api', 'web', 'git']) {
      expect(byTitle(title)).toMatchObject({ startMinute: 30, finishMinute: 90, wave: 1 });
    }
    expect(byTitle('edge')).toMatchObject({ startMinute: 90, finishMinute: 100, lowerBound: true });
  });

  it('runs the critical path through the group, by its slowest member', () => {
    expect(plan.criticalPath.minutes).toBe(100);
    expect(plan.criticalPath.services.map((s) => [s.title, s.group])).toEqual([
      ['base', null],
      ['web', 0],
      ['edge', null],
    ]);
  });

  it('computes RTO breaches through the group: cycles alone are not a breach', () => {
    expect(plan.breaches.map((s) => s.title)).toEqual(['api']);
    expect(computePlan(graphOf({ a: [['b'], 5, 60], b: [['a'], 5, 60] })).breaches).toEqual([]);
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
