/**
 * philosophers(N): dining philosophers, left fork first, so all N holding their left fork is a
 * deadlock. State: [fork[0..N) (-1 free, else the holder), pc[0..N)].
 */
import type { Model } from '../index.ts';

export type PhilosophersState = readonly number[];

const FREE = -1;

export function philosophers(n: number): Model<PhilosophersState, number> {
  const FORK = 0,
    PC = n;
  const diners = Array.from({ length: n }, (_, i) => i);
  return {
    name: `philosophers(${n})`,
    initStates: () => [[...new Array<number>(n).fill(FREE), ...new Array<number>(n).fill(0)]],
    actions: () => diners,
    nextState(s, i) {
      const left = FORK + i,
        right = FORK + ((i + 1) % n);
      switch (s[PC + i]) {
        case 0: {
          if (s[left] !== FREE) return undefined;
          const t = s.slice();
          t[left] = i;
          t[PC + i] = 1;
          return t;
        }
        case 1: {
          if (s[right] !== FREE) return undefined;
          const t = s.slice();
          t[right] = i;
          t[PC + i] = 2;
          return t;
        }
        case 2: {
          const t = s.slice();
          t[PC + i] = 3;
          return t;
        }
        case 3: {
          const t = s.slice();
          t[left] = FREE;
          t[PC + i] = 4;
          return t;
        }
        default: {
          const t = s.slice();
          t[right] = FREE;
          t[PC + i] = 0;
          return t;
        }
      }
    },
    properties: [],
    presentation: {
      formatAction: (i) => `philosopher${i}`,
      threadOf: (i) => `philosopher${i}`,
    },
    encode(s, out) {
      for (let k = 0; k < s.length; k++) out.int(s[k]);
    },
  };
}
