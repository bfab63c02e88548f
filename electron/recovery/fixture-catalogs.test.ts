/**
 * The plan and the review on real Backstage catalogs nobody here wrote
 * (test/fixtures/backstage-catalogs, see its README for sources and
 * licences), synced the way an owner would sync a draft folder.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCatalog } from '../catalog/catalog-sync.js';
import type { VaultSession } from '../vault/vault-session.js';
import { newVault } from '../../test/support/test-vault.js';
import { graphOf, planOf, readinessOf } from './recovery-views.js';

const CATALOGS = join(process.cwd(), 'test/fixtures/backstage-catalogs');
let session: VaultSession;

beforeAll(async () => {
  ({ session } = await newVault());
  await syncCatalog(session, { kind: 'unsigned', dir: join(CATALOGS, 'janus-idp'), catalogId: 'janus-idp' });
  await syncCatalog(session, { kind: 'unsigned', dir: join(CATALOGS, 'backstage-examples'), catalogId: 'backstage-examples' });
}, 60_000);

afterAll(async () => {
  await session.lock();
});

const titleOf = (id: string): string => graphOf(session).nodes.find((n) => n.id === id)?.title ?? id;

describe('real Backstage catalogs', () => {
  it('puts showcase after the database, Argo CD and Keycloak it depends on, and lists resource:obc as missing', () => {
    const plan = planOf(session, ['component:backstage-showcase']);
    const waveOf = (name: string): number => plan.waves.findIndex((w) => w.services.some((s) => s.title.toLowerCase().includes(name)));
    expect(waveOf('postgresql cluster')).toBe(0);
    expect(waveOf('argocd')).toBe(0);
    expect(waveOf('keycloak')).toBe(0);
    expect(waveOf('showcase')).toBe(1);
    expect(plan.waves.flatMap((w) => w.services)).toHaveLength(4);
    expect(plan.missing.map((m) => m.ref).sort()).toEqual(['resource:github', 'resource:obc']); // keycloak needs resource:github
  });

  it('resolves resource:artists-db to the artists database resource by catalog key', () => {
    const graph = graphOf(session);
    const edges = graph.edges.map((e) => [titleOf(e.from), titleOf(e.to)]);
    expect(edges).toHaveLength(4); // artist-lookup → artists-db; showcase → pgdb, argocd, keycloak
    expect(edges).toContainEqual([expect.stringMatching(/artist/i), expect.stringMatching(/artist/i)]);
  });

  it('reviews every synced service and calls out what a catalog alone does not give', () => {
    const review = readinessOf(session);
    const graph = graphOf(session);
    expect(review.services).toHaveLength(graph.nodes.length);
    // Backstage entities carry no RTO or runbook unless the lifeboat.dev annotations are used.
    for (const service of review.services) {
      expect(service.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['no-rto', 'no-runbook']));
    }
    // Keycloak logs people in: with no break-glass procedure, it is the top risk.
    const keycloak = review.services.find((s) => s.title.toLowerCase().includes('keycloak'));
    expect(keycloak?.worst).toBe('critical');
    expect(review.services[0]?.worst).toBe('critical');
    // …and everything that needs Keycloak inherits the gap.
    const showcase = review.services.find((s) => s.title === 'Backstage Showcase');
    expect(showcase?.findings.find((f) => f.rule === 'identity-without-break-glass')?.message).toMatch(/depends on the identity service KeyCloak/);
    expect(review.vault.map((f) => f.rule)).not.toContain('catalog-stale');
  });
});
