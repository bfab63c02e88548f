/**
 * Catalog content → records, on real public catalogs and docs (test/fixtures,
 * see its README for sources and licences) and on small synthetic catalogs
 * that break the rules on purpose. The holdout fixtures are not read here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RECORD_SCHEMAS } from '../../shared/records.js';
import { canonicalJson } from '../vault/canonical-json.js';
import { parseCatalogContent, type CatalogEntry } from './catalog-content.js';
import { parseDuration } from '../../shared/durations.js';
import { FileProblems, jsonSafe, UnsafeValueError, validateEntryData } from './catalog-fields.js';
import { firstHeading, plainText, rememberedLinks, splitFrontMatter } from './markdown-text.js';
import { firstOrderedListItems } from './runbook-steps.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures', import.meta.url));

/** Every file under a fixture folder, keyed by its path relative to that folder. */
function readCatalog(folder: string): Map<string, Uint8Array> {
  const root = join(FIXTURES, folder);
  const files = new Map<string, Uint8Array>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        files.set(relative(root, path).split('\\').join('/'), readFileSync(path));
      }
    }
  };
  walk(root);
  return files;
}

function synthetic(files: Record<string, string>): Map<string, Uint8Array> {
  return new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
}

function byKey(entries: readonly CatalogEntry[], key: string): CatalogEntry {
  const entry = entries.find((e) => e.key === key);
  expect(entry, `entry ${key}`).toBeDefined();
  return entry as CatalogEntry;
}

function countByType(entries: readonly CatalogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    counts[entry.type] = (counts[entry.type] ?? 0) + 1;
  }
  return counts;
}

/** Each entry's data is exactly what its schema gives back, and canonical JSON can hold it. */
function expectValidData(entries: readonly CatalogEntry[]): void {
  for (const entry of entries) {
    expect(RECORD_SCHEMAS[entry.type].parse(entry.data), entry.key).toEqual(entry.data);
    expect(() => canonicalJson(entry.data), entry.key).not.toThrow();
    expect(entry.title.trim(), entry.key).not.toBe('');
  }
}

describe('real Backstage catalogs', () => {
  it("backstage's own examples: 5 services, the Domain skipped, no problems", () => {
    const { entries, problems } = parseCatalogContent(readCatalog('backstage-catalogs/backstage-examples'));
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.key).sort()).toEqual([
      'component:default/artist-lookup',
      'component:default/wayback-archive',
      'component:default/wayback-archive-ingestion',
      'resource:default/artists-db',
      'system:default/artist-engagement-portal',
    ]);
    expectValidData(entries);

    const lookup = byKey(entries, 'component:default/artist-lookup');
    expect(lookup).toMatchObject({ type: 'service', title: 'artist-lookup', file: 'artist-lookup-component.yaml', line: 1 });
    expect(lookup.data).toMatchObject({ owner: 'team-a', dependsOn: ['resource:artists-db'], description: 'Artist Lookup', tags: ['java', 'data'] });
    const meta = lookup.data['meta'] as Record<string, Record<string, unknown>>;
    expect(meta['kind']).toBe('Component');
    expect(meta['spec']).toEqual({ type: 'service', lifecycle: 'experimental', system: 'artist-engagement-portal' });
    expect(meta['annotations']).toMatchObject({ 'buildkite.com/project-slug': 'nutrien/digital-k8s' });
    expect(meta['links']).toHaveLength(7);
    expect(byKey(entries, 'system:default/artist-engagement-portal').title).toBe('Artist Engagement Portal');
  });

  it('janus-idp: the showcase Component depends on 5 Resources; Groups become contacts', () => {
    const { entries, problems } = parseCatalogContent(readCatalog('backstage-catalogs/janus-idp'));
    expect(problems).toEqual([]);
    expect(countByType(entries)).toEqual({ service: 5, contact: 2 });
    expectValidData(entries);

    const showcase = byKey(entries, 'component:default/backstage-showcase');
    expect(showcase.title).toBe('Backstage Showcase');
    expect(showcase.data['dependsOn']).toEqual(['resource:pgdb', 'resource:argocd', 'resource:obc', 'resource:keycloak', 'resource:github']);
    expect(showcase.data['owner']).toBe('janus-authors');
    // The block scalar's trailing newline is trimmed.
    expect(showcase.data['description']).toBe('This is the Janus Community Showcase of Backstage.io');
    // Three of the five are in this catalog; obc and github are refs to elsewhere, kept as given.
    expect(
      entries
        .filter((e) => e.key.startsWith('resource:'))
        .map((e) => e.key)
        .sort(),
    ).toEqual(['resource:default/argocd', 'resource:default/keycloak', 'resource:default/pgdb']);

    // janus-authors.yaml opens with a comment and ---: the entity starts on line 3.
    const authors = byKey(entries, 'group:default/janus-authors');
    expect(authors).toMatchObject({ type: 'contact', title: 'Janus-IDP Authors', file: 'janus-authors.yaml', line: 3 });
    expect(authors.data).toMatchObject({ role: 'Group', phones: [], channels: [] });
    expect(byKey(entries, 'group:default/rhdh-team').title).toBe('RHDH team');
  });

  it('giantswarm: 75 Component documents, 7 of them reusing a name; 12 Groups; 18 APIs skipped', () => {
    const files = readCatalog('backstage-catalogs/giantswarm');
    const charts = new TextDecoder().decode(files.get('charts.yaml'));
    expect(charts.match(/^kind: Component$/gm)).toHaveLength(75);

    const { entries, problems } = parseCatalogContent(files);
    // The generated catalog really does define the same entity ref more than
    // once (e.g. agent-sandbox for the app chart and for its CRD chart; three
    // agentic-platform charts). An entity ref is a record's identity, so these
    // are problems: the first document of each name is kept.
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['charts.yaml', 56],
      ['charts.yaml', 131],
      ['charts.yaml', 156],
      ['charts.yaml', 255],
      ['charts.yaml', 305],
      ['charts.yaml', 1220],
      ['charts.yaml', 1494],
    ]);
    expect(problems[0]?.message).toBe(
      'component:default/agent-sandbox is defined twice: in charts.yaml line 31 and in charts.yaml line 56; only the first is used.',
    );
    expect(problems.map((p) => /^(\S+) is defined twice/.exec(p.message)?.[1])).toEqual([
      'component:default/agent-sandbox',
      'component:default/agentic-platform',
      'component:default/agentic-platform',
      'component:default/aws-ebs-csi-driver-app',
      'component:default/aws-efs-csi-driver',
      'component:default/karpenter-app',
      'component:default/muster',
    ]);

    expect(countByType(entries)).toEqual({ service: 75 - 7, contact: 12 });
    expect(entries.some((e) => e.key.startsWith('api:'))).toBe(false);
    expectValidData(entries);

    const agent = byKey(entries, 'component:default/agent');
    expect(agent).toMatchObject({ file: 'charts.yaml', line: 6, title: 'agent' });
    expect(agent.data).toMatchObject({ owner: 'group:team-bumblebee', dependsOn: [], tags: ['helmchart', 'helmchart-deployable'] });
    expect((agent.data['meta'] as { annotations: Record<string, string> }).annotations['giantswarm.io/helmchart-versions']).toBe('0.4.1');
    // The first agent-sandbox (the app chart) is the one kept.
    expect(byKey(entries, 'component:default/agent-sandbox').data['description']).toMatch(/^Giant Swarm packaging of the upstream/);

    const atlas = byKey(entries, 'group:default/team-atlas');
    expect(atlas).toMatchObject({ type: 'contact', title: 'Team Atlas' });
    expect(atlas.data).toMatchObject({ role: 'Group', notes: 'Monitoring, observability, logging, prometheus, loki', channels: [] });
    const spec = (atlas.data['meta'] as { spec: Record<string, unknown> }).spec;
    expect(spec['members']).toEqual(['Rotfuks', 'TheoBrigitte', 'hervenicol']);
    expect(spec['profile']).toEqual({ picture: 'https://avatars.githubusercontent.com/t/3817103?s=116&v=4' });
  });
});

describe('real Markdown runbooks', () => {
  it('keeps no link of a catalog remembered once it is read (a remembered link keeps its page in memory)', () => {
    const files = readCatalog('prometheus-operator-runbooks/runbooks');
    const { entries } = parseCatalogContent(files);
    expect(entries.some((entry) => String(entry.data['body']).includes(']('))).toBe(true);
    expect(rememberedLinks()).toBe(0);
    expect(firstOrderedListItems('1. See [docs]\n\n[docs]: https://example.org/d\n')).toEqual(['See docs (https://example.org/d)']);
    expect(rememberedLinks()).toBeGreaterThan(0); // what the test above counts
  });

  it("GOV.UK's 205 manual pages are runbooks; their own front matter lands in meta", () => {
    const files = readCatalog('govuk-developer-docs/manual');
    expect(files.size).toBe(205);
    const { entries, problems } = parseCatalogContent(files);
    expect(problems).toEqual([]);
    expect(countByType(entries)).toEqual({ runbook: 205 });
    expectValidData(entries);

    for (const entry of entries) {
      expect(entry.key).toBe(entry.file);
      const meta = entry.data['meta'] as Record<string, unknown>;
      // A Slack channel, or a person for a few pages (incident-what-to-do: "@nila.patel").
      expect(meta['owner_slack'], entry.file).toMatch(/^[#@]\S+$/);
      expect(meta).not.toHaveProperty('title');
    }
    const bestBet = byKey(entries, 'add-a-best-bet.html.md');
    expect(bestBet.title).toBe('Add a best bet to site search');
    expect(bestBet.data['meta']).toEqual({
      owner_slack: '#govuk-search',
      parent: '/manual.html',
      layout: 'manual_layout',
      section: 'Search on GOV.UK',
      related_repos: ['search-api-v2'],
    });
    expect(bestBet.data['body']).toMatch(/^\n### What is a best bet\?\n/);
    // GOV.UK's own `type: learn` is theirs: kept in meta, the record stays a runbook.
    const learn = entries.filter((e) => (e.data['meta'] as Record<string, unknown>)['type'] === 'learn');
    expect(learn).toHaveLength(78);
    expect(new Set(learn.map((e) => e.type))).toEqual(new Set(['runbook']));

    // Steps come from numbered headings (`### 1. …` then `### 2. …`) or else the first top-level ordered list
    // (runbook-steps.ts): exactly the pages with a `1.`/`1)` line at the margin or headings numbered 0 or 1, then 2.
    const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
    const numberedHeadings = (page: string): boolean => /^#{1,6} +(?:step +[01]\b|[01] *[.):])/im.test(page) && /^#{1,6} +(?:step +2\b|2 *[.):])/im.test(page);
    const numbered = [...files].filter(([, bytes]) => /^1[.)] /m.test(text(bytes)) || numberedHeadings(text(bytes))).map(([path]) => path);
    expect(numbered).toHaveLength(97);
    expect(
      entries
        .filter((e) => (e.data['steps'] as string[]).length > 0)
        .map((e) => e.key)
        .sort(),
    ).toEqual(numbered.sort());

    // An unindented code fence ends a list (CommonMark): steps 1–3 only, as plain text with their link targets.
    expect(byKey(entries, 'github-unavailable.html.md').data['steps']).toEqual([
      "Set up CodeCommit on your machine (/manual/howto-checkout-and-commit-to-codecommit.html#install-dependencies-and-set-up-local-environment) if you haven't already.",
      'Follow the CodeCommit guide (/manual/howto-checkout-and-commit-to-codecommit.html#quick-reference-guide) to clone the repo and commit/push changes if needed.',
      "Set the image tag, image registry and image repository names that you will use by running the following commands. You don't need to modify any of the values in the commands.",
    ]);
    expect((byKey(entries, 'how-to-rotate-fastly-api-keys-for-emergency-alerts.html.md').data['steps'] as string[]).length).toBe(13);
  });

  it('prometheus-operator runbooks: titles from front matter, else the first heading; steps where there is a list', () => {
    const { entries, problems } = parseCatalogContent(readCatalog('prometheus-operator-runbooks/runbooks'));
    expect(problems).toEqual([]);
    // The root _index.md (Hugo's `bookHidden: true`, nothing else) is an empty page: skipped.
    expect(countByType(entries)).toEqual({ runbook: 116 });
    expectValidData(entries);

    const burn = byKey(entries, 'kubernetes/KubeAPIErrorBudgetBurn.md');
    expect(burn.title).toBe('Kube API Error Budget Burn');
    expect(burn.data['meta']).toEqual({ weight: 20 });
    // Nested `1.` items belong to their parent step.
    expect(burn.data['steps']).toEqual([
      'Take a look at the APIServer Grafana dashboard.',
      // Inline code stays code (issue 19): the window shows it as code.
      'Check the logs for kube-apiserver using the following Loki query: `{component="kube-apiserver"}`',
      'Run debugging queries in Prometheus or Grafana Explore to dig deeper.',
      "Maybe it's some dependency of the APIServer? etcd?",
    ]);
    expect(byKey(entries, 'etcd/etcdGRPCRequestsSlow.md').data['steps']).toEqual([
      'In OpenShift console on primary page under "Cluster utilization" view the requested CPU vs available.',
      'PromQL query is the following to see top consumers of CPU:',
    ]);
    expect(entries.filter((e) => (e.data['steps'] as string[]).length > 0)).toHaveLength(2);

    // Four pages have no front matter: titled by their first heading, no meta.
    const headed = byKey(entries, 'general/TargetDown.md');
    expect(headed.title).toBe('TargetDown');
    expect(headed.data['meta']).toBeUndefined();
    expect(headed.data['body']).toMatch(/^# TargetDown\n/);
    expect(byKey(entries, 'etcd/etcdNoLeader.md').title).toBe('etcdNoLeader');
    // Hugo's section pages: a front matter title; the hidden root page (bookHidden, no text) is empty and skipped.
    expect(byKey(entries, 'alertmanager/_index.md').title).toBe('alertmanager');
    expect(entries.some((e) => e.key === '_index.md')).toBe(false);
  });
});

const SERVICE = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing
  title: Billing
  description: Takes the money
  tags: [payments]
  annotations:
    lifeboat.dev/rto: 1h30m
    lifeboat.dev/rpo: 15m
    lifeboat.dev/tier: tier-1
    lifeboat.dev/recovery-method: Restore
    pagerduty.com/service-id: P123
  labels:
    cost-centre: "42"
spec:
  type: service
  lifecycle: production
  owner: group:payments
  system: shop
  dependsOn: [resource:default/billing-db]
`;

describe('synthetic catalogs: mapping', () => {
  it('maps recovery annotations, spec and metadata of a Component onto a service', () => {
    const { entries, problems } = parseCatalogContent(synthetic({ 'services/billing.yaml': SERVICE }));
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        key: 'component:default/billing',
        type: 'service',
        title: 'Billing',
        file: 'services/billing.yaml',
        line: 1,
        data: {
          rtoMinutes: 90,
          rpoMinutes: 15,
          tier: 1,
          recoveryMethod: 'restore',
          owner: 'group:payments',
          dependsOn: ['resource:default/billing-db'],
          description: 'Takes the money',
          tags: ['payments'],
          meta: {
            kind: 'Component',
            labels: { 'cost-centre': '42' },
            annotations: { 'pagerduty.com/service-id': 'P123' },
            spec: { type: 'service', lifecycle: 'production', system: 'shop' },
          },
        },
      },
    ]);
  });

  it('reads soft dependencies (lifeboat.dev/starts-without, comma-separated) and a group time; a ref not in dependsOn is a problem', () => {
    const soft = SERVICE.replace(
      'dependsOn: [resource:default/billing-db]',
      'dependsOn: [resource:default/billing-db, component:ledger, component:shop/fraud]',
    ).replace(
      '    pagerduty.com/service-id: P123',
      '    pagerduty.com/service-id: P123\n    lifeboat.dev/starts-without: "component:Ledger, component:shop/fraud"\n    lifeboat.dev/group-time: 20m',
    );
    const { entries, problems } = parseCatalogContent(synthetic({ 'billing.yaml': soft }));
    expect(problems).toEqual([]);
    expect(entries[0]?.data).toMatchObject({ startsWithout: ['component:Ledger', 'component:shop/fraud'], groupMinutes: 20 });
    expect((entries[0]?.data['meta'] as { annotations: Record<string, unknown> }).annotations).toEqual({ 'pagerduty.com/service-id': 'P123' });

    const wrong = soft
      .replace('"component:Ledger, component:shop/fraud"', '"component:frontend"')
      .replace('lifeboat.dev/group-time: 20m', 'lifeboat.dev/group-time: soon');
    const bad = parseCatalogContent(synthetic({ 'billing.yaml': wrong }));
    expect(bad.entries).toEqual([]);
    expect(bad.problems.map((p) => [p.field, p.line, p.message])).toEqual([
      [
        'metadata.annotations.lifeboat.dev/starts-without',
        14,
        'metadata.annotations.lifeboat.dev/starts-without lists component:frontend, which is not in spec.dependsOn: a service can only start without something it depends on.',
      ],
      ['metadata.annotations.lifeboat.dev/group-time', 15, expect.stringContaining('must be a duration like 30m') as unknown],
    ]);
  });

  it('keys are lower-cased entity refs with their namespace; a User becomes a contact with its email channel', () => {
    const user = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: Jane.Doe
  namespace: Ops
spec:
  profile:
    displayName: Jane Doe
    email: jane@example.org
  memberOf: [sre]
`;
    const { entries, problems } = parseCatalogContent(synthetic({ 'people.yml': user }));
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        key: 'user:ops/jane.doe',
        type: 'contact',
        title: 'Jane Doe',
        file: 'people.yml',
        line: 1,
        data: {
          role: 'User',
          phones: [],
          channels: ['email:jane@example.org'],
          emails: ['jane@example.org'],
          meta: { kind: 'User', namespace: 'Ops', spec: { memberOf: ['sre'] } },
        },
      },
    ]);
  });

  it('accepts the documented duration and tier spellings and refuses others', () => {
    expect(['30m', '4h', '1h30m', '2d', '1d 2h', '90', 45, '0m'].map(parseDuration)).toEqual([30, 240, 90, 2880, 1560, 90, 45, 0]);
    expect(['30 minutes', '1.5h', 'PT4H', '', '-5', 1.5, -1, 'h'].map(parseDuration)).toEqual(Array(8).fill(undefined));
  });

  it('reads runbook, procedure, contact and key-location pages from the lifeboat: mapping', () => {
    const files = synthetic({
      'runbooks/restore.md': `---
title: Restore billing
owner: payments-team
review_in: 6 months
last_reviewed_on: 2025-11-03
tags: [db, billing]
lifeboat:
  service: component:default/billing
  estimated_minutes: 1h
  validation:
    - Checkout works
  future_key: kept
---
Intro.

1. Stop the writers
2. Restore the **latest** snapshot
   from [the bucket](https://example.org/b)

   More detail that is not part of the step.
   - a nested bullet
3. Start the writers
`,
      'procedures/dr.md': '---\nlifeboat:\n  type: procedure\n  secrets: [aws-root]\n---\n# Fail over\n\n1) Call it\n2) Do it\n',
      'contacts/oncall.md': `---
title: Database on-call
lifeboat:
  type: contact
  role: DBA
  phones: ["+44 20 7946 0000"]
  channels: slack:#dba
  escalation: 2
---
Call in office hours first.
`,
      'keys/root.md': `---
title: Root CA key
last_reviewed: 2024-01-01
lifeboat:
  type: key-location
  what: Offline root CA key
  where: Safe 2, London office
  who_can_reach: [CTO, Head of IT]
  last_verified: !!timestamp 2025-06-30
---
Two people, both keys.
`,
    });
    const { entries, problems } = parseCatalogContent(files);
    expect(problems).toEqual([]);
    expectValidData(entries);
    expect(entries.map((e) => [e.key, e.type, e.title])).toEqual([
      ['contacts/oncall.md', 'contact', 'Database on-call'],
      ['keys/root.md', 'key-location', 'Root CA key'],
      ['procedures/dr.md', 'procedure', 'Fail over'],
      ['runbooks/restore.md', 'runbook', 'Restore billing'],
    ]);
    const [contact, key, procedure, runbook] = entries;
    expect(runbook?.data).toMatchObject({
      service: 'component:default/billing',
      estimatedMinutes: 60,
      validation: ['Checkout works'],
      lastReviewed: '2025-11-03',
      tags: ['db', 'billing'],
      steps: ['Stop the writers', 'Restore the latest snapshot from the bucket (https://example.org/b)', 'Start the writers'],
      meta: { owner: 'payments-team', review_in: '6 months', lifeboat: { future_key: 'kept' } },
    });
    expect(runbook?.data['body']).toMatch(/^Intro\.\n\n1\. Stop the writers\n/);
    expect(procedure?.data).toMatchObject({ steps: ['Call it', 'Do it'], secrets: ['aws-root'] });
    expect(contact?.data).toEqual({
      role: 'DBA',
      phones: ['+44 20 7946 0000'],
      channels: ['slack:#dba'],
      escalationOrder: 2,
      notes: 'Call in office hours first.',
    });
    expect(key?.data).toEqual({
      what: 'Offline root CA key',
      where: 'Safe 2, London office',
      whoCanReach: ['CTO', 'Head of IT'],
      howToRetrieve: 'Two people, both keys.',
      lastVerified: '2025-06-30',
      meta: { last_reviewed: '2024-01-01' },
    });
  });

  it('a page without front matter is a runbook titled by its first heading, else by its file name', () => {
    const { entries, problems } = parseCatalogContent(
      synthetic({
        'a.md': '```\n# not a heading\n```\n\nRestore `db`\n===========\n\n# Later\n',
        'docs/plain-notes.html.md': 'Just text.\n',
      }),
    );
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.key, e.type, e.title])).toEqual([
      ['a.md', 'runbook', 'Restore db'],
      ['docs/plain-notes.html.md', 'runbook', 'Plain notes'],
    ]);
  });

  it('unknown front matter keys, of any shape, never make a page invalid and are kept JSON-safe', () => {
    const page = `---
title: Odd keys
type: learn
owner_slack: "#govuk-2ndline"
section: Incidents
weight: .inf
published: !!timestamp 2024-03-01T09:30:00Z
nested: { a: [1, { b: null }], c: 2024-01-01 }
blob: !!binary aGVsbG8=
custom: !thing value
lifeboat:
  whatever: 1
---
Body
`;
    const { entries, problems } = parseCatalogContent(synthetic({ 'odd.md': page }));
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data['meta']).toEqual({
      type: 'learn',
      owner_slack: '#govuk-2ndline',
      section: 'Incidents',
      weight: 'Infinity',
      published: '2024-03-01T09:30:00.000Z',
      nested: { a: [1, { b: null }], c: '2024-01-01' },
      blob: 'aGVsbG8=',
      custom: 'value',
      lifeboat: { whatever: 1 },
    });
    expectValidData(entries);
  });
});

describe('synthetic catalogs: problems', () => {
  it('reports malformed YAML in three files together, each with its file and line', () => {
    const { entries, problems } = parseCatalogContent(
      synthetic({
        'a.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  tags: [one, two\n',
        'b.yml': `${SERVICE}---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: b\n    title: bad indent\n`,
        'c.md': '---\ntitle: Broken\nlifeboat:\n  type: runbook\n   service: x\n---\nBody\n',
        'fine.md': '# Fine\n',
      }),
    );
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['a.yaml', 6], // the flow list is still open at the end of the file
      ['b.yml', 26], // the parser flags `name: b`, whose value turns into a mapping on the next line
      ['c.md', 4], // the same in front matter: file lines, not front-matter lines
    ]);
    for (const problem of problems) {
      expect(problem.message).toMatch(/^YAML syntax error: /);
    }
    // The valid document of b.yml and the valid page still come through.
    expect(entries.map((e) => e.key)).toEqual(['component:default/billing', 'fine.md']);
  });

  it('a bad duration names the annotation and its line; other recovery fields too, all at once', () => {
    const bad = SERVICE.replace('lifeboat.dev/rto: 1h30m', 'lifeboat.dev/rto: 90 minutes')
      .replace('lifeboat.dev/rpo: 15m', 'lifeboat.dev/rpo: 1.5h')
      .replace('lifeboat.dev/tier: tier-1', 'lifeboat.dev/tier: gold')
      .replace('lifeboat.dev/recovery-method: Restore', 'lifeboat.dev/recovery-method: pray');
    const { entries, problems } = parseCatalogContent(synthetic({ 'billing.yaml': bad }));
    expect(entries).toEqual([]);
    expect(problems.map((p) => [p.field, p.line])).toEqual([
      ['metadata.annotations.lifeboat.dev/rto', 9],
      ['metadata.annotations.lifeboat.dev/rpo', 10],
      ['metadata.annotations.lifeboat.dev/tier', 11],
      ['metadata.annotations.lifeboat.dev/recovery-method', 12],
    ]);
    expect(problems[0]).toEqual({
      file: 'billing.yaml',
      line: 9,
      field: 'metadata.annotations.lifeboat.dev/rto',
      message: 'metadata.annotations.lifeboat.dev/rto must be a duration like 30m, 4h, 1h30m or 2d (or whole minutes), not "90 minutes".',
    });
    expect(problems[3]?.message).toContain('restore, rebuild, redeploy, failover, replicated');
  });

  it('refuses secrets: lifeboat.type secret, sealed fields under lifeboat:, lifeboat.dev/ sealed annotations', () => {
    const { entries, problems } = parseCatalogContent(
      synthetic({
        'root-password.md': '---\ntitle: Root password\nlifeboat:\n  type: secret\n---\nhunter2\n',
        'sneaky.md': '---\nlifeboat:\n  type: runbook\n  password: hunter2\n  totp_seed: JBSWY3DP\n---\n# Sneaky\n',
        'svc.yaml': SERVICE.replace('    pagerduty.com/service-id: P123', '    lifeboat.dev/password: hunter2'),
      }),
    );
    expect(entries).toEqual([]);
    expect(problems.map((p) => [p.file, p.line, p.field])).toEqual([
      ['root-password.md', 4, 'lifeboat.type'],
      ['sneaky.md', 4, 'lifeboat.password'],
      ['sneaky.md', 5, 'lifeboat.totp_seed'],
      ['svc.yaml', 13, 'metadata.annotations.lifeboat.dev/password'],
    ]);
    for (const problem of problems) {
      expect(problem.message).toMatch(/^Catalogs carry no secrets/);
      expect(problem.message).not.toContain('hunter2');
    }
  });

  it('names the front matter field of a wrong type, with its line', () => {
    const { entries, problems } = parseCatalogContent(
      synthetic({
        'r.md': `---
title: [not, text]
tags: { a: 1 }
last_reviewed: last spring
lifeboat:
  type: contact
  escalation: first
---
`,
        's.md': '---\nlifeboat:\n  estimated_minutes: soon\n  validation: { check: yes }\n---\n',
        't.md': '---\nlifeboat: runbook\n---\n',
        'u.md': '---\nlifeboat:\n  type: playbook\n---\n',
      }),
    );
    expect(entries).toEqual([]);
    expect(problems.map((p) => [p.file, p.line, p.field])).toEqual([
      ['r.md', 2, 'title'],
      ['r.md', 3, 'tags'],
      ['r.md', 7, 'lifeboat.escalation'],
      ['s.md', 3, 'lifeboat.estimated_minutes'],
      ['s.md', 4, 'lifeboat.validation'],
      ['t.md', 2, 'lifeboat'],
      ['u.md', 3, 'lifeboat.type'],
    ]);
    // last_reviewed is only a runbook's: on this contact it is kept in meta, not checked.
    expect(problems.some((p) => p.field === 'last_reviewed')).toBe(false);
  });

  it('checks a runbook date and reads last_reviewed_on', () => {
    const { entries, problems } = parseCatalogContent(
      synthetic({
        'a.md': '---\nlast_reviewed: 2025-02-30\n---\n',
        'b.md': '---\nlast_reviewed_on: 2025-02-03T10:00:00Z\n---\nRestore.\n',
        'c.md': '---\nlast_reviewed: !!timestamp 2024-12-24\n---\nRestore.\n',
      }),
    );
    expect(problems).toEqual([{ file: 'a.md', line: 2, field: 'last_reviewed', message: 'last_reviewed must be a date like 2026-01-31, not "2025-02-30".' }]);
    expect(entries.map((e) => [e.key, e.data['lastReviewed']])).toEqual([
      ['b.md', '2025-02-03'],
      ['c.md', '2024-12-24'],
    ]);
  });

  it('reports unclosed front matter, non-mapping front matter and non-UTF-8 bytes', () => {
    const files = synthetic({ 'open.md': '---\ntitle: Never closed\n\n# Body\n', 'list.md': '---\n- a\n- b\n---\n' });
    files.set('latin1.md', Uint8Array.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a]));
    const { entries, problems } = parseCatalogContent(files);
    expect(entries).toEqual([]);
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['latin1.md', undefined],
      ['list.md', 2],
      ['open.md', 1],
    ]);
  });

  it('reports entity documents that are not mappings or lack kind / metadata.name; skips other kinds silently', () => {
    const yaml = `- just
- a list
---
apiVersion: backstage.io/v1alpha1
metadata:
  name: kindless
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  title: Nameless
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: skipped-api
---
kind: Location
spec:
  targets: [./a.yaml]
---
apiVersion: v1
kind: System
metadata:
  name: wrong-api-version
---
`;
    const { entries, problems, skipped } = parseCatalogContent(synthetic({ 'mixed.yaml': yaml, 'notes.txt': 'ignored', '.github/ci.yml': 'on: push\n' }));
    expect(entries).toEqual([]);
    // A backstage.io entity with no kind or no name is broken; what names no backstage.io apiVersion is not an entity at all.
    expect(problems.map((p) => [p.line, p.field ?? null])).toEqual([
      [4, 'kind'],
      [10, 'metadata.name'],
    ]);
    expect(skipped.map((s) => [s.file, s.line ?? null, s.reason])).toEqual([
      ['mixed.yaml', 1, 'not a Backstage entity (the document is a list, not a mapping with apiVersion and kind)'],
      ['mixed.yaml', 13, 'a Backstage API, a kind Lifeboat does not import'],
      ['mixed.yaml', 18, 'not a Backstage entity (no apiVersion)'],
      ['mixed.yaml', 22, 'not a Backstage entity (apiVersion "v1" is not backstage.io/…)'],
      ['notes.txt', null, 'not a catalog entity (only .md, .markdown, .yaml, .yml, .ics and .pagerduty.json files are read)'],
    ]);
  });

  it('reports a key defined in two files, naming both', () => {
    const other = SERVICE.replace('title: Billing', 'title: Billing again');
    const { entries, problems } = parseCatalogContent(synthetic({ 'z/billing.yaml': other, 'a/billing.yaml': SERVICE }));
    expect(entries.map((e) => [e.file, e.title])).toEqual([['a/billing.yaml', 'Billing']]);
    expect(problems).toEqual([
      {
        file: 'z/billing.yaml',
        line: 1,
        message: 'component:default/billing is defined twice: in a/billing.yaml line 1 and in z/billing.yaml line 1; only the first is used.',
      },
    ]);
  });

  it('a value that contains itself (an alias inside its own anchor) is a problem naming the file and field', () => {
    const { entries, problems } = parseCatalogContent(
      synthetic({
        'links.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\n  links: &a [*a, *a]\n',
        'spec.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger\nspec:\n  owner: team-a\n  extra: &b { next: [1, *b] }\n',
        'restore.md': '---\ntitle: Restore\nsee_also: &a {next: *a, prev: *a}\n---\n# Restore\n',
        'shared.md': '---\ntitle: Shared\ncommon: &c {a: 1}\nuses: [*c, *c]\n---\n# Shared\n',
      }),
    );
    // An alias used twice but not inside itself is fine, and copied at each use.
    expect(entries.map((e) => [e.key, e.data['meta']])).toEqual([['shared.md', { common: { a: 1 }, uses: [{ a: 1 }, { a: 1 }] }]]);
    expect(problems.map((p) => [p.file, p.line, p.field])).toEqual([
      ['links.yaml', 5, 'metadata.links'],
      ['restore.md', 3, 'see_also'],
      ['spec.yaml', 7, 'spec.extra'],
    ]);
    expect(problems[0]?.message).toBe(
      'metadata.links contains itself (a YAML alias inside its own anchor), so it has no end: a catalog value cannot refer to itself.',
    );
  });

  it('refuses alias fan-out ("billion laughs") with a problem, whether yaml counts it or the copy does', () => {
    const head = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: lol\n';
    // Nine levels of nine aliases: yaml's own maxAliasCount refuses it while building the value.
    const levels = Array.from({ length: 9 }, (_, i) => `  l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]\n`).join('');
    const classic = `${head}  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${levels}`;
    // Ten aliases of a 20,000-item list pass yaml's count (it weighs the largest branch, not the sum)
    // but would copy 200,000 values: the copy into meta stops at 100,000.
    const wide = `${head}  items: &w [${Array(20_000).fill('x').join(',')}]\n  copies: [${Array(10).fill('*w').join(', ')}]\n`;
    const started = Date.now();
    const { entries, problems } = parseCatalogContent(synthetic({ 'classic.yaml': classic, 'wide.yaml': wide }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(entries).toEqual([]);
    expect(problems).toEqual([
      { file: 'classic.yaml', line: 1, message: 'The document could not be read: Excessive alias count indicates a resource exhaustion attack.' },
      {
        file: 'wide.yaml',
        line: 6,
        field: 'metadata.copies',
        message: 'metadata.copies expands to more than 100,000 values (YAML aliases repeated inside aliases): refused as a resource-exhaustion attack.',
      },
    ]);
  });

  it('jsonSafe refuses a cycle and a copy past its value budget with UnsafeValueError; shared values are copied', () => {
    const loop: Record<string, unknown> = { name: 'x' };
    loop['self'] = { back: loop };
    expect(() => jsonSafe({ top: loop })).toThrow(expect.objectContaining({ reason: 'cycle', path: ['top'] }));
    const cyclicList: unknown[] = [];
    cyclicList.push(cyclicList);
    expect(() => jsonSafe(new Map([['k', new Set([cyclicList])]]))).toThrow(UnsafeValueError);
    const shared = [1, 2, 3];
    expect(jsonSafe({ a: shared, b: [shared, shared] })).toEqual({
      a: [1, 2, 3],
      b: [
        [1, 2, 3],
        [1, 2, 3],
      ],
    });
    expect(() => jsonSafe({ a: shared, b: [shared, shared] }, 12)).toThrow(expect.objectContaining({ reason: 'too-large', path: ['b', '1', '1'] }));
    // Past 64 levels a value becomes null, as before.
    let deep: unknown = 'bottom';
    for (let i = 0; i < 70; i += 1) {
      deep = [deep];
    }
    expect(JSON.stringify(jsonSafe(deep))).toContain('null');
  });

  it('a schema failure the readers let through still becomes a problem naming the source field', () => {
    // The readers check types first, so this is the safety net: call it directly.
    const problems = new FileProblems('svc.yaml');
    const sources = new Map([['tier', { field: 'metadata.annotations.lifeboat.dev/tier', line: 11 }]]);
    expect(validateEntryData('service', { tier: 7, dependsOn: ['a', ' '], colour: 'red' }, sources, 1, problems)).toBeUndefined();
    expect(problems.list).toEqual([
      {
        file: 'svc.yaml',
        line: 11,
        field: 'metadata.annotations.lifeboat.dev/tier',
        message: expect.stringMatching(/^metadata\.annotations\.lifeboat\.dev\/tier: /) as unknown,
      },
      { file: 'svc.yaml', line: 1, field: 'dependsOn', message: expect.stringMatching(/^dependsOn \(item 1\): /) as unknown },
      { file: 'svc.yaml', line: 1, message: expect.stringContaining('colour') as unknown },
    ]);
    const ok = new FileProblems('ok.yaml');
    expect(validateEntryData('service', { tier: 2, description: undefined }, sources, 1, ok)).toEqual({ tier: 2, dependsOn: [] });
    expect(ok.list).toEqual([]);
  });
});

describe('Markdown text helpers', () => {
  it('splits front matter only at byte 0 and at the next --- line', () => {
    expect(splitFrontMatter('---\na: 1\n---\nbody\n')).toEqual({ yaml: 'a: 1\n', yamlFirstLine: 2, body: 'body\n', unclosed: false });
    expect(splitFrontMatter('---\r\na: 1\r\n---\r\nbody')).toMatchObject({ yaml: 'a: 1\r\n', body: 'body' });
    expect(splitFrontMatter(' ---\na: 1\n---\n')).toMatchObject({ yaml: undefined, unclosed: false });
    expect(splitFrontMatter('---\na: 1\n')).toMatchObject({ yaml: undefined, unclosed: true });
  });

  it('takes the first top-level ordered list, skipping code, nested lists and later paragraphs', () => {
    const body = [
      '```',
      '1. inside code',
      '```',
      'A paragraph',
      '2. that continues here (a list must start at 1 to interrupt a paragraph)',
      '',
      '- bullet',
      '  1. nested under a bullet',
      '',
      '1. First `step`',
      'lazily continued',
      '    1. nested',
      '2. Second',
      '',
      '   ```sh',
      '   3. code in the item',
      '   ```',
      '3. Third',
      '1. same list: the number does not matter',
      '',
      '# A heading ends it',
      '1. second list',
    ].join('\n');
    // A step keeps the code of its item, fenced on lines of its own.
    expect(firstOrderedListItems(body)).toEqual([
      'First `step` lazily continued',
      'Second\n```sh\n3. code in the item\n```',
      'Third',
      'same list: the number does not matter',
    ]);
    expect(firstOrderedListItems('1) a\n2) b\n3. c\n')).toEqual(['a', 'b']);
    expect(firstOrderedListItems('No list here.\n')).toEqual([]);
    const long = Array.from({ length: 250 }, (_, i) => `${i + 1}. step ${i + 1}`).join('\n');
    expect(firstOrderedListItems(long)).toHaveLength(200);
  });

  it('reduces inline Markdown to text and finds headings', () => {
    expect(plainText('Run `kubectl get *pods*` then see [the **docs**](https://example.org) and ![x](y.png) <b>now</b> for <env>')).toBe(
      'Run kubectl get *pods* then see the docs and x now for <env>',
    );
    expect(firstHeading('Intro\n\n## Second level ##\n# First\n')).toBe('Second level');
    expect(firstHeading('- item\n---\n')).toBeUndefined();
  });
});
