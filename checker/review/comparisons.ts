/**
 * The review's "compared with" section: each design of a spec against the spec's baseline, by
 * the behaviours each reaches (see checker/diff). The baseline is the design the review is told
 * to compare with (`upstream` by default) when the spec checks it, else the spec's first design.
 * Per design, the section says how many views it newly allows and no longer allows, and shows
 * the first new fact set of each side with its shortest trace. In review.json as `comparisons`;
 * review.md and review.html render it after the specs, from the same words (here).
 */
import type { CheckOptions, Model } from '../model.ts';
import { compareWithBaseline, type DesignComparison } from '../diff/compare.ts';
import type { Spec } from '../spec.ts';
import { count, countOf } from '../counts.ts';
import { anchor } from './wording.ts';

export interface ReviewComparison extends DesignComparison {
  readonly spec: string;
  /** `named`: `from` is the design the review compares with; `first`: the spec lacks it, `from` is its first design. */
  readonly baseline: 'named' | 'first';
}

/** Fact sets shown with a trace per side in the review: the first, to keep the section short. */
const REVIEW_SHOWN = 1;

/** The design `spec`'s others are compared with: `named` when the spec checks it, else its first. */
export function baselineOf(spec: Pick<Spec, 'designs'>, named: string): { design: string; baseline: ReviewComparison['baseline'] } {
  return spec.designs.includes(named) ? { design: named, baseline: 'named' } : { design: spec.designs[0], baseline: 'first' };
}

/**
 * `designs` of `spec` (a share of them when the review is sharded) compared with its baseline,
 * in their order; the baseline itself is left out.
 */
export function specComparisons(
  specId: string, spec: Pick<Spec, 'designs'>, designs: readonly string[], named: string,
  model: (design: string) => Model<unknown, unknown>, options: CheckOptions,
): ReviewComparison[] {
  const { design: from, baseline } = baselineOf(spec, named);
  const tos = designs.filter((d) => d !== from).map((design) => ({ design, model: model(design) }));
  const engine = { ...options, workers: undefined };
  return compareWithBaseline({ design: from, model: model(from) }, tos, engine, REVIEW_SHOWN)
    .map((c) => ({ spec: specId, baseline, ...c }));
}

/** The section's title: what the designs are compared with. */
export const comparisonsTitle = (named: string) => `Compared with ${named}`;

export const comparisonsIntro = (named: string) =>
  `Each design against ${named} when its spec checks ${named}, else against the spec's first design (that spec's baseline). ` +
  "A behaviour is the view of a reachable state, its facts in the model's words: a design newly allows the views the baseline never reaches and no longer allows the baseline's views it never reaches. " +
  'Each shows the first of its smallest new fact sets (a fact the other never has; else two facts it never has together; else a whole view) with the shortest trace to it; `gmemcheck diff` lists more.';

/** The comparisons a review holds: with which design, and each comparison in the review's order. */
export interface ReviewComparisons {
  readonly with: string;
  readonly designs: readonly ReviewComparison[];
}

/**
 * `layering / in-place compared with upstream`; when the spec does not check `named`, says that
 * its first design stands in.
 */
export function comparisonHeading(c: ReviewComparison, named: string): string {
  const why = c.baseline === 'first' ? ` (the spec's first design: it does not check ${named})` : '';
  return `${c.spec} / ${c.to} compared with ${c.from}${why}`;
}

/** The heading's GitHub anchor, which review.html uses as the section's id. */
export const comparisonAnchor = (c: ReviewComparison, named: string) => anchor(comparisonHeading(c, named));

/** The table's counts: `12 views (3 fact sets)`, `none`. */
export function sideCount(side: DesignComparison['newInTo']): string {
  return side.newViews === 0 ? 'none' : `${countOf(side.newViews, 'view')} (${countOf(side.factSets, 'fact set')})`;
}

/** The line under a comparison's heading: both explorations' sizes, and whether a limit cut them. */
export function comparisonSizes(c: ReviewComparison): string {
  const partial = c.complete ? '' : ' A limit stopped a search: the comparison is partial.';
  return `${c.to}: ${count(c.toStates)} states, ${countOf(c.toViews, 'view')}; ${c.from}: ${count(c.fromStates)} states, ${countOf(c.fromViews, 'view')}; ` +
    `compared on ${countOf(c.comparedKeys, 'fact key')}.${partial}`;
}

/** The two sides, each with its sentence and its first set (undefined when the side is empty). */
export function comparisonSides(c: ReviewComparison) {
  const newly = c.newInTo.newViews === 0
    ? `${c.to} newly allows nothing: every view it reaches, ${c.from} reaches`
    : `${c.to} newly allows ${sideCount(c.newInTo)} that ${c.from} never reaches`;
  const lost = c.newInFrom.newViews === 0
    ? `${c.to} reaches every view ${c.from} reaches`
    : `${c.to} no longer allows ${sideCount(c.newInFrom)} of ${c.from}'s`;
  return [
    { sentence: newly, first: c.newInTo.shown[0], other: c.from },
    { sentence: lost, first: c.newInFrom.shown[0], other: c.to },
  ];
}
