/**
 * The engine against a naive reference explorer, on random small graphs: the same distinct
 * states, transitions, verdicts and shortest trace lengths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, replay, type PropertyResult } from '../../checker/index.ts';
import { decideEventually } from '../../checker/explore/eventually.ts';
import { fingerprinter } from '../../checker/explore/fingerprinter.ts';
import { graphArb, graphModel, reference, type Node } from './fixtures/random-graph.ts';

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
        expect([inv.status, len(inv)]).toEqual(
          ref.badAt === undefined ? ['holds', undefined] : ['violated', ref.badAt],
        );
        expect([stp.status, len(stp)]).toEqual(
          ref.badEdgeAt === undefined ? ['holds', undefined] : ['violated', ref.badEdgeAt],
        );
        expect([wit.status, len(wit)]).toEqual(
          ref.goalAt === undefined ? ['unsatisfied', undefined] : ['satisfied', ref.goalAt],
        );
        expect([dl.status, len(dl)]).toEqual(
          ref.deadlockAt === undefined ? ['holds', undefined] : ['violated', ref.deadlockAt],
        );
        if (g.maxDepth === undefined) expect(ev.status).toBe(ref.eventuallyViolated ? 'violated' : 'holds');
        // Every trace replays to the same states.
        for (const p of r.properties) {
          if (!p.trace) continue;
          const again = replay(
            model,
            p.trace.steps.slice(1).map((s) => s.action!),
            p.trace.steps[0].state,
          );
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
      fc.property(
        graphArb.map((g) => ({ ...g, goal: g.goal.map((x, i) => x && i % 3 === 0) })),
        (g) => {
          const model = graphModel(g);
          const maxDepth = g.maxDepth ?? Number.POSITIVE_INFINITY;
          const recorded = check(model, { maxDepth: g.maxDepth }).properties[3];
          const explored: PropertyResult<Node, number>[] = model.properties.map((p) => ({
            name: p.name,
            kind: p.kind,
            status: 'holds',
          }));
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
          } else if (recorded.trace) expect(g.edges[nodes[nodes.length - 1]].every((t) => t < 0)).toBe(true);
        },
      ),
      { numRuns: 300, seed: 20261126 },
    );
    expect(loops).toBeGreaterThan(40); // lassos, not only dead ends, were compared
  });
});
