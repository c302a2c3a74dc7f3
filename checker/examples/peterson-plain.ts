/**
 * peterson(N) written the plain way: the same model as peterson.ts (same counts), as a user
 * would write it without tuning for the engine. The state is an object of arrays of small
 * integers, actions are objects `{ p }`, the guard runs before copying, and there is no
 * `encode` and no presentation. The benchmark's measure of what a plain model costs.
 */
import { always, type Model } from '../index.ts';

export interface PetersonPlainState {
  readonly level: readonly number[];
  readonly victim: readonly number[];
  readonly pc: readonly number[];
  /** The level process i is trying to pass. */
  readonly l: readonly number[];
}

export interface PetersonAction {
  readonly p: number;
}

function set(a: readonly number[], i: number, v: number): number[] {
  const t = a.slice();
  t[i] = v;
  return t;
}

export function petersonPlain(n: number): Model<PetersonPlainState, PetersonAction> {
  const actions = Array.from({ length: n }, (_, p) => ({ p }));
  return {
    name: `peterson-plain(${n})`,
    initStates: () => {
      const zeros = () => new Array<number>(n).fill(0);
      return [{ level: zeros(), victim: zeros(), pc: zeros(), l: zeros() }];
    },
    actions: () => actions,
    nextState(s, { p }) {
      const l = s.l[p];
      switch (s.pc[p]) {
        case 0:
          return { ...s, pc: set(s.pc, p, 1), l: set(s.l, p, 1) };
        case 1:
          return l < n ? { ...s, level: set(s.level, p, l), pc: set(s.pc, p, 2) } : { ...s, pc: set(s.pc, p, 4) };
        case 2:
          return { ...s, victim: set(s.victim, l, p), pc: set(s.pc, p, 3) };
        case 3: {
          let othersBelow = true;
          for (let k = 0; k < n; k++) if (k !== p && s.level[k] >= l) othersBelow = false;
          if (!othersBelow && s.victim[l] === p) return undefined;
          return { ...s, pc: set(s.pc, p, 1), l: set(s.l, p, l + 1) };
        }
        case 4:
          return { ...s, pc: set(s.pc, p, 5) };
        default:
          return { ...s, level: set(s.level, p, 0), pc: set(s.pc, p, 0), l: set(s.l, p, 0) };
      }
    },
    properties: [
      always('mutual-exclusion', (s) => {
        let inCritical = 0;
        for (let i = 0; i < n; i++) if (s.pc[i] === 4) inCritical++;
        return inCritical <= 1;
      }),
    ],
  };
}
