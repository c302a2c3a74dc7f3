/**
 * Two designs compared by what they reach (behaviours.ts), with the shortest trace to each of
 * the first fact sets on either side: what `gmemcheck diff` prints and the review's "compared
 * with" sections hold. Plain data, so that review.json carries it as it is.
 */
import type { CheckOptions, Model } from '../model.ts';
import { diffBehaviours, type BehaviourDiff, type FactSet, type NewBehaviours } from './behaviours.ts';
import { shortestTraces, type StepLines } from './traces.ts';
import { reachedViews, type ReachedViews } from './views.ts';

/** Fact sets shown with a trace per side, unless said otherwise. */
export const SHOWN_SETS = 3;

export interface ShownSet extends FactSet {
  /** The actions of the shortest trace to a state holding the set, one line each. */
  readonly trace?: StepLines;
}

export interface SideReport {
  readonly newViews: number;
  readonly factSets: number;
  /** The first fact sets, each with its shortest trace. */
  readonly shown: readonly ShownSet[];
}

/** The behaviour diff's counts, with each side's first fact sets traced. */
export interface DesignComparison extends Omit<BehaviourDiff, 'newInTo' | 'newInFrom'> {
  readonly from: string;
  readonly to: string;
  readonly fromStates: number;
  readonly toStates: number;
  /** Both explorations covered their bounded space: the comparison is exact. */
  readonly complete: boolean;
  /** What `to` reaches that `from` does not. */
  readonly newInTo: SideReport;
  /** What `from` reaches that `to` does not. */
  readonly newInFrom: SideReport;
}

export interface Compared<S, A> {
  readonly design: string;
  readonly model: Model<S, A>;
}

/**
 * `from` and `to` compared; `fromReached` is `from`'s views when the caller has them already
 * (the review compares every design of a spec with the same first design).
 */
export function compareDesigns<S, A>(
  from: Compared<S, A>,
  to: Compared<S, A>,
  options: CheckOptions = {},
  shown = SHOWN_SETS,
  fromReached?: ReachedViews,
  ignored?: (key: string) => boolean,
): DesignComparison {
  const fromViews = fromReached ?? reachedViews(from.model, options);
  const toViews = reachedViews(to.model, options);
  const diff = diffBehaviours(fromViews, toViews, ignored);
  return {
    ...diff,
    from: from.design,
    to: to.design,
    fromStates: fromViews.distinctStates,
    toStates: toViews.distinctStates,
    complete: fromViews.complete && toViews.complete,
    newInTo: side(to.model, diff.newInTo, options, shown),
    newInFrom: side(from.model, diff.newInFrom, options, shown),
  };
}

function side<S, A>(model: Model<S, A>, found: NewBehaviours, options: CheckOptions, shown: number): SideReport {
  const first = found.factSets.slice(0, shown);
  return traced(
    found,
    first,
    shortestTraces(
      model,
      first.map((s) => s.facts),
      options,
    ),
  );
}

function traced(
  found: NewBehaviours,
  first: readonly FactSet[],
  traces: readonly (StepLines | undefined)[],
): SideReport {
  return {
    newViews: found.newViews,
    factSets: found.factSets.length,
    shown: first.map((set, i) => (traces[i] ? { ...set, trace: traces[i] } : set)),
  };
}

/**
 * Each of `tos` compared with `from`, as compareDesigns does one by one, with `from` explored
 * once for its views and once for the traces of every comparison's `from` side (a search that
 * stops when the last is found). `tos` are explored one at a time, each's views dropped once
 * compared.
 */
export function compareWithBaseline<S, A>(
  from: Compared<S, A>,
  tos: readonly Compared<S, A>[],
  options: CheckOptions = {},
  shown = SHOWN_SETS,
): DesignComparison[] {
  if (tos.length === 0) return [];
  const fromViews = reachedViews(from.model, options);
  const halves = tos.map((to) => {
    const toViews = reachedViews(to.model, options);
    const diff = diffBehaviours(fromViews, toViews);
    return {
      to,
      toStates: toViews.distinctStates,
      complete: toViews.complete,
      diff,
      newInTo: side(to.model, diff.newInTo, options, shown),
    };
  });
  const firsts = halves.map((h) => h.diff.newInFrom.factSets.slice(0, shown));
  // One search for the sets of every comparison; a set two comparisons share is searched once.
  const ids = new Map<string, number>();
  const sets: (readonly string[])[] = [];
  for (const set of firsts.flat()) {
    const id = set.facts.join('\n');
    if (!ids.has(id)) {
      ids.set(id, sets.length);
      sets.push(set.facts);
    }
  }
  const traces = shortestTraces(from.model, sets, options);
  return halves.map(({ to, toStates, complete, diff, newInTo }, k) => ({
    ...diff,
    from: from.design,
    to: to.design,
    fromStates: fromViews.distinctStates,
    toStates,
    complete: fromViews.complete && complete,
    newInTo,
    newInFrom: traced(
      diff.newInFrom,
      firsts[k],
      firsts[k].map((set) => traces[ids.get(set.facts.join('\n'))!]),
    ),
  }));
}
