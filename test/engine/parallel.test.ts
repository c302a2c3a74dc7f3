import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, checkParallel, replay, type Model } from '../../checker/index.ts';
import { naiveMutex, peterson, petersonPlain, philosophers, philosophersPlain } from '../../checker/examples/index.ts';
import { referenceFigures } from '../../checker/examples/reference.ts';
import { graphModel } from './fixtures/graph-model.ts';

const graphFixture = fileURLToPath(new URL('./fixtures/graph-model.ts', import.meta.url));

const examples = fileURLToPath(new URL('../../checker/examples/index.ts', import.meta.url));
const build = { peterson, naiveMutex, philosophers, petersonPlain, philosophersPlain } as const;

describe('two workers find what one finds', () => {
  // The plain twins' levels are packed records of arrays, traded between the workers.
  const cases: [keyof typeof build, number][] = [
    ['peterson', 4],
    ['naiveMutex', 3],
    ['philosophers', 8],
    ['petersonPlain', 4],
    ['philosophersPlain', 8],
  ];
  for (const [name, n] of cases) {
    it(`${name}(${n}): same counts, verdicts and shortest trace lengths`, async () => {
      const options = { deadlock: name.startsWith('philosophers') };
      const model = build[name](n) as Model<unknown, unknown>;
      const one = check(model, options);
      const two = await checkParallel<unknown, unknown>(
        { module: examples, export: name, args: [n] },
        { ...options, workers: 2 },
      );
      expect([two.distinctStates, two.transitions, two.depth, two.complete, two.status]).toEqual([
        one.distinctStates,
        one.transitions,
        one.depth,
        one.complete,
        one.status,
      ]);
      expect(two.properties.map((p) => [p.name, p.status, p.trace?.steps.length])).toEqual(
        one.properties.map((p) => [p.name, p.status, p.trace?.steps.length]),
      );
      expect(two.coverage).toEqual(one.coverage);
      for (const p of two.properties) {
        if (!p.trace) continue;
        const again = replay(
          model,
          p.trace.steps.slice(1).map((s) => s.action!),
        );
        expect(again.ok && again.trace.steps.map((s) => s.state)).toEqual(p.trace.steps.map((s) => s.state));
      }
    }, 60_000);
  }

  it('stops at maxStates as incomplete', async () => {
    const r = await checkParallel({ module: examples, export: 'peterson', args: [4] }, { workers: 2, maxStates: 2000 });
    expect([r.complete, r.status, r.stoppedBy]).toEqual([false, 'incomplete', 'maxStates']);
  }, 60_000);

  it('peterson(5) on three workers: the reference counts, through several growths of the shared seen-set', async () => {
    // 367,095 states outgrow the table's first 65,536 slots a few times; each growth is
    // rehashed by the workers, each a slice, concurrently.
    const ref = referenceFigures.find((f) => f.model === 'peterson' && f.n === 5)!;
    const r = await checkParallel({ module: examples, export: 'peterson', args: [5] }, { workers: 3 });
    expect([r.distinctStates, r.transitions, r.depth, r.complete, r.status]).toEqual([
      ref.distinctStates,
      ref.transitions,
      ref.depth,
      true,
      'pass',
    ]);
  }, 60_000);

  const graphs: [string, Record<number, number[]>, number[], number[], number | undefined][] = [
    // name, edges, goals, the counterexample's nodes, the step its last state loops back to
    [
      'a lasso before a longer dead end',
      { 0: [1], 1: [2], 2: [3, 4], 3: [], 4: [5, 2], 5: [] },
      [5],
      [0, 1, 2, 4, 2],
      2,
    ],
    ['a dead end before a longer lasso', { 0: [1, 2], 1: [], 2: [3], 3: [4], 4: [2] }, [9], [0, 1], undefined],
    ['no counterexample', { 0: [1, 2], 1: [3], 2: [3], 3: [] }, [3], [], undefined],
  ];
  for (const [name, next, goals, nodes, loop] of graphs) {
    it(`eventually, read off the graph the workers recorded: ${name}`, async () => {
      const source = { module: graphFixture, export: 'graphModel', args: [next, goals] };
      const one = check(graphModel(next, goals)).properties[0];
      const two = (await checkParallel<{ n: number }, number>(source, { workers: 2 })).properties[0];
      for (const r of [one, two]) {
        expect([r.status, r.trace?.steps.map((s) => s.state.n) ?? [], r.trace?.loopsBackTo]).toEqual([
          nodes.length ? 'violated' : 'holds',
          nodes,
          loop,
        ]);
      }
    }, 60_000);
  }
});
