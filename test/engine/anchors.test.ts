import { describe, expect, it } from 'vitest';
import { check, replay, type Model } from '../../checker/index.ts';
import {
  naiveMutex,
  peterson,
  petersonPlain,
  philosophers,
  philosophersPlain,
  referenceFigures,
} from '../../checker/examples/index.ts';

const build = { peterson, naive_mutex: naiveMutex, philosophers } as const;
// peterson(6) and philosophers(12) take seconds to minutes: they are the benchmark's, not the tests'.
const inTests = referenceFigures.filter((r) => r.distinctStates < 1_000_000);

describe('anchor models match the reference counts exactly', () => {
  for (const ref of inTests) {
    const name = `${ref.model}(${ref.n})`;
    const isPhilosophers = ref.model === 'philosophers';
    it(`${name}: ${ref.distinctStates} states, ${ref.transitions} transitions, depth ${ref.depth}`, () => {
      const model = build[ref.model](ref.n) as Model<readonly number[], number>;
      const r = check(model, { deadlock: isPhilosophers });
      expect([r.distinctStates, r.transitions, r.depth, r.complete]).toEqual([
        ref.distinctStates,
        ref.transitions,
        ref.depth,
        true,
      ]);
      const verdict = r.properties.find((p) => p.name === (isPhilosophers ? 'no-deadlock' : 'mutual-exclusion'))!;
      if (ref.shortest === undefined) {
        expect(verdict.status).toBe('holds');
        expect(r.status).toBe('pass');
      } else {
        expect(verdict.status).toBe('violated');
        expect(verdict.trace!.steps.length - 1).toBe(ref.shortest);
        expect(r.status).toBe('fail');
        const again = replay(
          model,
          verdict.trace!.steps.slice(1).map((s) => s.action!),
        );
        expect(again.ok && again.trace.steps.map((s) => s.state)).toEqual(verdict.trace!.steps.map((s) => s.state));
      }
    });
  }
});

describe('the plain-style twins count what the anchors count', () => {
  const plain = { peterson: petersonPlain, philosophers: philosophersPlain } as const;
  for (const ref of inTests) {
    if (ref.model === 'naive_mutex') continue;
    const model = ref.model;
    const isPhilosophers = ref.model === 'philosophers';
    it(`${ref.model}-plain(${ref.n}): ${ref.distinctStates} states, ${ref.transitions} transitions`, () => {
      const r = check(plain[model](ref.n) as Model<unknown, unknown>, { deadlock: isPhilosophers });
      expect([r.distinctStates, r.transitions, r.depth, r.complete]).toEqual([
        ref.distinctStates,
        ref.transitions,
        ref.depth,
        true,
      ]);
      const verdict = r.properties.find((p) => p.name === (isPhilosophers ? 'no-deadlock' : 'mutual-exclusion'))!;
      expect(verdict.trace && verdict.trace.steps.length - 1).toBe(ref.shortest);
    });
  }
});

describe('the generic canonical encoding counts what the fast encoding counts', () => {
  for (const model of [peterson(4), naiveMutex(3), philosophers(8)] as Model<readonly number[], number>[]) {
    it(model.name, () => {
      const fast = check(model, { deadlock: true });
      const generic = check(model, { deadlock: true, fastEncoding: false });
      expect([generic.distinctStates, generic.transitions, generic.depth]).toEqual([
        fast.distinctStates,
        fast.transitions,
        fast.depth,
      ]);
      expect(generic.properties.map((p) => [p.name, p.status, p.trace?.steps.length])).toEqual(
        fast.properties.map((p) => [p.name, p.status, p.trace?.steps.length]),
      );
    });
  }
});

describe('naive_mutex(2) shortest counterexample', () => {
  it('is 4 steps: both pass the check before either sets its flag', () => {
    const r = check(naiveMutex(2));
    const trace = r.properties[0].trace!;
    expect(trace.steps.map((s) => s.action)).toEqual([null, 0, 1, 0, 1]);
    expect(trace.steps[4].state).toEqual([1, 1, 2, 2]);
  });
});
