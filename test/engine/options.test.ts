import { describe, expect, it } from 'vitest';
import { always, check, eventually, sometimes, type Model, type Progress } from '../../checker/index.ts';
import { naiveMutex, peterson, philosophers } from '../../checker/examples/index.ts';

/** A counter that may go up to `top` (increment) or reset to 0 — a cycle, and a dead end at `top` when `stuck`. */
function counter(top: number, stuck: boolean): Model<{ n: number }, 'inc' | 'reset' | 'noop'> {
  return {
    name: `counter(${top})`,
    initStates: () => [{ n: 0 }],
    actions: () => ['inc', 'reset', 'noop'],
    nextState: (s, a) => {
      if (a === 'inc') return s.n < top ? { n: s.n + 1 } : undefined;
      if (a === 'reset') return !stuck && s.n === top ? { n: 0 } : undefined;
      return undefined;
    },
    properties: [
      eventually('reaches top', (s) => s.n === top),
      eventually('reaches top+1', (s) => s.n === top + 1),
      sometimes('two', (s) => s.n === 2),
    ],
    terminal: (s) => s.n === top,
  };
}

describe('bounds', () => {
  it('maxDepth: states at the bound are checked, not expanded, and the run is complete', () => {
    const r = check(peterson(3), { maxDepth: 5 });
    expect([r.depth, r.complete, r.status, r.stoppedBy]).toEqual([5, true, 'pass', undefined]);
  });

  it('maxStates: stops at the limit, incomplete, says which limit', () => {
    const r = check(peterson(4), { maxStates: 1000 });
    expect([r.distinctStates, r.complete, r.status, r.stoppedBy]).toEqual([1000, false, 'incomplete', 'maxStates']);
  });

  it('maxStates equal to the state count is not a stop', () => {
    const r = check(peterson(3), { maxStates: 843 });
    expect([r.distinctStates, r.complete, r.status]).toEqual([843, true, 'pass']);
  });

  it('timeLimitMs: stops cleanly, incomplete', () => {
    const r = check(peterson(5), { timeLimitMs: 1 });
    expect([r.complete, r.status, r.stoppedBy]).toEqual([false, 'incomplete', 'timeLimit']);
  });

  it('heap limit: a run that would pass it stops cleanly as incomplete instead of crashing', () => {
    const r = check(peterson(4), { heapLimitBytes: 1 });
    expect([r.complete, r.status, r.stoppedBy]).toEqual([false, 'incomplete', 'heapLimit']);
  });

  it('stopAtFirstViolation stops at the shortest violation', () => {
    const r = check(naiveMutex(3), { stopAtFirstViolation: true });
    expect([r.status, r.stoppedBy, r.properties[0].trace!.steps.length - 1]).toEqual(['fail', 'violation', 4]);
  });

  it('withinBoundary: states outside are kept and checked, not expanded', () => {
    const bounded = { ...counter(10, true), withinBoundary: (s: { n: number }) => s.n < 3 };
    const r = check(bounded);
    expect(r.distinctStates).toBe(4);
  });
});

describe('eventually', () => {
  it('holds on a cycle that passes the goal, and is violated by a goal that is never reached', () => {
    const r = check(counter(3, false));
    expect(r.properties.map((p) => p.status)).toEqual(['holds', 'violated', 'satisfied']);
    // n = 0,1,2,3 then back to 0: a lasso of 4 transitions looping back to step 0.
    const lasso = r.properties[1].trace!;
    expect(lasso.steps.map((s) => s.state.n)).toEqual([0, 1, 2, 3, 0]);
    expect(lasso.loopsBackTo).toBe(0);
  });

  it('a path that ends in a terminal state without the goal is a violation', () => {
    const r = check(counter(3, true));
    const [top, topPlusOne] = r.properties;
    expect(top.status).toBe('holds');
    expect(topPlusOne.status).toBe('violated');
    expect(topPlusOne.trace!.steps.map((s) => s.state.n)).toEqual([0, 1, 2, 3]);
    expect(topPlusOne.trace!.loopsBackTo).toBeUndefined();
  });

  it('gives the shortest dead end, and a lasso with the shortest stem, not the first path found', () => {
    // From 0: 'long' walks 0 -> 1 -> ... -> 5 (a dead end); 'short' goes to 9, a dead end at once.
    const roads: Model<{ at: number }, 'long' | 'short'> = {
      name: 'roads',
      initStates: () => [{ at: 0 }],
      actions: () => ['long', 'short'],
      nextState: (s, a) =>
        a === 'long' ? (s.at < 5 ? { at: s.at + 1 } : undefined) : s.at === 0 ? { at: 9 } : undefined,
      properties: [eventually('never', () => false)],
    };
    expect(check(roads).properties[0].trace!.steps.map((s) => s.state.at)).toEqual([0, 9]);
    // A cycle 2 -> 3 -> 2 reached in two steps beats the dead end three steps away.
    const loop: Model<{ at: number }, number> = {
      name: 'loop',
      initStates: () => [{ at: 0 }],
      actions: () => [0, 1],
      nextState: (s, a) => {
        const next: Record<number, (number | undefined)[]> = { 0: [1, 2], 1: [4], 2: [3], 3: [2], 4: [5] };
        const to = next[s.at]?.[a];
        return to === undefined ? undefined : { at: to };
      },
      properties: [eventually('never', () => false)],
    };
    const lasso = check(loop).properties[0].trace!;
    expect(lasso.steps.map((s) => s.state.at)).toEqual([0, 2, 3, 2]);
    expect(lasso.loopsBackTo).toBe(1);
  });

  it('a path cut by the depth bound is not a violation', () => {
    const r = check(counter(3, true), { maxDepth: 2 });
    expect(r.properties[1].status).toBe('holds');
  });
});

describe('deadlock', () => {
  it('is reported only when asked, and terminal states are not deadlocks', () => {
    expect(check(philosophers(3)).properties.map((p) => p.name)).toEqual([]);
    expect(check(philosophers(3), { deadlock: true }).properties.map((p) => [p.name, p.status])).toEqual([
      ['no-deadlock', 'violated'],
    ]);
    const r = check(counter(3, true), { deadlock: true });
    expect(r.properties.at(-1)!.status).toBe('holds');
  });
});

describe('coverage and progress', () => {
  it('counts how often each action fired, by name, and lists those that never fired', () => {
    const r = check(counter(3, false));
    expect(r.coverage).toEqual({ inc: 3, reset: 1 });
    expect(r.neverFired).toEqual(['noop']);
  });

  it('calls onProgress with states, queue, depth and states/s', () => {
    const seen: Progress[] = [];
    const r = check(peterson(4), { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    // One poll per 1024 expanded states: 16,404 states -> 16 calls.
    expect(seen.length).toBe(16);
    const last = seen.at(-1)!;
    expect(last.distinctStates).toBeLessThanOrEqual(r.distinctStates);
    expect(last.depth).toBeLessThanOrEqual(r.depth);
    expect(Object.keys(last).sort()).toEqual(['depth', 'distinctStates', 'elapsedMs', 'queue', 'statesPerSecond']);
  });

  it('reports the fingerprint collision probability and the bytes per state', () => {
    const r = check(peterson(5));
    // TLC's optimistic estimate: distinct * (generated - distinct) / 2^64.
    expect(r.collisionProbability).toBeCloseTo((367_095 * (1_279_096 - 367_095)) / 2 ** 64, 15);
    expect(r.bytesPerState).toBeLessThan(16);
  });
});

describe('a model with an invariant on plain objects', () => {
  it('finds the shortest violation even when a longer one is met first in action order', () => {
    // 'long' leads 0 -> 1 -> 2 -> bad; 'short' leads 0 -> bad: BFS returns the one-step trace.
    const model: Model<{ at: string }, string> = {
      name: 'two roads',
      initStates: () => [{ at: 'start' }],
      actions: () => ['long', 'short'],
      nextState: (s, a) => {
        const road: Record<string, Record<string, string>> = {
          start: { long: 'a', short: 'bad' },
          a: { long: 'b' },
          b: { long: 'bad' },
        };
        const to = road[s.at]?.[a];
        return to ? { at: to } : undefined;
      },
      properties: [always('never bad', (s) => s.at !== 'bad')],
    };
    const r = check(model);
    expect(r.properties[0].trace!.steps.map((s) => s.action)).toEqual([null, 'short']);
  });
});
