/**
 * What lint checks one import at a time, checked here over the whole graph:
 * no import circles (type-only imports included), and hosts that reach each
 * other only through lower layers, however many files lie in between.
 */
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph, reachableFrom, sourceFiles } from './import-graph.js';

const graph = importGraph();

describe('the import graph', () => {
  it('is read from the real tree', () => {
    // A sanity floor, so a broken walk cannot pass every check below with an empty graph.
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('electron/vault/vault-open.ts')).toContain('electron/vault/vault-session.ts');
  });

  it('finds a circle when there is one (the detector itself)', () => {
    const sample = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(importCircles(sample)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no import circles, type-only imports included', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it.each([
    ['electron/cli/', 'electron/browser-host/'],
    ['electron/cli/', 'electron/app/'],
    ['electron/browser-host/', 'electron/cli/'],
    ['electron/browser-host/', 'electron/app/'],
  ])('nothing in %s reaches %s, even through other files', (from, to) => {
    const reached = sourceFiles()
      .filter((f) => f.startsWith(from))
      .flatMap((f) => [...reachableFrom(graph, f)].filter((t) => t.startsWith(to)).map((t) => `${f} → … → ${t}`));
    expect(reached).toEqual([]);
  });

  it('keeps the engine below every feature and host', () => {
    const above = [
      'electron/quorum/',
      'electron/printing/',
      'electron/chromium/',
      'electron/recovery/',
      'electron/catalog/',
      'electron/ipc/',
      'electron/cli/',
      'electron/app/',
      'electron/browser-host/',
    ];
    const climbs = sourceFiles()
      .filter((f) => f.startsWith('electron/vault/'))
      .flatMap((f) => [...reachableFrom(graph, f)].filter((t) => above.some((a) => t.startsWith(a))).map((t) => `${f} → … → ${t}`));
    expect(climbs).toEqual([]);
  });

  it('IPC handlers and CLI verbs reach the engine and features only through operations/', () => {
    const engine = ['electron/vault/', 'electron/catalog/', 'electron/recovery/', 'electron/quorum/'];
    const adapters = sourceFiles().filter((f) => f.startsWith('electron/ipc/') || f.startsWith('electron/cli/'));
    expect(adapters.length).toBeGreaterThan(20);
    const direct = adapters.flatMap((f) => (graph.get(f) ?? []).filter((t) => engine.some((e) => t.startsWith(e))).map((t) => `${f} → ${t}`));
    expect(direct).toEqual([]);
  });
});
