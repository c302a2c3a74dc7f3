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

export interface EventuallyContext<S> {
  maxDepth: number;
  /** Fingerprints a state into hasher.hi / hasher.lo (symmetry and fast encoding included). */
  fingerprintOf(state: S): void;
  hasher: Hasher;
}

interface Node<S, A> {
  state: S;
  depth: number;
  parent: number;
  action: A | null;
  /** Edges to region states: [target node, action]. */
  edges: [number, A][];
}

export function checkEventually<S, A>(
  model: Model<S, A>,
  holds: (state: S) => boolean,
  ctx: EventuallyContext<S>,
): Trace<S, A> | undefined {
  const keyOf = (state: S): string => {
    ctx.fingerprintOf(state);
    return `${ctx.hasher.hi}:${ctx.hasher.lo}`;
  };
  const ids = new Map<string, number>();
  const nodes: Node<S, A>[] = [];
  const add = (state: S, depth: number, parent: number, action: A | null): number => {
    const key = keyOf(state);
    const known = ids.get(key);
    if (known !== undefined) return known;
    ids.set(key, nodes.length);
    nodes.push({ state, depth, parent, action, edges: [] });
    return nodes.length - 1;
  };
  const pathTo = (id: number): Trace<S, A>['steps'] => {
    const steps: Trace<S, A>['steps'] = [];
    for (let at = id; at >= 0; at = nodes[at].parent) steps.push({ action: nodes[at].action, state: nodes[at].state });
    return steps.reverse();
  };

  for (const init of model.initStates()) if (!holds(init)) add(init, 0, -1, null);
  let deadEnd = -1;
  for (let id = 0; id < nodes.length; id++) {
    const node = nodes[id];
    if (node.depth >= ctx.maxDepth || (model.withinBoundary && !model.withinBoundary(node.state))) continue;
    let successors = 0;
    for (const action of model.actions(node.state)) {
      const next = model.nextState(node.state, action);
      if (next === undefined) continue;
      successors++;
      if (holds(next)) continue;
      node.edges.push([add(next, node.depth + 1, id, action), action]);
    }
    if (successors === 0 && deadEnd < 0) deadEnd = id;
  }

  const onCycle = statesOnCycles(nodes);
  let stem = -1;
  for (let id = 0; id < nodes.length; id++) {
    if (onCycle[id] && (stem < 0 || nodes[id].depth < nodes[stem].depth)) stem = id;
  }
  if (stem >= 0 && (deadEnd < 0 || nodes[stem].depth < nodes[deadEnd].depth)) {
    const steps = pathTo(stem);
    return { steps: [...steps, ...shortestLoop(nodes, stem)], loopsBackTo: steps.length - 1 };
  }
  return deadEnd >= 0 ? { steps: pathTo(deadEnd) } : undefined;
}

/** Tarjan's strongly connected components, iteratively: true for nodes on some cycle. */
function statesOnCycles<S, A>(nodes: Node<S, A>[]): boolean[] {
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
        frame[1]++;
        const w = nodes[v].edges[e][0];
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

/** The shortest way from `start` back to itself, as steps after `start`. */
function shortestLoop<S, A>(nodes: Node<S, A>[], start: number): Trace<S, A>['steps'] {
  const via = new Map<number, [number, A]>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const [w, action] of nodes[v].edges) {
      if (via.has(w)) continue;
      via.set(w, [v, action]);
      if (w === start) {
        const steps: Trace<S, A>['steps'] = [];
        let at = start;
        do {
          const [from, a] = via.get(at)!;
          steps.push({ action: a, state: nodes[at].state });
          at = from;
        } while (at !== start);
        return steps.reverse();
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
