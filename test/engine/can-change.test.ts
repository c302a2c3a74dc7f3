/**
 * A property's `canChange(action)` lets the engine skip the predicate on a new state reached by
 * an action that cannot change its value: the verdicts, counts and traces are those of the full
 * check, the predicate runs less, and initial states are always checked.
 */
import { describe, expect, it } from 'vitest';
import { always, check, sometimes } from '../../checker/index.ts';
import type { Model } from '../../checker/index.ts';

type S = { x: number; y: number };
type A = 'x' | 'y';

/** x and y count up to 3; only 'x' moves x. */
function counters(bad: number, hooked: boolean, calls: { n: number }): Model<S, A> {
  const xOnly = hooked ? (a: A) => a === 'x' : undefined;
  return {
    name: 'counters',
    initStates: () => [{ x: 0, y: 0 }],
    actions: () => ['y', 'x'],
    nextState: (s, a) =>
      a === 'x' ? (s.x < 3 ? { ...s, x: s.x + 1 } : undefined) : s.y < 3 ? { ...s, y: s.y + 1 } : undefined,
    properties: [
      always('x-below-bad', (s) => (calls.n++, s.x < bad), undefined, xOnly),
      sometimes('x-reaches-2', (s) => s.x === 2, undefined, xOnly),
    ],
  };
}

describe('canChange', () => {
  it('gives the full check its verdicts, counts and traces, with fewer evaluations', () => {
    for (const bad of [1, 2, 3, 9]) {
      const full = { n: 0 },
        hooked = { n: 0 };
      const a = check(counters(bad, false, full), {});
      const b = check(counters(bad, true, hooked), {});
      expect(b.distinctStates).toBe(a.distinctStates);
      expect(b.properties.map((p) => [p.name, p.status, p.trace?.steps.map((s) => s.action)])).toEqual(
        a.properties.map((p) => [p.name, p.status, p.trace?.steps.map((s) => s.action)]),
      );
      expect(hooked.n).toBeLessThan(full.n);
    }
    const r = check(counters(2, true, { n: 0 }), {});
    expect(r.properties[0].status).toBe('violated');
    expect(r.properties[0].trace!.steps.map((s) => s.action)).toEqual([null, 'x', 'x']);
  });

  it('checks the initial states in full', () => {
    const r = check(counters(0, true, { n: 0 }), {});
    expect(r.properties[0].status).toBe('violated');
    expect(r.properties[0].trace!.steps).toHaveLength(1);
  });

  it('trusts the hook: one that says no where the value changes hides the violation', () => {
    const m = counters(2, false, { n: 0 });
    const wrong = {
      ...m,
      properties: [
        always<S, A>(
          'x-below-bad',
          (s) => s.x < 2,
          undefined,
          () => false,
        ),
      ],
    };
    expect(check(wrong, {}).properties[0].status).toBe('holds');
  });
});
