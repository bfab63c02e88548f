/**
 * Reads a V8 heap snapshot (.heapsnapshot, from node:v8 writeHeapSnapshot)
 * and finds the strings that contain a needle, each with one path from a GC
 * root that keeps it alive: what lock-memory.test.ts counts and, when the
 * count is wrong, prints.
 *
 * What a snapshot holds: V8 collects garbage before it writes one, so every
 * node in it is reachable. A flat string's node is named by its text, cut at
 * 1,024 characters (V8's StringsStorage), so a needle must sit in a string's
 * first 1,024 characters to be seen; concatenated and sliced strings are
 * named "(concatenated string)" / "(sliced string)" and point to the flat
 * strings that hold their text, which are counted instead.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface FoundString {
  /** The string, shortened for a message. */
  text: string;
  /** One chain of retainers from a GC root, nearest last: "(type) name --edge-->". */
  retainers: string[];
}

export interface HeapStrings {
  /** Every flat string node whose text contains the needle. */
  containing(needle: string): FoundString[];
}

const MAX_PATH = 40;

export function readHeapSnapshot(path: string): HeapStrings {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const { meta } = data.snapshot;
  const nodeFieldCount = meta.node_fields.length;
  const edgeFieldCount = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const edgeToAt = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = data;
  const nodeCount = nodes.length / nodeFieldCount;

  // Who points at whom, reversed, to walk from a string back to a root.
  const retainer = new Int32Array(nodeCount).fill(-1);
  const retainerEdge = new Int32Array(nodeCount).fill(-1);
  // Breadth-first from the root (node 0), so each node's recorded retainer lies on a shortest path; weak edges do not keep anything alive.
  const firstEdge = new Int32Array(nodeCount);
  for (let n = 0, e = 0; n < nodeCount; n += 1) {
    firstEdge[n] = e;
    e += (nodes[n * nodeFieldCount + edgeCountAt] ?? 0) * edgeFieldCount;
  }
  const queue = [0];
  const seen = new Uint8Array(nodeCount);
  seen[0] = 1;
  for (let head = 0; head < queue.length; head += 1) {
    const n = queue[head] ?? 0;
    const count = nodes[n * nodeFieldCount + edgeCountAt] ?? 0;
    for (let i = 0; i < count; i += 1) {
      const e = (firstEdge[n] ?? 0) + i * edgeFieldCount;
      if (edgeTypes[edges[e + edgeTypeAt] ?? 0] === 'weak') {
        continue;
      }
      const to = (edges[e + edgeToAt] ?? 0) / nodeFieldCount;
      if (!seen[to]) {
        seen[to] = 1;
        retainer[to] = n;
        retainerEdge[to] = e;
        queue.push(to);
      }
    }
  }

  const describeNode = (n: number): string => {
    const type = nodeTypes[nodes[n * nodeFieldCount + typeAt] ?? 0] ?? '?';
    const name = strings[nodes[n * nodeFieldCount + nameAt] ?? 0] ?? '';
    return `(${type}) ${name.slice(0, 60)}`;
  };
  const describeEdge = (e: number): string => {
    const type = edgeTypes[edges[e + edgeTypeAt] ?? 0] ?? '?';
    const nameOrIndex = edges[e + edgeNameAt] ?? 0;
    const name = type === 'element' || type === 'hidden' ? String(nameOrIndex) : (strings[nameOrIndex] ?? '');
    return `--${type}:${name.slice(0, 40)}-->`;
  };
  const pathTo = (n: number): string[] => {
    const chain: string[] = [];
    let at = n;
    while (retainer[at] !== -1 && chain.length < MAX_PATH) {
      chain.unshift(`${describeNode(retainer[at] ?? 0)} ${describeEdge(retainerEdge[at] ?? 0)}`);
      at = retainer[at] ?? 0;
    }
    return chain;
  };

  return {
    containing(needle) {
      const found: FoundString[] = [];
      for (let n = 0; n < nodeCount; n += 1) {
        if (nodeTypes[nodes[n * nodeFieldCount + typeAt] ?? 0] !== 'string') {
          continue;
        }
        const text = strings[nodes[n * nodeFieldCount + nameAt] ?? 0] ?? '';
        if (text.includes(needle)) {
          found.push({ text: text.slice(0, 120), retainers: pathTo(n) });
        }
      }
      return found;
    },
  };
}
