import { describe, expect, it } from 'vitest';
import { actionNameOf, check, type Model } from '../../checker/index.ts';
import {
  philosophersPlain,
  type PhilosopherAction,
  type PhilosophersPlainState,
} from '../../checker/examples/index.ts';

type Plain = Model<PhilosophersPlainState, PhilosopherAction>;

/** Coverage as the definition says it: every tried action named, counts summed by name. */
function namedPerTransition(model: Plain): { fired: Record<string, number>; never: string[] } {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const queue = [...model.initStates()];
  for (const s of queue) seen.add(JSON.stringify(s));
  for (let i = 0; i < queue.length; i++) {
    for (const a of model.actions(queue[i])) {
      const next = model.nextState(queue[i], a);
      const name = actionNameOf(model, a);
      counts.set(name, (counts.get(name) ?? 0) + (next ? 1 : 0));
      if (next && !seen.has(JSON.stringify(next))) {
        seen.add(JSON.stringify(next));
        queue.push(next);
      }
    }
  }
  const fired = Object.fromEntries([...counts].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    fired,
    never: [...counts]
      .filter(([, n]) => n === 0)
      .map(([k]) => k)
      .sort(),
  };
}

/** The same model, its actions listed in four ways, plus an idle action `{ p: n }` that never fires. */
function variants(n: number): Record<string, Plain> {
  const base = philosophersPlain(n);
  const idle = { p: n };
  const nextState = (s: PhilosophersPlainState, a: PhilosopherAction) => (a.p === n ? undefined : base.nextState(s, a));
  const staticList = [...base.actions(base.initStates()[Symbol.iterator]().next().value!), idle];
  return {
    'a static list': { ...base, actions: () => staticList, nextState },
    'fresh objects': { ...base, actions: () => [...Array.from({ length: n + 1 }, (_, p) => ({ p }))], nextState },
    'fresh objects, actionName': {
      ...base,
      actions: () => Array.from({ length: n + 1 }, (_, p) => ({ p })),
      nextState,
      presentation: { actionName: (a) => `diner ${a.p}`, formatAction: (a) => `diner ${a.p} acts` },
    },
    'fresh objects in varying order': {
      ...base,
      actions: (s) => {
        const list = Array.from({ length: n + 1 }, (_, p) => ({ p }));
        return s.pc[0] % 2 ? list.reverse() : list;
      },
      nextState,
    },
  };
}

describe('coverage counts by identity, position or structure, and names each action once', () => {
  // philosophers-plain(8): 14,158 states, far more tried actions than the identity Map keeps.
  for (const [how, model] of Object.entries(variants(8))) {
    it(`names and counts are those of naming every transition: ${how}`, () => {
      const r = check(model, { deadlock: true });
      const want = namedPerTransition(model);
      expect(r.distinctStates).toBe(14_158);
      // The run stops nowhere early, so the explorer tried what the naive walk tried.
      expect(r.coverage).toEqual(want.fired);
      expect(r.neverFired).toEqual(want.never);
      expect(r.neverFired).toHaveLength(1);
      expect(Object.values(r.coverage).reduce((a, b) => a + b, 0)).toBe(r.transitions);
    });
  }

  it('the four ways agree on the counts (names aside)', () => {
    const counts = Object.values(variants(8)).map((m) => Object.values(check(m, { deadlock: true }).coverage).sort());
    for (const c of counts) expect(c).toEqual(counts[0]);
    expect(counts[0]).toEqual(new Array(8).fill(9042));
  });
});
