/**
 * The graph `check` keeps for eventually properties (checker/explore/state-graph.ts): states
 * numbered as recorded, edges found by fingerprint, and a graph past its limit dropped, after
 * which eventually.ts explores the region itself and reaches the same verdict.
 */
import { describe, expect, it } from 'vitest';
import { check, eventually, type Model, type PropertyResult } from '../../checker/index.ts';
import { decideEventually } from '../../checker/explore/eventually.ts';
import { fingerprinter } from '../../checker/explore/fingerprinter.ts';
import { StateGraph } from '../../checker/explore/state-graph.ts';
import { assembleGraph, GraphRecorder } from '../../checker/explore/parallel-graph.ts';
import { ref } from '../../checker/explore/shared-links.ts';

describe('StateGraph', () => {
  it('numbers states as recorded and finds an edge target by its fingerprint, past several growths', () => {
    const g = new StateGraph(10_000);
    for (let n = 0; n < 5000; n++) g.addState(n, n * 7919 + 1, n ^ 0x5a5a, n % 2);
    for (let n = 0; n < 5000; n++) {
      g.beginExpansion(n);
      g.addEdge(((n + 1) % 5000) * 7919 + 1, ((n + 1) % 5000) ^ 0x5a5a, 3);
    }
    expect([g.size, g.edgeCount, g.dropped]).toEqual([5000, 5000, false]);
    expect(g.numberOf(4242 * 7919 + 1, 4242 ^ 0x5a5a)).toBe(4242);
    expect([g.targets[4999], g.actions[4999], g.goals[4999]]).toEqual([0, 3, 1]);
    expect([g.expanded(17), g.edgeEnd[17] - g.edgeStart[17]]).toEqual([true, 1]);
  });

  it('gives up past its limit and holds nothing after', () => {
    const g = new StateGraph(3);
    for (let n = 0; n < 4; n++) g.addState(n, n + 1, n + 1, 0);
    expect([g.dropped, g.bytes]).toEqual([true, 0]);
  });
});

describe('an eventually verdict without the graph', () => {
  // 0 -> 1 -> 2, then 2 -> 3 (a dead end) or 2 -> 4, and 4 -> 5 (the goal) or back to 2. Both
  // the dead end and the loop 2 -> 4 -> 2 violate eventually(n == 5); the loop's stem (2 steps)
  // is shorter than the dead end's path (3), so the lasso 0 1 2 4 2 is the counterexample.
  const next: Record<number, number[]> = { 0: [1], 1: [2], 2: [3, 4], 3: [], 4: [5, 2], 5: [] };
  const model: Model<{ n: number }, number> = {
    name: 'counter',
    initStates: () => [{ n: 0 }],
    actions: (s) => next[s.n].map((_, i) => i),
    nextState: (s, a) => ({ n: next[s.n][a] }),
    properties: [eventually('reaches 5', (s) => s.n === 5)],
  };
  it('is the one read off the graph, when the graph was dropped', () => {
    const recorded = check(model).properties[0];
    const dropped = new StateGraph(1);
    dropped.addState(0, 1, 1, 0);
    dropped.addState(1, 2, 2, 0);
    const results: PropertyResult<{ n: number }, number>[] = [
      { name: 'reaches 5', kind: 'eventually', status: 'holds' },
    ];
    decideEventually(model, results, {
      maxDepth: Infinity,
      ...fingerprinter(model, {}),
      graph: dropped,
      initials: [{ n: 0 }],
    });
    expect(dropped.dropped).toBe(true);
    expect([recorded.status, recorded.trace?.steps.map((s) => s.state.n), recorded.trace?.loopsBackTo]).toEqual([
      'violated',
      [0, 1, 2, 4, 2],
      2,
    ]);
    expect([results[0].status, results[0].trace?.steps.map((s) => s.state.n)]).toEqual([
      recorded.status,
      recorded.trace?.steps.map((s) => s.state.n),
    ]);
  });
});

describe("the graph of a parallel run, assembled from the workers' parts", () => {
  it('numbers the initial states first, finds each edge target by fingerprint across workers, and gives up when a worker dropped its part', () => {
    // Worker 0 inserted the initial state A (its state 0) and C (1); worker 1 inserted B (its 0).
    // Worker 1 expanded A (A -> B, A -> C), worker 0 expanded B (B -> A).
    const w0 = new GraphRecorder(100);
    const w1 = new GraphRecorder(100);
    const [A, B, C] = [
      [1, 11],
      [2, 22],
      [3, 33],
    ];
    w0.addState(0, A[0], A[1], 0);
    w0.addState(1, C[0], C[1], 1);
    w1.addState(ref(1, 0), B[0], B[1], 0);
    w1.beginExpansion(ref(0, 0));
    w1.addEdge(B[0], B[1], 0);
    w1.addEdge(C[0], C[1], 1);
    w0.beginExpansion(ref(1, 0));
    w0.addEdge(A[0], A[1], 0);
    const g = assembleGraph([w0.finish(), w1.finish()], 1, 100)!;
    expect([g.size, g.edgeCount]).toEqual([3, 3]);
    const [a, b, c] = [A, B, C].map(([hi, lo]) => g.numberOf(hi, lo));
    expect([a, g.goals[c]]).toEqual([0, 1]);
    const edgesOf = (n: number) => [...g.targets.slice(g.edgeStart[n], g.edgeEnd[n])];
    expect([edgesOf(a), edgesOf(b), g.expanded(c)]).toEqual([[b, c], [a], false]);

    const small = new GraphRecorder(1);
    small.addState(0, 1, 1, 0);
    small.addState(1, 2, 2, 0);
    expect(assembleGraph([w0.finish(), small.finish()], 1, 100)).toBeUndefined();
  });
});
