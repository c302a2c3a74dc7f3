/**
 * `eventually(p)`: is there a path, through states where p is false, that ends (reaches a state
 * with no successor) or closes a cycle? Such a path never passes a state where p holds.
 *
 * The region where p is false is searched breadth-first from each initial state where it is
 * false, keeping every edge of the region: from the graph the main search recorded
 * (state-graph.ts) when it has one, else by exploring the model again. The first state without
 * successors met is the nearest dead end. States on a cycle are those of a strongly connected
 * component with an edge inside it; the nearest such state, plus the shortest way round its
 * cycle, is the nearest lasso. The shorter of the two is the counterexample: the shortest dead
 * end, or the lasso with the shortest stem (then the shortest loop). A path cut by the depth
 * bound or leaving the boundary is not a violation: such states are not expanded.
 *
 * A trace is rebuilt by walking the model along the region's states by fingerprint: under
 * symmetry reduction a region state stands for a class, and the concrete state a path reaches
 * may be another member of it than the one whose actions were numbered when it was found.
 */
import type { Hasher } from '../fingerprint.ts';
import type { Model, PropertyResult, Trace } from '../model.ts';
import { MAX_PREDICATES, type StateGraph } from './state-graph.ts';
import { buildTrace } from './trace.ts';

export interface EventuallyContext<S> {
  maxDepth: number;
  /** Fingerprints a state into hasher.hi / hasher.lo (symmetry and fast encoding included). */
  fingerprintOf(state: S): void;
  hasher: Hasher;
  /** The main search's graph, its bit k standing for the k-th eventually property. */
  graph?: StateGraph;
  /** The main search's initial states, by state number (with `graph`). */
  initials?: readonly S[];
}

interface Node {
  depth: number;
  parent: number;
  /** Edges to region nodes: target node and action index, interleaved. */
  edges: number[];
  /** The state's fingerprint. */
  hi: number;
  lo: number;
}

/** The region where p is false, numbered in breadth-first order; its dead end, if any. */
interface Region<S> {
  nodes: Node[];
  /** The initial state of each root node. */
  roots: S[];
  /** The first node (in breadth-first order) that was expanded and has no successor; -1: none. */
  deadEnd: number;
}

/** Where p holds: not part of the region. */
const GOAL = -1;

/** The region of `holds`'s complement, found by exploring the model. */
function exploreRegion<S, A>(model: Model<S, A>, holds: (state: S) => boolean, ctx: EventuallyContext<S>): Region<S> {
  // 53 bits of the fingerprint as a number key: number keys cost neither a string nor a hash of one per state.
  const keyOf = (): number => (ctx.hasher.hi >>> 0) * 2097152 + (ctx.hasher.lo >>> 11);
  const ids = new Map<number, number>();
  const nodes: Node[] = [];
  /** States still to expand (dropped once expanded, as in the main search). */
  const pending: (S | undefined)[] = [];
  const roots: S[] = [];
  /** The node of `state`, GOAL where p holds there; new nodes are queued. */
  const visit = (state: S, depth: number, parent: number): number => {
    ctx.fingerprintOf(state);
    const key = keyOf();
    const known = ids.get(key);
    if (known !== undefined) return known;
    if (holds(state)) {
      ids.set(key, GOAL);
      return GOAL;
    }
    ids.set(key, nodes.length);
    nodes.push({ depth, parent, edges: [], hi: ctx.hasher.hi >>> 0, lo: ctx.hasher.lo >>> 0 });
    pending.push(state);
    return nodes.length - 1;
  };

  for (const init of model.initStates()) {
    const before = nodes.length;
    visit(init, 0, -1);
    if (nodes.length > before) roots[before] = init;
  }
  let deadEnd = -1;
  for (let id = 0; id < nodes.length; id++) {
    const node = nodes[id];
    const state = pending[id]!;
    pending[id] = undefined;
    if (node.depth >= ctx.maxDepth || (model.withinBoundary && !model.withinBoundary(state))) continue;
    let successors = 0;
    let ai = 0;
    for (const action of model.actions(state)) {
      const index = ai++;
      const next = model.nextState(state, action);
      if (next === undefined) continue;
      successors++;
      const target = visit(next, node.depth + 1, id);
      if (target !== GOAL) node.edges.push(target, index);
    }
    if (successors === 0 && deadEnd < 0) deadEnd = id;
  }
  return { nodes, roots, deadEnd };
}

/** The same region, read off the main search's graph (predicate bit `bit`): no transition is run again. */
function recordedRegion<S>(graph: StateGraph, initials: readonly S[], bit: number, maxDepth: number): Region<S> {
  const mask = 1 << bit;
  const nodeOf = new Int32Array(graph.size).fill(GOAL);
  const stateOf: number[] = [];
  const nodes: Node[] = [];
  const roots: S[] = [];
  const visit = (n: number, depth: number, parent: number): number => {
    if ((graph.goals[n] & mask) !== 0) return GOAL;
    if (nodeOf[n] === GOAL) {
      nodeOf[n] = nodes.length;
      stateOf.push(n);
      nodes.push({ depth, parent, edges: [], hi: graph.hi[n], lo: graph.lo[n] });
    }
    return nodeOf[n];
  };
  for (let n = 0; n < initials.length; n++) {
    const before = nodes.length;
    visit(n, 0, -1);
    if (nodes.length > before) roots[before] = initials[n];
  }
  let deadEnd = -1;
  for (let id = 0; id < nodes.length; id++) {
    const node = nodes[id];
    const n = stateOf[id];
    // Not expanded by the main search: at its depth bound or outside the boundary. A region
    // path can only be as short as the main search's, so its depth bound cuts no later.
    if (node.depth >= maxDepth || !graph.expanded(n)) continue;
    const from = graph.edgeStart[n],
      to = graph.edgeEnd[n];
    for (let e = from; e < to; e++) {
      const target = visit(graph.targets[e], node.depth + 1, id);
      if (target !== GOAL) node.edges.push(target, graph.actions[e]);
    }
    if (to === from && deadEnd < 0) deadEnd = id;
  }
  return { nodes, roots, deadEnd };
}

export function checkEventually<S, A>(
  model: Model<S, A>,
  holds: (state: S) => boolean,
  ctx: EventuallyContext<S>,
  recorded?: { graph: StateGraph; initials: readonly S[]; bit: number },
): Trace<S, A> | undefined {
  const { nodes, roots, deadEnd } = recorded
    ? recordedRegion(recorded.graph, recorded.initials, recorded.bit, ctx.maxDepth)
    : exploreRegion(model, holds, ctx);

  /** The nodes from the root to `id`, and the root. */
  const pathTo = (id: number): { root: number; path: number[] } => {
    const path: number[] = [];
    let at = id;
    for (; nodes[at].parent >= 0; at = nodes[at].parent) path.push(at);
    return { root: at, path: path.reverse() };
  };

  const onCycle = statesOnCycles(nodes);
  let stem = -1;
  for (let id = 0; id < nodes.length; id++) {
    if (onCycle[id] && (stem < 0 || nodes[id].depth < nodes[stem].depth)) stem = id;
  }
  if (stem >= 0 && (deadEnd < 0 || nodes[stem].depth < nodes[deadEnd].depth)) {
    const { root, path } = pathTo(stem);
    const trace = walk(
      model,
      roots[root],
      [...path, ...shortestLoop(nodes, stem)].map((id) => nodes[id]),
      ctx,
    );
    return { ...trace, loopsBackTo: path.length };
  }
  if (deadEnd < 0) return undefined;
  const { root, path } = pathTo(deadEnd);
  return walk(
    model,
    roots[root],
    path.map((id) => nodes[id]),
    ctx,
  );
}

/** The trace from `initial` through states of these fingerprints, each step the first action that reaches the next. */
function walk<S, A>(model: Model<S, A>, initial: S, through: readonly Node[], ctx: EventuallyContext<S>): Trace<S, A> {
  const indices: number[] = [];
  let state = initial;
  for (const target of through) {
    let ai = 0;
    let found: S | undefined;
    for (const action of model.actions(state)) {
      const next = model.nextState(state, action);
      if (next !== undefined) {
        ctx.fingerprintOf(next);
        if (ctx.hasher.hi >>> 0 === target.hi && ctx.hasher.lo >>> 0 === target.lo) {
          found = next;
          break;
        }
      }
      ai++;
    }
    // The search went this way, so only a model whose actions() or nextState() give different
    // answers for the same state can fail here.
    if (found === undefined)
      throw new Error(
        `gmemcheck: cannot rebuild step ${indices.length + 1} of an eventually trace of ${model.name}: actions() and nextState() must be deterministic`,
      );
    indices.push(ai);
    state = found;
  }
  return buildTrace(model, initial, indices);
}

/** Tarjan's strongly connected components, iteratively: true for nodes on some cycle. */
function statesOnCycles(nodes: Node[]): boolean[] {
  const index = new Array<number>(nodes.length).fill(-1);
  const low = new Array<number>(nodes.length).fill(0);
  const onStack = new Array<boolean>(nodes.length).fill(false);
  const onCycle = new Array<boolean>(nodes.length).fill(false);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < nodes.length; root++) {
    if (index[root] >= 0) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, e] = frame;
      if (e < nodes[v].edges.length) {
        frame[1] += 2;
        const w = nodes[v].edges[e];
        if (w === v) onCycle[v] = true;
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1][0];
        low[u] = Math.min(low[u], low[v]);
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component.push(w);
        } while (w !== v);
        if (component.length > 1) for (const c of component) onCycle[c] = true;
      }
    }
  }
  return onCycle;
}

/** The nodes of the shortest way from `start` back to itself (`start` last). */
function shortestLoop(nodes: Node[], start: number): number[] {
  const via = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    const edges = nodes[v].edges;
    for (let e = 0; e < edges.length; e += 2) {
      const w = edges[e];
      if (via.has(w)) continue;
      via.set(w, v);
      if (w === start) {
        const loop: number[] = [];
        let at = start;
        do {
          loop.push(at);
          at = via.get(at)!;
        } while (at !== start);
        return loop.reverse();
      }
      queue.push(w);
    }
  }
  throw new Error('shortestLoop: the state is on no cycle'); // impossible: start is on a cycle
}

/**
 * Gives every `eventually` property of the model its verdict (after a complete exploration),
 * from the main search's graph when it kept one (its bit k: the k-th eventually property).
 */
export function decideEventually<S, A>(
  model: Model<S, A>,
  results: PropertyResult<S, A>[],
  ctx: EventuallyContext<S>,
): void {
  const graph = ctx.graph && !ctx.graph.dropped && ctx.initials ? ctx.graph : undefined;
  let bit = 0;
  model.properties.forEach((p, index) => {
    if (p.kind !== 'eventually') return;
    const recorded = graph ? { graph, initials: ctx.initials!, bit: bit++ } : undefined;
    const found = checkEventually(model, p.holds, ctx, recorded);
    if (found) {
      results[index].status = 'violated';
      results[index].trace = found;
    }
  });
}

/**
 * The predicates of the model's eventually properties, in order, when a graph can stand for
 * them (bit k of a state's goals: the k-th holds there); undefined when there is no graph to keep.
 */
export function eventuallyGoals<S, A>(model: Model<S, A>): ((s: S) => boolean)[] | undefined {
  const goals = model.properties.filter((p) => p.kind === 'eventually').map((p) => p.holds as (s: S) => boolean);
  return goals.length === 0 || goals.length > MAX_PREDICATES ? undefined : goals;
}

/** Bit k set where the k-th predicate holds in `state`. */
export function goalBits<S>(goals: readonly ((s: S) => boolean)[], state: S): number {
  let bits = 0;
  for (let k = 0; k < goals.length; k++) if (goals[k](state)) bits |= 1 << k;
  return bits;
}
