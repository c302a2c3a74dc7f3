/**
 * `complete` is true exactly when the run left nothing of the bounded space unexamined.
 *
 * The bounded space (CheckOptions): every state reachable within `maxDepth` steps is counted
 * and checked; those at a depth below `maxDepth` are also expanded (their transitions computed,
 * step properties and the deadlock check applied). `maxDepth` bounds the space, it does not make
 * a run incomplete. `maxStates` and `stopAtFirstViolation` can: `maxStates` when a state beyond
 * the limit is reached (a limit equal to the state count is no stop), `stopAtFirstViolation`
 * when a violation is found while some state of the space is still to be expanded.
 *
 * Asserted, for random graphs and every combination of the three options, on `check`, on
 * `checkParallel` with one worker, and (a few runs: each starts threads) with two:
 * - complete <=> the reference explorer reaches no more states than were counted (no maxStates
 *   stop) and, under stopAtFirstViolation, the first violation leaves no expansion undone: on
 *   one thread the run stops right after the expansion that found it, with workers at the end
 *   of that BFS level (workers finish a level, so that counts do not depend on timing);
 * - complete => the counts, depth, verdicts and shortest trace lengths are those of the run
 *   without stop options (nothing was left out);
 * - not complete => `stoppedBy` names the stop: maxStates with exactly maxStates states
 *   counted, or violation with a property violated.
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, check, checkParallel, type CheckOptions, type CheckResult, type Model } from '../../checker/index.ts';
import { graphArb, graphModel, reference, type Graph, type Node, type ReferenceRun } from './fixtures/random-graph.ts';

const fixture = fileURLToPath(new URL('./fixtures/random-graph.ts', import.meta.url));

describe('stopAtFirstViolation on an initial state', () => {
  it('is an incomplete run stopped by the violation, not a complete one', () => {
    const model: Model<{ n: number }, 'inc'> = {
      name: 'bad from the start',
      initStates: () => [{ n: 0 }],
      actions: () => ['inc'],
      nextState: (s) => (s.n < 3 ? { n: s.n + 1 } : undefined),
      properties: [always('positive', (s) => s.n > 0)],
    };
    const r = check(model, { stopAtFirstViolation: true });
    expect([r.distinctStates, r.complete, r.stoppedBy, r.status]).toEqual([1, false, 'violation', 'fail']);
    // With nothing to expand (maxDepth 0), the same violation leaves nothing undone.
    const bounded = check(model, { stopAtFirstViolation: true, maxDepth: 0 });
    expect([bounded.distinctStates, bounded.complete, bounded.stoppedBy, bounded.status]).toEqual([
      1,
      true,
      undefined,
      'fail',
    ]);
  });
});

type Engine = 'check' | 'one worker' | 'two workers';

async function run(engine: Engine, g: Graph, options: CheckOptions): Promise<CheckResult<Node, number>> {
  if (engine === 'check') return check(graphModel(g), options);
  const source = { module: fixture, export: 'graphModel', args: [g] };
  return checkParallel<Node, number>(source, { ...options, workers: engine === 'one worker' ? 1 : 2 });
}

/** Whether the reference says the run must be complete. */
function mustBeComplete(ref: ReferenceRun, engine: Engine, options: CheckOptions): boolean {
  if (options.maxStates !== undefined && ref.distinct > options.maxStates) return false;
  if (!options.stopAtFirstViolation || ref.firstViolationAfter === undefined) return true;
  const doneAtStop =
    engine === 'two workers' ? (ref.expandedThrough[ref.firstViolationLevel!] ?? 0) : ref.firstViolationAfter;
  return doneAtStop >= ref.expansions;
}

const len = (p: { trace?: { steps: unknown[] } }) => (p.trace ? p.trace.steps.length - 1 : undefined);

function assertComplete(
  r: CheckResult<Node, number>,
  ref: ReferenceRun,
  g: Graph,
  options: CheckOptions,
  engine: Engine,
): void {
  const expected = mustBeComplete(ref, engine, options);
  expect(r.complete).toBe(expected);
  if (r.complete) {
    expect(ref.distinct).toBeLessThanOrEqual(r.distinctStates);
    expect([r.distinctStates, r.transitions, r.depth, r.stoppedBy]).toEqual([
      ref.distinct,
      ref.transitions,
      ref.depth,
      undefined,
    ]);
    const [inv, stp, wit, ev, dl] = r.properties;
    expect([inv.status, len(inv)]).toEqual(ref.badAt === undefined ? ['holds', undefined] : ['violated', ref.badAt]);
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
  } else if (r.stoppedBy === 'maxStates') {
    expect(r.distinctStates).toBe(options.maxStates);
    expect(ref.distinct).toBeGreaterThan(r.distinctStates);
  } else {
    expect(r.stoppedBy).toBe('violation');
    expect(r.properties.some((p) => p.status === 'violated')).toBe(true);
  }
}

/** Every combination of the three options: each given or not (maxDepth travels in the graph). */
const combinations = [false, true].flatMap((stopAtFirstViolation) =>
  [false, true].flatMap((withMaxStates) =>
    [false, true].map((withMaxDepth) => ({ stopAtFirstViolation, withMaxStates, withMaxDepth })),
  ),
);

const caseArb = (withMaxStates: boolean, withMaxDepth: boolean) =>
  fc.record({
    g: graphArb.map((g) => ({ ...g, maxDepth: withMaxDepth ? (g.maxDepth ?? 3) : undefined })),
    maxStates: withMaxStates ? fc.integer({ min: 1, max: 40 }) : fc.constant(undefined),
  });

describe('complete is true exactly when nothing of the bounded space was left unexamined', () => {
  for (const { stopAtFirstViolation, withMaxStates, withMaxDepth } of combinations) {
    const name = `stopAtFirstViolation ${stopAtFirstViolation}, maxStates ${withMaxStates ? 'set' : 'unset'}, maxDepth ${withMaxDepth ? 'set' : 'unset'}`;

    it(`${name}: check and checkParallel with one worker`, async () => {
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          caseArb(withMaxStates, withMaxDepth),
          fc.constantFrom<Engine>('check', 'one worker'),
          async ({ g, maxStates }, engine) => {
            const options: CheckOptions = { deadlock: true, maxDepth: g.maxDepth, maxStates, stopAtFirstViolation };
            const r = await run(engine, g, options);
            assertComplete(r, reference(g), g, options, engine);
            const outcome = r.stoppedBy ?? (r.status === 'fail' ? 'complete, failing' : 'complete, passing');
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          },
        ),
        { numRuns: 150, seed: 20261201 },
      );
      // The runs reached every outcome the options allow, so the assertion was tried on each.
      const expected = [
        'complete, failing',
        'complete, passing',
        ...(withMaxStates ? ['maxStates'] : []),
        ...(stopAtFirstViolation ? ['violation'] : []),
      ];
      expect([...outcomes.keys()].sort()).toEqual(expected.sort());
    });

    it(`${name}: two workers`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb(withMaxStates, withMaxDepth), async ({ g, maxStates }) => {
          const options: CheckOptions = { deadlock: true, maxDepth: g.maxDepth, maxStates, stopAtFirstViolation };
          assertComplete(await run('two workers', g, options), reference(g), g, options, 'two workers');
        }),
        { numRuns: 3, seed: 20261202 },
      );
    }, 60_000);
  }
});
