/**
 * `eventually(p)`: is there a path, through states where p is false, that ends (reaches a state
 * with no successor) or closes a cycle? Such a path never passes a state where p holds.
 *
 * A breadth-first search of the region where p is false, from each initial state where it is
 * false, keeping every edge of the region. The first state without successors met is the
 * nearest dead end. States on a cycle are those of a strongly connected component with an
 * edge inside it; the nearest such state, plus the shortest way round its cycle, is the
 * nearest lasso. The shorter of the two is the counterexample: the shortest dead end, or the
 * lasso with the shortest stem (then the shortest loop). A path cut by the depth bound or
 * leaving the boundary is not a violation: such states are not expanded.
 */
import type { Hasher } from '../fingerprint.ts';
import type { Model, PropertyResult, Trace } from '../model.ts';
import { buildTrace } from './trace.ts';

export interface EventuallyContext<S> {
  maxDepth: number;
  /** Fingerprints a state into hasher.hi / hasher.lo (symmetry and fast encoding included). */
  fingerprintOf(state: S): void;
  hasher: Hasher;
}

interface Node {
  depth: number;
  parent: number;
  /** Index, in the parent's actions(), of the action that first reached this state. */
  actionIndex: number;
  /** Edges to region states: target node and action index, interleaved. */
  edges: number[];
}

/** Where p holds: not part of the region. */
const GOAL = -1;

export function checkEventually<S, A>(
  model: Model<S, A>,
  holds: (state: S) => boolean,
  ctx: EventuallyContext<S>,
): Trace<S, A> | undefined {
  // 53 bits of the fingerprint as a number key: the region is a side search, and number keys
  // cost neither a string nor a hash of one per state.
  const keyOf = (state: S): number => {
    ctx.fingerprintOf(state);
    return (ctx.hasher.hi >>> 0) * 2097152 + (ctx.hasher.lo >>> 11);
  };
  const ids = new Map<number, number>();
  const nodes: Node[] = [];
  /** States still to expand (dropped once expanded, as in the main search). */
  const pending: (S | undefined)[] = [];
  /** Initial states, by node. */
  const roots: S[] = [];
  /** The node of `state`, GOAL where p holds there; new nodes are queued. */
  const visit = (state: S, depth: number, parent: number, actionIndex: number): number => {
    const key = keyOf(state);
    const known = ids.get(key);
    if (known !== undefined) return known;
    if (holds(state)) {
      ids.set(key, GOAL);
      return GOAL;
    }
    ids.set(key, nodes.length);
    nodes.push({ depth, parent, actionIndex, edges: [] });
    pending.push(state);
    return nodes.length - 1;
  };

  for (const init of model.initStates()) {
    const before = nodes.length;
    visit(init, 0, -1, -1);
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
      const target = visit(next, node.depth + 1, id, index);
      if (target !== GOAL) node.edges.push(target, index);
    }
    if (successors === 0 && deadEnd < 0) deadEnd = id;
  }

  /** The action indices from the root to `id`, and the root. */
  const pathTo = (id: number): { root: number; actions: number[] } => {
    const actions: number[] = [];
    let at = id;
    for (; nodes[at].parent >= 0; at = nodes[at].parent) actions.push(nodes[at].actionIndex);
    return { root: at, actions: actions.reverse() };
  };

  const onCycle = statesOnCycles(nodes);
  let stem = -1;
  for (let id = 0; id < nodes.length; id++) {
    if (onCycle[id] && (stem < 0 || nodes[id].depth < nodes[stem].depth)) stem = id;
  }
  if (stem >= 0 && (deadEnd < 0 || nodes[stem].depth < nodes[deadEnd].depth)) {
    const { root, actions } = pathTo(stem);
    const trace = buildTrace(model, roots[root], [...actions, ...shortestLoop(nodes, stem)]);
    return { ...trace, loopsBackTo: actions.length };
  }
  if (deadEnd < 0) return undefined;
  const { root, actions } = pathTo(deadEnd);
  return buildTrace(model, roots[root], actions);
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

/** The action indices of the shortest way from `start` back to itself. */
function shortestLoop(nodes: Node[], start: number): number[] {
  const via = new Map<number, [number, number]>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    const edges = nodes[v].edges;
    for (let e = 0; e < edges.length; e += 2) {
      const w = edges[e];
      if (via.has(w)) continue;
      via.set(w, [v, edges[e + 1]]);
      if (w === start) {
        const actions: number[] = [];
        let at = start;
        do {
          const [from, index] = via.get(at)!;
          actions.push(index);
          at = from;
        } while (at !== start);
        return actions.reverse();
      }
      queue.push(w);
    }
  }
  throw new Error('shortestLoop: the state is on no cycle'); // impossible: start is on a cycle
}

/** Gives every `eventually` property of the model its verdict (after a complete exploration). */
export function decideEventually<S, A>(model: Model<S, A>, results: PropertyResult<S, A>[], ctx: EventuallyContext<S>): void {
  model.properties.forEach((p, index) => {
    if (p.kind !== 'eventually') return;
    const found = checkEventually(model, p.holds, ctx);
    if (found) {
      results[index].status = 'violated';
      results[index].trace = found;
    }
  });
}
