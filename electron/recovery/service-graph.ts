/**
 * The vault's services as a dependency graph: who depends on whom, which
 * runbooks recover each service, and which dependencies point nowhere.
 *
 * References are matched the way people write them. Backstage's `dependsOn`
 * holds entity refs (`resource:artists-db`, `component:default/billing`); a
 * hand-written service lists titles (`identity`). A ref resolves, in order, to:
 *   1. the service whose catalog key is the ref with the namespace filled in
 *      (`kind:name` → `kind:default/name`);
 *   2. else the one service whose title, or catalog entity name, equals the
 *      ref's name part (case-insensitive);
 *   3. else nothing: a missing dependency, listed by the plan and the review.
 * Two services sharing a name make a bare ref ambiguous; it is then missing
 * too, since guessing would draw a plan on a dependency nobody chose.
 *
 * `startsWithout` (from the catalog annotation `lifeboat.dev/starts-without`)
 * marks some of those dependencies soft: the service can start without them,
 * so the plan does not order by them (but still shows them). A ref there that
 * is not also a dependency marks nothing.
 *
 * A runbook belongs to the service its `service` field resolves to. When a
 * service has several runbooks (one per failure mode, as alert runbooks are),
 * the plan takes the longest estimate: they are alternatives, not a sequence.
 */
import type { StoredRecord } from '../vault/records/record-store.js';

export interface ServiceNode {
  id: string;
  title: string;
  tier: number | null;
  owner: string | null;
  rtoMinutes: number | null;
  rpoMinutes: number | null;
  recoveryMethod: string | null;
  description: string;
  tags: string[];
  catalogKey: string | null;
  /** The entity ref as catalogs write it (`component:api`; namespace kept unless default), or null. */
  ref: string | null;
  /** Declared extra minutes for bringing up its recover-together group once the members are back. */
  groupMinutes: number | null;
  /** When the service record last changed after its creation (null: never edited or synced since). */
  changedAt: string | null;
  /** Resolved dependencies (ids), in the order written, without duplicates. */
  dependsOn: string[];
  /** The dependencies (ids, a subset of dependsOn) it can start without: not ordered by. */
  softDependsOn: string[];
  /** Refs that resolved to no service. */
  missing: string[];
  runbooks: RunbookInfo[];
}

export interface RunbookInfo {
  id: string;
  title: string;
  estimatedMinutes: number | null;
  lastReviewed: string | null;
  updatedAt: string;
  steps: string[];
  validation: string[];
}

export interface ServiceGraphModel {
  services: Map<string, ServiceNode>;
  /** Runbooks whose `service` names nothing in the vault (or that name none). */
  orphanRunbooks: RunbookInfo[];
  resolve(ref: string): string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** `component:default/billing` → { full: 'component:default/billing', name: 'billing' }. */
export function parseRef(ref: string): { full: string | null; name: string } {
  const clean = ref.trim().toLowerCase();
  const match = /^([a-z][a-z0-9-]*):(?:([^/]+)\/)?(.+)$/.exec(clean);
  if (!match) {
    return { full: null, name: clean };
  }
  const [, kind, namespace, name] = match as unknown as [string, string, string | undefined, string];
  return { full: `${kind}:${namespace ?? 'default'}/${name}`, name };
}

/** `component:default/api` → `component:api`; other namespaces are kept (`component:team-a/api`). */
export function shortRef(catalogKey: string): string {
  const parsed = parseRef(catalogKey);
  if (parsed.full === null) {
    return catalogKey;
  }
  const [kind, rest] = parsed.full.split(':') as [string, string];
  return rest.startsWith('default/') ? `${kind}:${rest.slice('default/'.length)}` : parsed.full;
}

/** The dependencies the plan orders by: dependsOn without the soft ones. */
export function hardDependencies(node: ServiceNode): string[] {
  return node.softDependsOn.length === 0 ? node.dependsOn : node.dependsOn.filter((id) => !node.softDependsOn.includes(id));
}

function runbookInfo(record: StoredRecord): RunbookInfo {
  return {
    id: record.id,
    title: record.title,
    estimatedMinutes: count(record.data['estimatedMinutes']),
    lastReviewed: text(record.data['lastReviewed']),
    updatedAt: record.updatedAt,
    steps: list(record.data['steps']),
    validation: list(record.data['validation']),
  };
}

/** Builds the graph from the vault's live records (deleted and archived ones left out). */
export function buildServiceGraph(records: readonly StoredRecord[]): ServiceGraphModel {
  const live = records.filter((record) => !record.deleted && record.data['archived'] !== true);
  const serviceRecords = live.filter((record) => record.type === 'service').sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));

  const byKey = new Map<string, string>();
  const byName = new Map<string, string[]>();
  const addName = (name: string, id: string): void => {
    const ids = byName.get(name) ?? [];
    if (!ids.includes(id)) {
      byName.set(name, [...ids, id]);
    }
  };
  for (const record of serviceRecords) {
    const key = (record.data['catalogRef'] as { key?: unknown } | undefined)?.key;
    if (typeof key === 'string') {
      const parsed = parseRef(key);
      byKey.set(parsed.full ?? key.toLowerCase(), record.id);
      addName(parsed.name, record.id);
    }
    addName(record.title.trim().toLowerCase(), record.id);
  }

  const ids = new Set(serviceRecords.map((record) => record.id));
  const resolve = (ref: string): string | null => {
    if (ids.has(ref.trim())) {
      return ref.trim();
    }
    const parsed = parseRef(ref);
    const exact = parsed.full ? byKey.get(parsed.full) : undefined;
    if (exact) {
      return exact;
    }
    const named = byName.get(parsed.name) ?? [];
    return named.length === 1 ? (named[0] ?? null) : null;
  };

  const services = new Map<string, ServiceNode>();
  for (const record of serviceRecords) {
    const dependsOn: string[] = [];
    const missing: string[] = [];
    for (const ref of list(record.data['dependsOn'])) {
      const target = resolve(ref);
      if (target === null) {
        missing.push(ref);
      } else if (!dependsOn.includes(target)) {
        dependsOn.push(target);
      }
    }
    const softDependsOn: string[] = [];
    for (const ref of list(record.data['startsWithout'])) {
      const target = resolve(ref);
      if (target !== null && dependsOn.includes(target) && !softDependsOn.includes(target)) {
        softDependsOn.push(target);
      }
    }
    const key = (record.data['catalogRef'] as { key?: unknown } | undefined)?.key;
    services.set(record.id, {
      id: record.id,
      title: record.title,
      tier: count(record.data['tier']),
      owner: text(record.data['owner']),
      rtoMinutes: count(record.data['rtoMinutes']),
      rpoMinutes: count(record.data['rpoMinutes']),
      recoveryMethod: text(record.data['recoveryMethod']),
      description: text(record.data['description']) ?? '',
      tags: list(record.data['tags']),
      catalogKey: typeof key === 'string' ? key : null,
      ref: typeof key === 'string' ? shortRef(key) : null,
      groupMinutes: count(record.data['groupMinutes']),
      changedAt: record.revision > 1 ? record.updatedAt : null,
      dependsOn,
      softDependsOn,
      missing,
      runbooks: [],
    });
  }

  const orphanRunbooks: RunbookInfo[] = [];
  for (const record of live.filter((r) => r.type === 'runbook').sort((a, b) => a.title.localeCompare(b.title))) {
    const ref = text(record.data['service']);
    const target = ref === null ? null : resolve(ref);
    const node = target === null ? undefined : services.get(target);
    if (node) {
      node.runbooks.push(runbookInfo(record));
    } else {
      orphanRunbooks.push(runbookInfo(record));
    }
  }
  return { services, orphanRunbooks, resolve };
}

/** The service's estimate: the longest of its runbooks' estimates, or null. */
export function serviceEstimate(node: ServiceNode): number | null {
  const estimates = node.runbooks.map((runbook) => runbook.estimatedMinutes).filter((m): m is number => m !== null);
  return estimates.length === 0 ? null : Math.max(...estimates);
}

/** The runbook to open for a service: the longest-estimated one, else the first. */
export function primaryRunbook(node: ServiceNode): RunbookInfo | null {
  const sorted = [...node.runbooks].sort((a, b) => (b.estimatedMinutes ?? -1) - (a.estimatedMinutes ?? -1));
  return sorted[0] ?? null;
}

/** Every service `ids` needs, themselves included (transitive dependencies). */
export function dependencyClosure(graph: ServiceGraphModel, ids: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    stack.push(...(graph.services.get(id)?.dependsOn ?? []));
  }
  return seen;
}
