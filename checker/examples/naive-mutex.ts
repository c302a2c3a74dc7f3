/**
 * naive_mutex(N): check every other flag, then set one's own: broken, two processes can both
 * pass the check before either sets its flag. State: [flag[0..N), pc[0..N)].
 */
import { always, type Model } from '../index.ts';

export type NaiveMutexState = readonly number[];

/**
 * With `symmetry`, processes are interchangeable: the canonical representative sorts the
 * (flag, pc) pairs, so a state stands for every permutation of its processes. Since the flag
 * is set exactly at pc 2 and 3, a state is a vector of pcs in 0..3 and all 4^N are reachable;
 * up to symmetry they are the multisets of N pcs: C(N + 3, 3).
 */
export function naiveMutex(n: number, options: { symmetry?: boolean } = {}): Model<NaiveMutexState, number> {
  const FLAG = 0,
    PC = n;
  const processes = Array.from({ length: n }, (_, i) => i);
  return {
    name: `naive_mutex(${n})`,
    initStates: () => [new Array<number>(2 * n).fill(0)],
    actions: () => processes,
    nextState(s, i) {
      const t = s.slice();
      switch (s[PC + i]) {
        case 0:
          for (let k = 0; k < n; k++) if (k !== i && s[FLAG + k] !== 0) return undefined;
          t[PC + i] = 1;
          return t;
        case 1:
          t[FLAG + i] = 1;
          t[PC + i] = 2;
          return t;
        case 2:
          t[PC + i] = 3;
          return t;
        default:
          t[FLAG + i] = 0;
          t[PC + i] = 0;
          return t;
      }
    },
    properties: [
      always('mutual-exclusion', (s) => {
        let inCritical = 0;
        for (let i = 0; i < n; i++) if (s[PC + i] === 2) inCritical++;
        return inCritical <= 1;
      }),
    ],
    ...(options.symmetry
      ? {
          canonicalize(s: NaiveMutexState): NaiveMutexState {
            const pairs = processes.map((i) => [s[FLAG + i], s[PC + i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            return [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])];
          },
        }
      : {}),
    presentation: {
      formatAction: (i) => `P${i}`,
      threadOf: (i) => `P${i}`,
    },
    encode(s, out) {
      for (let k = 0; k < s.length; k++) out.int(s[k]);
    },
  };
}
