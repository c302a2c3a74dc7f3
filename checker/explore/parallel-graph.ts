/**
 * The graph for `eventually` in a parallel run: each worker records the states it inserted and
 * the edges of the states it expanded (GraphPart), and the coordinator assembles one StateGraph
 * from the parts once the search is over, so that, as with `check`, no second search is needed.
 *
 * A worker knows an edge's target only by fingerprint (another worker may have inserted it), and
 * a state it expands only by reference (worker, number), so the parts carry fingerprints and
 * references; the StateGraph numbers states itself and finds targets by fingerprint.
 */
import { grown, StateGraph } from './state-graph.ts';
import { localOf, workerOf } from './shared-links.ts';

/** What one worker recorded, in transferable typed arrays. */
export interface GraphPart {
  /** Past its share of the limit, the worker stopped recording: the graph cannot be used. */
  dropped: boolean;
  /** By the worker's own state number: fingerprint and predicate bits. */
  hi: Uint32Array;
  lo: Uint32Array;
  goals: Uint32Array;
  states: number;
  /** Per expansion: the expanded state's reference and its edges [start, end). */
  sources: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
  expansions: number;
  /** Per edge: the target's fingerprint and the action's index. */
  targetHi: Uint32Array;
  targetLo: Uint32Array;
  actions: Uint32Array;
  edges: number;
}

/** The arrays, each copied into one of `length`. */
const allGrown = (arrays: readonly Uint32Array[], length: number): Uint32Array[] => arrays.map((a) => grown(a, length));

/** A worker's recorder. */
export class GraphRecorder {
  private part: GraphPart = {
    dropped: false,
    hi: new Uint32Array(1024),
    lo: new Uint32Array(1024),
    goals: new Uint32Array(1024),
    states: 0,
    sources: new Uint32Array(1024),
    starts: new Uint32Array(1024),
    ends: new Uint32Array(1024),
    expansions: 0,
    targetHi: new Uint32Array(4096),
    targetLo: new Uint32Array(4096),
    actions: new Uint32Array(4096),
    edges: 0,
  };

  constructor(private readonly limit: number) {}

  get dropped(): boolean {
    return this.part.dropped;
  }

  /** The state of reference `stateRef` (this worker's, in order) has this fingerprint and these bits. */
  addState(stateRef: number, hi: number, lo: number, goals: number): void {
    const p = this.part;
    if (p.dropped) return;
    const local = localOf(stateRef);
    if (local >= this.limit) {
      this.drop();
      return;
    }
    if (local >= p.hi.length)
      [p.hi, p.lo, p.goals] = allGrown([p.hi, p.lo, p.goals], Math.max(2 * p.hi.length, local + 1));
    p.hi[local] = hi >>> 0;
    p.lo[local] = lo >>> 0;
    p.goals[local] = goals;
    if (local >= p.states) p.states = local + 1;
  }

  /** The state of reference `source` is being expanded: its edges follow. */
  beginExpansion(source: number): void {
    const p = this.part;
    if (p.dropped) return;
    const k = p.expansions++;
    if (k === p.sources.length) [p.sources, p.starts, p.ends] = allGrown([p.sources, p.starts, p.ends], 2 * k);
    p.sources[k] = source;
    p.starts[k] = p.edges;
    p.ends[k] = p.edges;
  }

  /** A target is kept by fingerprint (its reference is a worker's, not the assembled graph's number). */
  addEdge(hi: number, lo: number, action: number): void {
    const p = this.part;
    if (p.dropped) return;
    const e = p.edges++;
    if (e === p.targetHi.length)
      [p.targetHi, p.targetLo, p.actions] = allGrown([p.targetHi, p.targetLo, p.actions], 2 * e);
    p.targetHi[e] = hi >>> 0;
    p.targetLo[e] = lo >>> 0;
    p.actions[e] = action;
    p.ends[p.expansions - 1] = p.edges;
  }

  /** The part, to post to the coordinator (its arrays can be transferred). */
  finish(): GraphPart {
    return this.part;
  }

  private drop(): void {
    const empty = new Uint32Array(0);
    this.part = {
      dropped: true,
      hi: empty,
      lo: empty,
      goals: empty,
      states: 0,
      sources: empty,
      starts: empty,
      ends: empty,
      expansions: 0,
      targetHi: empty,
      targetLo: empty,
      actions: empty,
      edges: 0,
    };
  }
}

/**
 * One StateGraph from every worker's part; undefined when a worker dropped its part. The
 * `initialCount` initial states, inserted by worker 0 first, are numbered 0.. in their order,
 * as eventually.ts expects.
 */
export function assembleGraph(
  parts: readonly GraphPart[],
  initialCount: number,
  limit: number,
): StateGraph | undefined {
  if (parts.some((p) => p.dropped)) return undefined;
  const graph = new StateGraph(limit);
  for (let local = 0; local < initialCount; local++)
    graph.addState(graph.size, parts[0].hi[local], parts[0].lo[local], parts[0].goals[local]);
  parts.forEach((p, w) => {
    for (let local = w === 0 ? initialCount : 0; local < p.states; local++)
      graph.addState(graph.size, p.hi[local], p.lo[local], p.goals[local]);
  });
  for (const p of parts) {
    for (let k = 0; k < p.expansions; k++) {
      const owner = parts[workerOf(p.sources[k])];
      const local = localOf(p.sources[k]);
      const n = graph.numberOf(owner.hi[local], owner.lo[local]);
      graph.beginExpansion(n);
      for (let e = p.starts[k]; e < p.ends[k]; e++) graph.addEdge(p.targetHi[e], p.targetLo[e], p.actions[e]);
    }
  }
  return graph.dropped ? undefined : graph;
}
