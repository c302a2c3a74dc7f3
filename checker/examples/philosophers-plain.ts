/**
 * philosophers(N) written the plain way: the same model as philosophers.ts (same counts, same
 * deadlock), as a user would write it without tuning for the engine. The state is an object of
 * arrays of small integers, actions are objects `{ p }`, guards run before copying, and there is
 * no `encode` and no presentation: the engine fingerprints and names everything generically.
 * The benchmark's measure of what a plain model costs.
 */
import type { Model } from '../index.ts';

export interface PhilosophersPlainState {
  /** fork[i]: -1 free, else the philosopher holding it. */
  readonly forks: readonly number[];
  /** pc[i]: 0 thinking, 1 holds left, 2 holds both, 3 eating done, 4 put left back. */
  readonly pc: readonly number[];
}

export interface PhilosopherAction {
  readonly p: number;
}

const FREE = -1;

export function philosophersPlain(n: number): Model<PhilosophersPlainState, PhilosopherAction> {
  const actions = Array.from({ length: n }, (_, p) => ({ p }));
  const step = (
    s: PhilosophersPlainState,
    p: number,
    pc: number,
    fork: number,
    holder: number,
  ): PhilosophersPlainState => {
    const forks = s.forks.slice();
    forks[fork] = holder;
    const pcs = s.pc.slice();
    pcs[p] = pc;
    return { forks, pc: pcs };
  };
  return {
    name: `philosophers-plain(${n})`,
    initStates: () => [{ forks: new Array<number>(n).fill(FREE), pc: new Array<number>(n).fill(0) }],
    actions: () => actions,
    nextState(s, { p }) {
      const left = p,
        right = (p + 1) % n;
      switch (s.pc[p]) {
        case 0:
          return s.forks[left] === FREE ? step(s, p, 1, left, p) : undefined;
        case 1:
          return s.forks[right] === FREE ? step(s, p, 2, right, p) : undefined;
        case 2: {
          const pcs = s.pc.slice();
          pcs[p] = 3;
          return { forks: s.forks, pc: pcs };
        }
        case 3:
          return step(s, p, 4, left, FREE);
        default:
          return step(s, p, 0, right, FREE);
      }
    },
    properties: [],
  };
}
