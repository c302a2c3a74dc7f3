/**
 * The anchor models' reference figures (checker/examples/reference.ts: the table of the anchors'
 * models.md, counted by an independent breadth-first reference and by SPIN 6.5.2 with
 * -DNOREDUCE, which agree). The bench checks both our counts and SPIN's against it.
 *
 * `transitions` counts successor computations that return a state; SPIN prints one more (its
 * initial step). `depth` is the largest BFS level (initial state: level 0).
 */

import { referenceFigures } from '../checker/examples/index.ts';

export type AnchorName = 'peterson' | 'naive_mutex' | 'philosophers';

export interface AnchorReference {
  distinctStates: number;
  transitions: number;
  depth: number;
  /** `holds`, or the length in transitions of the shortest violation / deadlock. */
  outcome: 'holds' | { violatedAt: number } | { deadlockAt: number };
}

/** The reference table of checker/examples/reference.ts, by model and size. */
export const REFERENCE: Readonly<Record<AnchorName, Readonly<Record<number, AnchorReference>>>> = (() => {
  const table: Record<AnchorName, Record<number, AnchorReference>> = {
    peterson: {},
    naive_mutex: {},
    philosophers: {},
  };
  for (const r of referenceFigures) {
    table[r.model][r.n] = {
      distinctStates: r.distinctStates,
      transitions: r.transitions,
      depth: r.depth,
      outcome:
        r.shortest === undefined
          ? 'holds'
          : r.model === 'philosophers'
            ? { deadlockAt: r.shortest }
            : { violatedAt: r.shortest },
    };
  }
  return table;
})();

export function reference(name: AnchorName, n: number): AnchorReference | undefined {
  return REFERENCE[name][n];
}

/**
 * The anchors written the plain way too (checker/examples/*-plain.ts: an object of arrays,
 * action objects, no encode, no presentation), measured beside the tuned ones.
 */
export const PLAIN_TWINS: readonly AnchorName[] = ['peterson', 'philosophers'];

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
