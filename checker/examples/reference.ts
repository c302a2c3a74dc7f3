/**
 * The anchor models' reference figures, counted by an independent breadth-first reference and
 * by SPIN 6.5.2 with -DNOREDUCE, which agree. "Transitions" counts successor computations that
 * return a state (SPIN prints one more: its initial step). `shortest` is the length of the
 * shortest violation (mutual exclusion) or deadlock, absent where the property holds.
 */
export interface ReferenceFigures {
  model: 'peterson' | 'naive_mutex' | 'philosophers';
  n: number;
  distinctStates: number;
  transitions: number;
  depth: number;
  shortest?: number;
}

export const referenceFigures: readonly ReferenceFigures[] = [
  { model: 'peterson', n: 2, distinctStates: 50, transitions: 90, depth: 11 },
  { model: 'peterson', n: 3, distinctStates: 843, transitions: 2_043, depth: 23 },
  { model: 'peterson', n: 4, distinctStates: 16_404, transitions: 48_488, depth: 38 },
  { model: 'peterson', n: 5, distinctStates: 367_095, transitions: 1_279_095, depth: 56 },
  { model: 'peterson', n: 6, distinctStates: 9_169_110, transitions: 36_793_296, depth: 77 },
  { model: 'naive_mutex', n: 2, distinctStates: 16, transitions: 28, depth: 6, shortest: 4 },
  { model: 'naive_mutex', n: 3, distinctStates: 64, transitions: 156, depth: 9, shortest: 4 },
  { model: 'philosophers', n: 3, distinctStates: 35, transitions: 66, depth: 8, shortest: 3 },
  { model: 'philosophers', n: 5, distinctStates: 392, transitions: 1_250, depth: 16, shortest: 5 },
  { model: 'philosophers', n: 8, distinctStates: 14_158, transitions: 72_336, depth: 28, shortest: 8 },
  { model: 'philosophers', n: 10, distinctStates: 154_450, transitions: 986_430, depth: 36, shortest: 10 },
  { model: 'philosophers', n: 12, distinctStates: 1_684_801, transitions: 12_912_480, depth: 44, shortest: 12 },
];
