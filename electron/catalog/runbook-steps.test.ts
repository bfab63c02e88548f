/**
 * Which steps a runbook's checklist shows (issue 19, item 2): the rule of
 * runbook-steps.ts on synthetic pages that break it on purpose, then on every
 * Markdown page of the public fixtures (test/fixtures), each checked for a
 * sensible source and count, and a table of pages whose steps were read by hand.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stepParts } from '../../shared/step-text.js';
import { parseMarkdownFile } from './markdown-entry.js';
import { splitFrontMatter, stripNoise } from './markdown-text.js';
import { MAX_STEPS, pageSteps, type StepSource } from './runbook-steps.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures', import.meta.url));
const FOLDERS = ['govuk-developer-docs/manual', 'prometheus-operator-runbooks/runbooks', 'gitlab-like/docs'];

function markdownPages(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (/\.(?:md|markdown)$/i.test(name)) {
        out.push({ file: relative(FIXTURES, path).split('\\').join('/'), text: readFileSync(path, 'utf8') });
      }
    }
  };
  FOLDERS.forEach((folder) => {
    walk(join(FIXTURES, folder));
  });
  return out;
}

/** The body a catalog import reads steps from (markdown-entry.ts). */
function bodyOf(text: string): string {
  return stripNoise(splitFrontMatter(text).body);
}

const texts = (steps: readonly string[]): string[] => steps.map((step) => stepParts(step).text);

describe('the steps rule', () => {
  it('takes numbered headings over an ordered list that sits under one of them (the RDS page shape)', () => {
    const body = [
      '## Restore',
      '### 1. Find the snapshot',
      '```sh',
      'aws rds describe-db-snapshots',
      '```',
      '### 2. Connect the app',
      '1. Log in',
      '2. Edit the secret',
      '#### Why',
      '```sh',
      'kubectl rollout restart deploy/app',
      '```',
      '### 3. Check',
      '## Delete the old database',
      '```sh',
      'aws rds delete-db-instance',
      '```',
    ].join('\n');
    const found = pageSteps(body);
    expect(found.source).toBe('headings');
    expect(found.steps).toEqual([
      'Find the snapshot\n```sh\naws rds describe-db-snapshots\n```',
      // A deeper heading is part of its step's section; the sub-list is detail, not steps.
      'Connect the app\n```sh\nkubectl rollout restart deploy/app\n```',
      // A higher-level heading ends the last step's section: the delete command is not step 3's.
      'Check',
    ]);
    expect(found.lines).toEqual([2, 6, 13]);
  });

  it('reads `Step N:`, `N)` and `N.` headings, from 0 or 1, and keeps their inline code', () => {
    expect(pageSteps('## Step 1: Makefiles\n## Step 2: `/govuk`\n').steps).toEqual(['Makefiles', '`/govuk`']);
    expect(pageSteps('### 1) Add a site\n### 2) Lower the TTL\n').steps).toEqual(['Add a site', 'Lower the TTL']);
    expect(pageSteps('## 0. Unpublish\n## 1. Raise PRs\n## 2. Retire\n').steps).toEqual(['Unpublish', 'Raise PRs', 'Retire']);
    expect(pageSteps('### Step 1\ntext\n### Step 2\n').steps).toEqual(['Step 1', 'Step 2']);
  });

  it('needs a run of two, counted in order at one level: otherwise the ordered list', () => {
    const list = '1. First\n2. Second\n';
    expect(pageSteps(`## 1. Only one\n${list}`)).toMatchObject({ source: 'list', steps: ['First', 'Second'] });
    expect(pageSteps(`## 1. One\n## 3. Three\n${list}`).source).toBe('list');
    expect(pageSteps(`## 1. One\n### 2. Two\n${list}`).source).toBe('list');
    expect(pageSteps('## 2023 changes\n## 2024 changes\n').source).toBe('none');
    // A `1.` heading inside a list item or block quote is not the page's.
    expect(pageSteps('> ## 1. Quoted\n> ## 2. Quoted\n').source).toBe('none');
  });

  it('takes the longest run as the main procedure; a tie goes to the first', () => {
    const body = '## Restore\n### 1. a\n### 2. b\n### 3. c\n## Clean up\n### 1. x\n### 2. y\n### 3. z\n### 4. w\n';
    expect(pageSteps(body).steps).toEqual(['x', 'y', 'z', 'w']);
    expect(pageSteps('## A\n### 1. a\n### 2. b\n## B\n### 1. x\n### 2. y\n').steps).toEqual(['a', 'b']);
  });

  it('keeps inline code and link targets in a list step', () => {
    expect(pageSteps('1. Run `kubectl get pods` and see [the board](https://grafana.invalid/d/1)\n').steps).toEqual([
      'Run `kubectl get pods` and see the board (https://grafana.invalid/d/1)',
    ]);
    expect(pageSteps('1. Count the ``a`b`` marks\n').steps).toEqual(['Count the ``a`b`` marks']);
  });

  it('stops at 200 steps', () => {
    const headings = Array.from({ length: 250 }, (_, i) => `## ${i + 1}. step`).join('\n');
    expect(pageSteps(headings).steps).toHaveLength(MAX_STEPS);
  });

  it('prefers steps written in the front matter (lifeboat.steps) to the page', () => {
    const page = ['---', 'lifeboat:', '  steps:', '    - Stop writes', '    - Restore `pg_basebackup`', '---', '## 1. Not this', '## 2. Nor this', ''].join(
      '\n',
    );
    expect(parseMarkdownFile('restore.md', page).entry?.data['steps']).toEqual(['Stop writes', 'Restore `pg_basebackup`']);
    const wrong = ['---', 'lifeboat:', '  steps: {a: 1}', '---', 'Body', ''].join('\n');
    const result = parseMarkdownFile('restore.md', wrong);
    expect(result.entry).toBeUndefined();
    expect(result.problems.list[0]).toMatchObject({ file: 'restore.md', line: 3, field: 'lifeboat.steps' });
  });
});

/** A heading line numbered as the rule reads one: `## 1. …`, `### 2) …`, `#### Step 3: …`, `### Step 1`. */
const NUMBERED_LINE = /^(#{1,6}) +(?:step +(\d+)\b|(\d+) *[.):])/i;

/** Independently of the parser: does the file have two heading lines of one level numbered 0/1 then 2? */
function hasNumberedHeadingPair(body: string): boolean {
  const seen = new Map<number, Set<number>>();
  let inFence = false;
  for (const line of body.split('\n')) {
    inFence = /^ {0,3}(?:```|~~~)/.test(line) ? !inFence : inFence;
    const match = inFence ? null : NUMBERED_LINE.exec(line);
    if (match) {
      const level = match[1]?.length ?? 0;
      const set = seen.get(level) ?? new Set<number>();
      set.add(Number(match[2] ?? match[3]));
      seen.set(level, set);
    }
  }
  return [...seen.values()].some((numbers) => (numbers.has(0) || numbers.has(1)) && numbers.has(2));
}

describe('steps on every public fixture page', () => {
  const pages = markdownPages();

  it('reads them all (GOV.UK, prometheus-operator, the GitLab-like folder)', () => {
    expect(pages.length).toBeGreaterThan(300);
  });

  it.each(pages)('$file: a sensible source and count', ({ file, text }) => {
    const body = bodyOf(text);
    const found = pageSteps(body);
    const lines = body.split('\n');
    expect(found.steps.length, file).toBeLessThanOrEqual(MAX_STEPS);
    expect(found.lines, file).toHaveLength(found.steps.length);
    expect(found.source === 'none', file).toBe(found.steps.length === 0);
    for (const step of found.steps) {
      const parts = stepParts(step);
      expect(parts.text !== '' || parts.code.length > 0, `${file}: a step with neither text nor code`).toBe(true);
    }
    if (hasNumberedHeadingPair(body)) {
      // Never a nested sub-list when the page numbers its steps in headings.
      expect(found.source, file).toBe('headings');
    }
    if (found.source === 'headings') {
      const numbers = found.lines.map((line) => {
        const match = NUMBERED_LINE.exec(lines[line - 1] ?? '');
        expect(match, `${file}:${line} is a numbered heading`).not.toBeNull();
        return Number(match?.[2] ?? match?.[3]);
      });
      expect(numbers.length, file).toBeGreaterThanOrEqual(2);
      expect(numbers, file).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
    }
    if (found.source === 'list') {
      // A list at the margin: never one indented under a bullet or quoted.
      expect(lines[(found.lines[0] ?? 1) - 1], file).toMatch(/^ {0,3}\d{1,9}[.)](?:\s|$)/);
    }
  });

  const TABLE: { file: string; source: StepSource; count: number; first: string; also?: [number, string] }[] = [
    {
      file: 'govuk-developer-docs/manual/howto-backup-and-restore-in-aws-rds.html.md',
      source: 'headings',
      count: 8,
      first: 'Retrieve a list of all snapshot ARNs for your application',
      also: [7, 'Connect to the restored backup database'],
    },
    { file: 'govuk-developer-docs/manual/intro-to-docker-advanced.html.md', source: 'headings', count: 8, first: 'Makefiles', also: [2, '`/govuk`'] },
    { file: 'govuk-developer-docs/manual/retiring-an-application.html.md', source: 'headings', count: 4, first: 'Unpublish documents' },
    { file: 'govuk-developer-docs/manual/configure-transition-mappings.html.md', source: 'headings', count: 5, first: 'Set up AKA domains if required' },
    { file: 'govuk-developer-docs/manual/boost-or-demote-a-document-in-search.html.md', source: 'headings', count: 2, first: 'Step 1' },
    { file: 'govuk-developer-docs/manual/github-unavailable.html.md', source: 'list', count: 3, first: 'Set up CodeCommit on your machine' },
    {
      file: 'prometheus-operator-runbooks/runbooks/kubernetes/KubeAPIErrorBudgetBurn.md',
      source: 'list',
      count: 4,
      first: 'Take a look at the APIServer Grafana dashboard.',
    },
    { file: 'prometheus-operator-runbooks/runbooks/general/TargetDown.md', source: 'none', count: 0, first: '' },
    { file: 'gitlab-like/docs/gitaly/README.md', source: 'list', count: 3, first: 'Check that the Gitaly process is up on the node:' },
    { file: 'gitlab-like/docs/gitaly/gitaly-down.md', source: 'list', count: 2, first: 'Look at the error rate of the `gitaly` service.' },
  ];

  it.each(TABLE)('$file: $count steps from $source (read by hand)', ({ file, source, count, first, also }) => {
    const page = pages.find((p) => p.file === file);
    expect(page, file).toBeDefined();
    const found = pageSteps(bodyOf(page?.text ?? ''));
    expect(found.source).toBe(source);
    expect(found.steps).toHaveLength(count);
    expect(texts(found.steps)[0] ?? '').toContain(first);
    if (also) {
      expect(texts(found.steps)[also[0] - 1]).toBe(also[1]);
    }
  });

  it('keeps every command of an RDS step with its step', () => {
    const page = pages.find((p) => p.file.endsWith('howto-backup-and-restore-in-aws-rds.html.md'));
    const steps = pageSteps(bodyOf(page?.text ?? '')).steps.map(stepParts);
    expect(steps.map((s) => s.code.length)).toEqual([4, 2, 2, 1, 1, 1, 0, 2]);
    expect(steps[7]?.code[1]).toEqual({ lang: 'ruby', code: 'ActiveRecord::Base.connection_db_config.host' });
    // The delete section after the steps is not part of step 8.
    expect(steps.flatMap((s) => s.code).some((c) => c.code.includes('delete-db-instance'))).toBe(false);
  });
});
