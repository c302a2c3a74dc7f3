/**
 * The engine against a naive reference explorer, on random small graphs: the same distinct
 * states, transitions, verdicts and shortest trace lengths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, check, eventually, replay, sometimes, step, type Model, type PropertyResult } from '../../checker/index.ts';
import { decideEventually } from '../../checker/explore/eventually.ts';
import { fingerprinter } from '../../checker/explore/fingerprinter.ts';

interface Graph {
  nodes: number;
  inits: number[];
  /** Per node, its outgoing actions: a target node, or -1 for an action that is not enabled. */
  edges: number[][];
  bad: boolean[];
  goal: boolean[];
  badEdge: (from: number, to: number) => boolean;
  maxDepth?: number;
}

const graphArb: fc.Arbitrary<Graph> = fc
  .integer({ min: 1, max: 50 })
  .chain((nodes) =>
    fc.record({
      nodes: fc.constant(nodes),
      inits: fc.uniqueArray(fc.integer({ min: 0, max: nodes - 1 }), { minLength: 1, maxLength: 3 }),
      edges: fc.array(fc.array(fc.integer({ min: -1, max: nodes - 1 }), { maxLength: 4 }), {
        minLength: nodes,
        maxLength: nodes,
      }),
      bad: fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.08), { minLength: nodes, maxLength: nodes }),
      goal: fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.3), { minLength: nodes, maxLength: nodes }),
      badEdgeSalt: fc.integer({ min: 0, max: 1000 }),
      maxDepth: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    }),
  )
  .map(({ badEdgeSalt, ...g }) => ({ ...g, badEdge: (a: number, b: number) => (a * 31 + b * 17 + badEdgeSalt) % 23 === 0 }));

type Node = { node: number };

/** States are objects so that the generic canonical encoding is the one under test. */
function graphModel(g: Graph): Model<Node, number> {
  return {
    name: 'random graph',
    initStates: () => g.inits.map((node) => ({ node })),
    actions: (s) => g.edges[s.node].map((_, k) => k),
    nextState: (s, k) => (g.edges[s.node][k] >= 0 ? { node: g.edges[s.node][k] } : undefined),
    properties: [
      always<Node, number>('not bad', (s) => !g.bad[s.node]),
      step<Node, number>('no bad edge', (p, _a, n) => !g.badEdge(p.node, n.node)),
      sometimes<Node, number>('reach goal', (s) => g.goal[s.node]),
      eventually<Node, number>('eventually goal', (s) => g.goal[s.node]),
    ],
  };
}

/** Plain BFS with a Set and a distance map: the reference. */
function reference(g: Graph) {
  const maxDepth = g.maxDepth ?? Infinity;
  const dist = new Map<number, number>();
  let frontier: number[] = [];
  for (const i of g.inits) if (!dist.has(i)) { dist.set(i, 0); frontier.push(i); }
  let transitions = 0;
  let badAt: number | undefined, badEdgeAt: number | undefined, goalAt: number | undefined, deadlockAt: number | undefined;
  const noteState = (n: number, d: number) => {
    if (g.bad[n] && badAt === undefined) badAt = d;
    if (g.goal[n] && goalAt === undefined) goalAt = d;
  };
  for (const i of frontier) noteState(i, 0);
  let depth = 0;
  while (frontier.length && depth < maxDepth) {
    const next: number[] = [];
    for (const n of frontier) {
      let enabled = false;
      for (const t of g.edges[n]) {
        if (t < 0) continue;
        enabled = true;
        transitions++;
        if (g.badEdge(n, t) && badEdgeAt === undefined) badEdgeAt = depth + 1;
        if (!dist.has(t)) { dist.set(t, depth + 1); next.push(t); noteState(t, depth + 1); }
      }
      if (!enabled && deadlockAt === undefined) deadlockAt = depth;
    }
    frontier = next;
    if (next.length) depth++;
  }
  // eventually: a dead end or a cycle in the region where the goal is false, reached through it.
  const succ = (n: number) => g.edges[n].filter((t) => t >= 0);
  const region = new Set<number>();
  const stack = g.inits.filter((i) => !g.goal[i]);
  stack.forEach((i) => region.add(i));
  while (stack.length) for (const t of succ(stack.pop()!)) if (!g.goal[t] && !region.has(t)) { region.add(t); stack.push(t); }
  let eventuallyViolated = [...region].some((n) => succ(n).length === 0);
  // A cycle inside the region: repeatedly strip nodes with no successor in the region.
  const alive = new Set(region);
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of alive) if (!succ(n).some((t) => alive.has(t))) { alive.delete(n); changed = true; }
  }
  if (alive.size > 0) eventuallyViolated = true;
  return { distinct: dist.size, transitions, depth, badAt, badEdgeAt, goalAt, deadlockAt, eventuallyViolated };
}

describe('check agrees with a naive reference explorer on random graphs', () => {
  it('distinct states, transitions, depth, verdicts and shortest trace lengths', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const model = graphModel(g);
        const r = check(model, { deadlock: true, maxDepth: g.maxDepth });
        const ref = reference(g);
        expect([r.distinctStates, r.transitions, r.depth]).toEqual([ref.distinct, ref.transitions, ref.depth]);
        const [inv, stp, wit, ev, dl] = r.properties;
        const len = (p: typeof inv) => (p.trace ? p.trace.steps.length - 1 : undefined);
        expect([inv.status, len(inv)]).toEqual(ref.badAt === undefined ? ['holds', undefined] : ['violated', ref.badAt]);
        expect([stp.status, len(stp)]).toEqual(ref.badEdgeAt === undefined ? ['holds', undefined] : ['violated', ref.badEdgeAt]);
        expect([wit.status, len(wit)]).toEqual(ref.goalAt === undefined ? ['unsatisfied', undefined] : ['satisfied', ref.goalAt]);
        expect([dl.status, len(dl)]).toEqual(ref.deadlockAt === undefined ? ['holds', undefined] : ['violated', ref.deadlockAt]);
        if (g.maxDepth === undefined) expect(ev.status).toBe(ref.eventuallyViolated ? 'violated' : 'holds');
        // Every trace replays to the same states.
        for (const p of r.properties) {
          if (!p.trace) continue;
          const again = replay(model, p.trace.steps.slice(1).map((s) => s.action!), p.trace.steps[0].state);
          expect(again.ok).toBe(true);
          expect(again.ok && again.trace.steps.map((s) => s.state)).toEqual(p.trace.steps.map((s) => s.state));
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('eventually: the verdict read off the main search graph is the one a second search finds', () => {
    let loops = 0;
    fc.assert(
      // Goals on a third as many nodes, so that lassos are common.
      fc.property(graphArb.map((g) => ({ ...g, goal: g.goal.map((x, i) => x && i % 3 === 0) })), (g) => {
        const model = graphModel(g);
        const maxDepth = g.maxDepth ?? Number.POSITIVE_INFINITY;
        const recorded = check(model, { maxDepth: g.maxDepth }).properties[3];
        const explored: PropertyResult<Node, number>[] = model.properties.map((p) => ({ name: p.name, kind: p.kind, status: 'holds' }));
        decideEventually(model, explored, { maxDepth, ...fingerprinter(model, {}) });
        const again = explored[3];
        expect([recorded.status, recorded.trace?.loopsBackTo]).toEqual([again.status, again.trace?.loopsBackTo]);
        expect(recorded.trace?.steps.map((s) => s.state.node)).toEqual(again.trace?.steps.map((s) => s.state.node));
        // The counterexample never passes the goal, and ends where it says: a dead end or back in its loop.
        const nodes = recorded.trace?.steps.map((s) => s.state.node) ?? [];
        expect(nodes.some((n) => g.goal[n])).toBe(false);
        const loop = recorded.trace?.loopsBackTo;
        if (loop !== undefined) {
          loops++;
          expect(nodes[nodes.length - 1]).toBe(nodes[loop]);
        }
        else if (recorded.trace) expect(g.edges[nodes[nodes.length - 1]].every((t) => t < 0)).toBe(true);
      }),
      { numRuns: 300, seed: 20261126 },
    );
    expect(loops).toBeGreaterThan(40); // lassos, not only dead ends, were compared
  });
});
