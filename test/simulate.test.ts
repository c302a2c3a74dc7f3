import { describe, expect, it } from 'vitest';
import { naiveMutex, peterson, philosophers } from '../checker/examples/index.ts';
import { always, eventually, sometimes, step, type Model } from '../checker/index.ts';
import { simulate } from '../checker/simulate.ts';

/** Replays a trace's actions from its first state: every state must come back. */
function expectReplays<S, A>(model: Model<S, A>, steps: { action: A | null; state: S }[]): void {
  let state = steps[0].state;
  for (const { action, state: expected } of steps.slice(1)) {
    const next = model.nextState(state, action as A);
    expect(next).toEqual(expected);
    state = next as S;
  }
}

describe('simulate', () => {
  it('finds the planted violation of naive_mutex(3) and shrinks it to the shortest, 4 transitions', () => {
    const model = naiveMutex(3);
    const result = simulate(model, { seed: 42, walks: 1000, maxSteps: 1000 });
    const [mutex] = result.properties;
    expect(mutex.name).toBe('mutual-exclusion');
    expect(mutex.status).toBe('violated');
    expect(mutex.trace?.steps).toHaveLength(5);
    expect(mutex.trace?.steps[0].action).toBeNull();
    expectReplays(model, mutex.trace!.steps);
    expect(model.properties[0].kind === 'always' && model.properties[0].holds(mutex.trace!.steps[4].state)).toBe(false);
    expect(result.seed).toBe(42);
    expect(result.exhaustive).toBe(false);
  });

  it('shrinks a failing walk from the choices it read: the cost does not grow with maxSteps', () => {
    // The first walk of a seed reads the same leading choices whatever its length, so the same
    // failing prefix is shrunk (before the cut, the three cost 574, 176 and 184 shrink walks).
    const runs = [20, 1000, 10_000].map((maxSteps) => simulate(naiveMutex(3), { seed: 42, walks: 100, maxSteps }));
    expect(runs.map((r) => [r.shrinkWalks, r.properties[0].trace?.steps.length])).toEqual([
      [280, 5],
      [280, 5],
      [280, 5],
    ]);
  });

  it('shrinks naive_mutex(3) to 4 transitions with each of seven seeds', () => {
    for (const seed of [1, 2, 3, 7, 99, 123, 1000]) {
      const result = simulate(naiveMutex(3), { seed, walks: 200, maxSteps: 200 });
      expect(result.properties[0].trace?.steps.length, `seed ${seed}`).toBe(5);
    }
  });

  it('finds nothing wrong with peterson(3) in 200 walks of 500 steps', () => {
    const result = simulate(peterson(3), { seed: 7, walks: 200, maxSteps: 500 });
    expect(result.properties.map((p) => [p.name, p.status])).toEqual([['mutual-exclusion', 'holds']]);
    expect(result.walks).toBe(200);
    expect(result.shrinkWalks).toBe(0);
    // No dead end in Peterson's lock, so some walk uses its whole budget of steps.
    expect(result.deepest).toBe(500);
    expect(result.stoppedBy).toBeUndefined();
  });

  it('is reproducible: the same seed gives the same walks and the same trace', () => {
    const a = simulate(naiveMutex(3), { seed: 5, walks: 100, maxSteps: 100 });
    const b = simulate(naiveMutex(3), { seed: 5, walks: 100, maxSteps: 100 });
    expect(b.walks).toBe(a.walks);
    expect(b.shrinkWalks).toBe(a.shrinkWalks);
    expect(b.properties).toEqual(a.properties);
  });

  it("reports philosophers(5)'s deadlock, shrunk to its 5 transitions, when asked", () => {
    const model = philosophers(5);
    const result = simulate(model, { seed: 3, walks: 2000, maxSteps: 200, deadlock: true });
    const deadlock = result.properties.find((p) => p.name === 'no-deadlock');
    expect(deadlock?.status).toBe('violated');
    expect(deadlock?.trace?.steps).toHaveLength(6);
    expectReplays(model, deadlock!.trace!.steps);
  });

  it('marks a sometimes witness satisfied, and a step property violated, each with its own trace', () => {
    // A counter that goes up by 1 or 2 from 0; "reaches 7" is a witness, "never jumps by 2" fails.
    const counter: Model<number, number> = {
      name: 'counter',
      initStates: () => [0],
      actions: () => [1, 2],
      nextState: (s, d) => (s + d <= 20 ? s + d : undefined),
      properties: [
        sometimes('reaches 7', (s) => s === 7),
        step('never jumps by 2', (prev, _d, next) => next - prev === 1),
        always('stays at most 20', (s) => s <= 20),
      ],
    };
    const result = simulate(counter, { seed: 11, walks: 500, maxSteps: 50 });
    const [witness, jump, bound] = result.properties;
    expect(witness.status).toBe('satisfied');
    expect(witness.trace?.steps.at(-1)?.state).toBe(7);
    expect(jump.status).toBe('violated');
    expect(jump.trace?.steps.map((s) => s.state)).toEqual([0, 2]);
    expect(bound.status).toBe('holds');
  });

  it('violates an eventually property through a walk that reaches a dead end before the goal', () => {
    // From 0, either go to 1 and stop there, or go to 2, then 3 (the goal) and stop.
    const fork: Model<number, string> = {
      name: 'fork',
      initStates: () => [0],
      actions: () => ['a', 'b'],
      nextState: (s, a) => (({ '0a': 1, '0b': 2, '2a': 3 }) as Record<string, number>)[`${s}${a}`],
      properties: [eventually('reaches 3', (s) => s === 3), eventually('leaves 0', (s) => s !== 0)],
    };
    const result = simulate(fork, { seed: 4, walks: 100, maxSteps: 10 });
    expect(result.properties[0].status).toBe('violated');
    expect(result.properties[0].trace?.steps.map((s) => s.state)).toEqual([0, 1]);
    expect(result.properties[1].status).toBe('holds');
  });

  it('stops at the time limit and says so', () => {
    const result = simulate(peterson(4), { seed: 1, walks: 1_000_000, maxSteps: 10_000, timeLimitMs: 200 });
    expect(result.stoppedBy).toBe('timeLimit');
    expect(result.walks).toBeLessThan(1_000_000);
  });

  it('rejects a negative budget with the option named', () => {
    expect(() => simulate(peterson(2), { walks: -1 })).toThrow(/options\.walks/);
  });
});
