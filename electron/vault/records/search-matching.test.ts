/**
 * The matching rules of issue 16, one by one (docs/vault-format.md, "Search
 * index"): stemming, compound names, stop words, synonyms, typo correction,
 * any-word fallback, file names and paths, provenance and snippets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordType } from '../../../shared/records.js';
import { RecordStore, type StoredRecord } from './record-store.js';
import type { Database } from 'sql.js';
import { allWordsQuery, editDistance, correctTerm, planQuery } from './search-query.js';
import { SYNONYM_GROUPS } from './search-synonyms.js';
import { indexTerms, pathText, stem } from './search-text.js';

const stores: RecordStore[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => {
    s.close();
  });
});

interface Seed {
  id: string;
  title: string;
  type?: RecordType;
  body?: string;
  file?: string;
  unsigned?: boolean;
  archived?: boolean;
  data?: Record<string, unknown>;
}

async function vault(seeds: Seed[]): Promise<RecordStore> {
  const store = await RecordStore.open();
  stores.push(store);
  const now = '2026-01-01T00:00:00.000Z';
  for (const seed of seeds) {
    const data: Record<string, unknown> = { ...(seed.type === undefined || seed.type === 'runbook' ? { body: seed.body ?? '' } : {}), ...seed.data };
    if (seed.file) {
      data['catalogRef'] = {
        catalogId: 'ops',
        key: seed.file,
        file: seed.file,
        catalogVersion: 7,
        syncedRevision: 1,
        entryHash: 'h',
        ...(seed.unsigned ? { unsigned: true } : {}),
      };
    }
    if (seed.archived) {
      data['archived'] = true;
    }
    const record: StoredRecord = {
      id: seed.id,
      type: seed.type ?? 'runbook',
      title: seed.title,
      data,
      revision: 1,
      createdAt: now,
      createdBy: 't',
      updatedAt: now,
      updatedBy: 't',
      deleted: false,
    };
    store.put(record, 'created', []);
  }
  return store;
}

const ids = (store: RecordStore, query: string, exact = false): string[] => store.search(query, { exact }).hits.map((h) => h.id);

describe('stemming (Porter, at index and query time)', () => {
  it('reduces word forms to one stem', () => {
    expect(['restart', 'restarts', 'restarted', 'restarting'].map((w) => stem(w))).toEqual(['restart', 'restart', 'restart', 'restart']);
    expect(stem('compactions')).toBe(stem('compaction'));
    expect(stem('failing')).toBe(stem('fails'));
    expect(stem('k8s')).toBe('k8s');
  });

  it('finds a runbook by another form of its words, and British and American spellings alike', async () => {
    const store = await vault([
      { id: 'a', title: 'Pod restarts', body: 'The container keeps restarting.' },
      { id: 'b', title: 'Clock not synchronising', body: 'NTP is off.' },
      { id: 'c', title: 'Unrelated', body: 'Nothing here.' },
    ]);
    expect(ids(store, 'restarted')).toEqual(['a']);
    expect(ids(store, 'synchronizing')).toEqual(['b']);
  });
});

describe('compound names: CamelCase, acronyms, snake_case, kebab-case, dotted', () => {
  it('splits CamelCase and acronyms, and keeps the whole name', () => {
    expect(indexTerms('KubePodCrashLooping')).toBe('kubepodcrashloop kube pod crash loop');
    expect(indexTerms('HTTPProxyTLSError')).toBe('httpproxytlserror http proxi tl error');
    expect(indexTerms('node_exporter status.example.com kube-state-metrics')).toBe(
      'nodeexport node export statusexamplecom statu exampl com kubestatemetr kube state metric',
    );
  });

  it('finds an alert runbook by the plain words of its alert, and ranks the one named exactly first', async () => {
    const store = await vault([
      { id: 'mentions', title: 'Pods that crash', body: 'A kube pod crash looping in a loop is handled elsewhere. '.repeat(3) },
      { id: 'named', title: 'Restarting containers', body: 'See the alert.', file: 'kubernetes/KubePodCrashLooping.md' },
    ]);
    expect(ids(store, 'kube pod crash looping')).toContain('named');
    expect(ids(store, 'KubePodCrashLooping')[0]).toBe('named');
  });

  it('finds snake, kebab and dotted names whole and by their parts', async () => {
    const store = await vault([
      { id: 'exp', title: 'Exporter down', body: 'Restart node_exporter on the host.' },
      { id: 'dns', title: 'Status page', body: 'Check status.example.com resolves.' },
      { id: 'ksm', title: 'Metrics', body: 'kube-state-metrics is behind.' },
    ]);
    expect(ids(store, 'node_exporter')).toEqual(['exp']);
    expect(ids(store, 'node exporter')).toEqual(['exp']);
    expect(ids(store, 'status.example.com')).toEqual(['dns']);
    expect(ids(store, 'example')).toEqual(['dns']);
    expect(ids(store, 'kube-state-metrics')).toEqual(['ksm']);
    expect(ids(store, 'state metrics')).toEqual(['ksm']);
  });
});

describe('stop words', () => {
  it('are never required, so natural phrasing finds the runbook', async () => {
    const store = await vault([
      { id: 'disk', title: 'Disk full', body: 'A node filesystem is almost full.' },
      { id: 'other', title: 'Queue latency', body: 'Sidekiq is slow.' },
    ]);
    expect(ids(store, 'disk is full on the node')).toEqual(['disk']);
  });

  it('are not indexed outside titles, but a title of stop words is still found', async () => {
    expect(indexTerms('what to do when it is down')).toBe('down');
    expect(indexTerms('what to do', true)).toBe('what to do');
    const store = await vault([{ id: 'w', title: 'What to do', body: 'Call someone.' }]);
    expect(ids(store, 'what to do')).toEqual(['w']);
  });
});

describe('synonyms and spelling variants (search-synonyms.ts, documented in docs/vault-format.md)', () => {
  it('finds k8s as kubernetes, db as database, cert expiry as certificate expiration', async () => {
    const store = await vault([
      { id: 'k', title: 'Kubernetes API down', body: 'The apiserver is unreachable.' },
      { id: 'd', title: 'Database failover', body: 'Promote the replica.' },
      { id: 'c', title: 'Client certificate expiration', body: 'Renew it.' },
    ]);
    expect(ids(store, 'k8s api')).toEqual(['k']);
    expect(ids(store, 'db failover')).toEqual(['d']);
    expect(ids(store, 'cert expiry')).toEqual(['c']);
  });

  it('every word of every group finds a record written with any other word of its group', async () => {
    for (const [g, group] of SYNONYM_GROUPS.entries()) {
      const store = await vault(group.map((word, i) => ({ id: `${g}-${i}`, title: `Runbook ${i}`, body: `About ${word} today.` })));
      for (const word of group) {
        expect(ids(store, word).sort(), `${word} in ${group.join(', ')}`).toEqual(group.map((_, i) => `${g}-${i}`).sort());
      }
      store.close();
      stores.pop();
    }
  });

  it('ranks the word typed above its synonym', async () => {
    const store = await vault([
      { id: 'syn', title: 'Kubernetes nodes', body: 'x' },
      { id: 'own', title: 'K8s nodes', body: 'x' },
    ]);
    expect(ids(store, 'k8s nodes')).toEqual(['own', 'syn']);
  });
});

describe('typo correction against the vault’s own words', () => {
  it('measures edits with transpositions, and picks the most frequent of the closest terms', () => {
    expect(editDistance('promethues', 'prometheus', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(
      correctTerm('cahc', [
        { term: 'cach', docs: 3 },
        { term: 'cash', docs: 1 },
      ]),
    ).toBe('cach');
    expect(correctTerm('abcdef', [{ term: 'abcxyz', docs: 9 }])).toBeUndefined();
    // Words under four letters are never corrected: too many neighbours.
    expect(correctTerm('dbx', [{ term: 'db', docs: 9 }])).toBeUndefined();
  });

  it('corrects a word that matches nothing, says so, and searches the original on request', async () => {
    const store = await vault([
      { id: 'p', title: 'Prometheus down', body: 'Restart Prometheus.' },
      { id: 'a', title: 'Alertmanager config', body: 'Reload it.' },
    ]);
    const result = store.search('promethues down');
    expect(result.corrected).toBe('prometheus down');
    expect(result.hits.map((h) => h.id)).toEqual(['p']);
    const exact = store.search('promethues down', { exact: true });
    expect(exact.corrected).toBeNull();
    expect(store.search('prometheus').corrected).toBeNull();
    // The first two letters swapped: the candidates are the vault's words beginning with either.
    expect(store.search('rpometheus').corrected).toBe('prometheus');
  });

  it('corrects a misspelt alert name to the name as the runbook writes it', async () => {
    const store = await vault([
      { id: 'crash', title: 'Kube Pod Crash Looping', body: 'Pods restart.', file: 'kubernetes/KubePodCrashLooping.md' },
      { id: 'ready', title: 'Kube Pod Not Ready', body: 'Pods wait.', file: 'kubernetes/KubePodNotReady.md' },
    ]);
    const result = store.search('KubePodCrashLoping');
    expect(result.corrected).toBe('KubePodCrashLooping');
    expect(result.hits[0]?.id).toBe('crash');
  });

  it('never confirms a word that only a key location’s text holds', async () => {
    const store = await vault([
      { id: 'key', type: 'key-location', title: 'Root CA key', data: { what: 'HSM card', where: 'Safe B2, combination 31-07-44' } },
      { id: 'rb', title: 'Rotate the CA', body: 'Fetch the card.' },
    ]);
    const result = store.search('combinaton');
    expect(result.corrected).toBeNull();
    expect(result.hits).toEqual([]);
  });
});

describe('any-word fallback', () => {
  it('ranks records with every word first, then records with some, never an empty page while a word matches', async () => {
    const store = await vault([
      { id: 'both', title: 'Postgres replication lag', body: 'Check the replica.' },
      { id: 'one', title: 'Postgres backup', body: 'Take a base backup.' },
    ]);
    expect(ids(store, 'postgres replication')).toEqual(['both', 'one']);
    expect(ids(store, 'postgres zebrafish').sort()).toEqual(['both', 'one']);
  });
});

describe('file names and paths', () => {
  it('are searchable and weighted like a title', async () => {
    expect(pathText('runbooks/etcd/etcdNoLeader.md')).toBe('etcdNoLeader etcd runbooks');
    expect(pathText('manual/rotating-rds.credentials.html.md')).toBe('rotating-rds.credentials manual');
    const store = await vault([
      { id: 'body', title: 'Consensus', body: 'When etcd has no leader, etcdNoLeader fires; see the other page. '.repeat(5) },
      { id: 'file', title: 'Cluster has lost its leader', body: 'Check the members.', file: 'runbooks/etcd/etcdNoLeader.md' },
    ]);
    expect(ids(store, 'etcdNoLeader')[0]).toBe('file');
  });
});

describe('provenance and snippets in every hit', () => {
  it('names the catalog, file, version and signature, and says archived', async () => {
    const store = await vault([
      { id: 's', title: 'Signed runbook', body: 'walrus', file: 'a/walrus.md' },
      { id: 'u', title: 'Unsigned runbook', body: 'walrus', file: 'b/walrus.md', unsigned: true },
      { id: 'x', title: 'Archived runbook', body: 'walrus', file: 'c/walrus.md', archived: true },
      { id: 'l', title: 'Local runbook', body: 'walrus' },
    ]);
    const hits = store.search('walrus', { includeArchived: true }).hits;
    const byId = new Map(hits.map((h) => [h.id, h]));
    expect(byId.get('s')?.source).toEqual({ catalogId: 'ops', path: 'a/walrus.md', version: 7, signed: true });
    expect(byId.get('u')?.source).toEqual({ catalogId: 'ops', path: 'b/walrus.md', version: 7, signed: false });
    expect(byId.get('x')).toMatchObject({ archived: true, source: { path: 'c/walrus.md' } });
    expect(byId.get('l')).toMatchObject({ archived: false, source: null });
    expect(store.search('walrus').hits.map((h) => h.id)).not.toContain('x');
  });

  it('shows the best-matching section with the headings it sits under', async () => {
    const body =
      '# Runbook\n\nIntro text.\n\n## Diagnosis\n\nLook around.\n\n### Check replication lag\n\nRun the lag query on the replica and compare.\n\n## Mitigation\n\nFail over.';
    const store = await vault([{ id: 'r', title: 'Postgres', body }]);
    const [hit] = store.search('replica lag').hits;
    expect(hit?.heading).toBe('Runbook › Diagnosis › Check replication lag');
    expect(hit?.snippet).toContain('\u0002lag\u0003');
    expect(hit?.snippet).toContain('\u0002replica\u0003');
  });

  it('shows a link or an image by its text, not its Markdown and target', async () => {
    const body = 'Fastly, our [content delivery network](/manual/cdn.html), sends logs; see the ![Fastly dashboard](img/f.png) and [runbook][rb].';
    const store = await vault([{ id: 'r', title: 'CDN logs', body }]);
    const [hit] = store.search('fastly').hits;
    expect(hit?.snippet).toBe('\u0002Fastly\u0003, our content delivery network, sends logs; see the \u0002Fastly\u0003 dashboard and runbook.');
  });
});

describe('the word typed and its synonyms', () => {
  it('matches the word typed as a prefix and its synonyms as whole words only', async () => {
    const store = await vault([
      { id: 'cfg', title: 'Reload the cfg after a change' },
      { id: 'conference', title: 'Book the conference bridge' },
      { id: 'configure', title: 'Configure the pager' },
    ]);
    // "conf" is a synonym of "config": it finds a record saying conf, never one saying conference.
    expect(ids(store, 'config', true).sort()).toEqual(['cfg', 'configure']);
    // Typed, "conf" is a prefix: the word being typed may be any word that begins so.
    expect(ids(store, 'conf', true).sort()).toEqual(['cfg', 'conference', 'configure']);
  });

  it('searches a word being typed as typed when its stem is shorter than a prefix may be', async () => {
    const store = await vault([{ id: 'drill', title: 'Test the failover' }]);
    // Porter makes "tes" "te"; searched as "te" it would find nothing until the word was complete.
    expect(ids(store, 'tes', true)).toEqual(['drill']);
  });

  it('asks the index for records with every word, each word with its synonyms', async () => {
    const store = await vault([
      { id: 'both', title: 'Kubernetes config drift' },
      { id: 'kube-only', title: 'Kubernetes node down' },
      { id: 'cfg-only', title: 'Reload the cfg' },
    ]);
    const query = allWordsQuery(planQuery('kube config'));
    // sql.js's FTS4 has the enhanced query syntax, where OR binds looser than AND: unbracketed, the synonyms of
    // one word would each be enough on their own, and the "all words" pass would read most of a large vault.
    const db = (store as unknown as { db: Database }).db;
    const [rows] = db.exec('SELECT m.rid FROM record_search JOIN record_search_meta m USING (docid) WHERE record_search MATCH ?', [query?.match ?? '']);
    expect(rows?.values.flat()).toEqual(['both']);
  });
});
