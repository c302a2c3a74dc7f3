/**
 * peterson(N): Peterson's filter lock for N processes, one atomic step per transition, exactly
 * as the anchor models describe it (reference counts in test/engine/anchors.test.ts).
 *
 * The state is one flat array, [level[0..N), victim[0..N), pc[0..N), l[0..N)], so a step is a
 * single copy: this model is also the engine's speed benchmark.
 */
import { always, type Model } from '../index.ts';

export type PetersonState = readonly number[];

export function peterson(n: number): Model<PetersonState, number> {
  const LEVEL = 0,
    VICTIM = n,
    PC = 2 * n,
    L = 3 * n;
  const processes = Array.from({ length: n }, (_, i) => i);
  return {
    name: `peterson(${n})`,
    initStates: () => [new Array<number>(4 * n).fill(0)],
    actions: () => processes,
    nextState(s, i) {
      const l = s[L + i];
      switch (s[PC + i]) {
        case 0: {
          const t = s.slice();
          t[L + i] = 1;
          t[PC + i] = 1;
          return t;
        }
        case 1: {
          const t = s.slice();
          if (l < n) {
            t[LEVEL + i] = l;
            t[PC + i] = 2;
          } else t[PC + i] = 4;
          return t;
        }
        case 2: {
          const t = s.slice();
          t[VICTIM + l] = i;
          t[PC + i] = 3;
          return t;
        }
        case 3: {
          let othersBelow = true;
          for (let k = 0; k < n; k++) if (k !== i && s[LEVEL + k] >= l) othersBelow = false;
          if (!othersBelow && s[VICTIM + l] === i) return undefined;
          const t = s.slice();
          t[L + i] = l + 1;
          t[PC + i] = 1;
          return t;
        }
        case 4: {
          const t = s.slice();
          t[PC + i] = 5;
          return t;
        }
        default: {
          const t = s.slice();
          t[LEVEL + i] = 0;
          t[L + i] = 0;
          t[PC + i] = 0;
          return t;
        }
      }
    },
    properties: [
      always('mutual-exclusion', (s) => {
        let inCritical = 0;
        for (let i = 0; i < n; i++) if (s[PC + i] === 4) inCritical++;
        return inCritical <= 1;
      }),
    ],
    presentation: {
      formatAction: (i) => `P${i}`,
      threadOf: (i) => `P${i}`,
    },
    encode(s, out) {
      for (let k = 0; k < s.length; k++) out.int(s[k]);
    },
  };
}
