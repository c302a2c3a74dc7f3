/**
 * The anchor models' reference figures, the project's own copy of the table in the anchors'
 * models.md (counted by an independent breadth-first reference and by SPIN 6.5.2 with
 * -DNOREDUCE, which agree). The bench checks both our counts and SPIN's against it.
 *
 * `transitions` counts successor computations that return a state; SPIN prints one more (its
 * initial step). `depth` is the largest BFS level (initial state: level 0).
 */

export type AnchorName = 'peterson' | 'naive_mutex' | 'philosophers';

export interface AnchorReference {
  distinctStates: number;
  transitions: number;
  depth: number;
  /** `holds`, or the length in transitions of the shortest violation / deadlock. */
  outcome: 'holds' | { violatedAt: number } | { deadlockAt: number };
}

export const REFERENCE: Readonly<Record<AnchorName, Readonly<Record<number, AnchorReference>>>> = {
  peterson: {
    2: { distinctStates: 50, transitions: 90, depth: 11, outcome: 'holds' },
    3: { distinctStates: 843, transitions: 2_043, depth: 23, outcome: 'holds' },
    4: { distinctStates: 16_404, transitions: 48_488, depth: 38, outcome: 'holds' },
    5: { distinctStates: 367_095, transitions: 1_279_095, depth: 56, outcome: 'holds' },
    6: { distinctStates: 9_169_110, transitions: 36_793_296, depth: 77, outcome: 'holds' },
  },
  naive_mutex: {
    2: { distinctStates: 16, transitions: 28, depth: 6, outcome: { violatedAt: 4 } },
    3: { distinctStates: 64, transitions: 156, depth: 9, outcome: { violatedAt: 4 } },
  },
  philosophers: {
    3: { distinctStates: 35, transitions: 66, depth: 8, outcome: { deadlockAt: 3 } },
    5: { distinctStates: 392, transitions: 1_250, depth: 16, outcome: { deadlockAt: 5 } },
    8: { distinctStates: 14_158, transitions: 72_336, depth: 28, outcome: { deadlockAt: 8 } },
    10: { distinctStates: 154_450, transitions: 986_430, depth: 36, outcome: { deadlockAt: 10 } },
    12: { distinctStates: 1_684_801, transitions: 12_912_480, depth: 44, outcome: { deadlockAt: 12 } },
  },
};

export function reference(name: AnchorName, n: number): AnchorReference | undefined {
  return REFERENCE[name][n];
}

/** The anchors the bench measures: the full set, and the smaller one of `--quick`. */
export const BENCH_ANCHORS: readonly { name: AnchorName; n: number }[] = [
  { name: 'peterson', n: 6 },
  { name: 'philosophers', n: 12 },
];
export const QUICK_ANCHORS: readonly { name: AnchorName; n: number }[] = [
  { name: 'peterson', n: 5 },
  { name: 'philosophers', n: 10 },
];

/** The Promela twin of an anchor, under bench/promela/ (written by gen_promela.py). */
export function promelaFile(name: AnchorName, n: number): string {
  return `${name}${n}.pml`;
}

/**
 * SPIN's figures on this project's kind of machine, as models.md quotes them (one core, BFS, no
 * partial order reduction). Only for context when SPIN cannot be installed: a ratio is always
 * computed against SPIN run in the same session, never against these.
 */
export const SPIN_QUOTED: Readonly<Record<string, { seconds: number; statesPerSecond: number }>> = {
  'philosophers(12)': { seconds: 6, statesPerSecond: 280_000 },
  'peterson(6)': { seconds: 19, statesPerSecond: 490_000 },
};

export function anchorLabel(name: AnchorName, n: number): string {
  return `${name}(${n})`;
}
