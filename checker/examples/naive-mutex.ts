/**
 * naive_mutex(N): check every other flag, then set one's own: broken, two processes can both
 * pass the check before either sets its flag. State: [flag[0..N), pc[0..N)].
 */
import { always, type Model } from '../index.ts';

export type NaiveMutexState = readonly number[];

export function naiveMutex(n: number): Model<NaiveMutexState, number> {
  const FLAG = 0, PC = n;
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
    formatAction: (i) => `P${i}`,
    threadOf: (i) => `P${i}`,
    encode(s, out) {
      for (let k = 0; k < s.length; k++) out.int(s[k]);
    },
  };
}
