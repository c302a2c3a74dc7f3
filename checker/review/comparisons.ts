/**
 * The review's "compared with" sections: each design of a spec against the spec's first design
 * (upstream, in the guest_memfd specs), by the behaviours each reaches (see checker/diff). In
 * review.json as `comparisons`, in review.md as a section after the specs.
 */
import type { CheckOptions, Model } from '../model.ts';
import { compareDesigns, type DesignComparison } from '../diff/compare.ts';
import { renderComparisonMarkdown } from '../diff/render.ts';
import type { Spec } from '../spec.ts';
import { reachedViews, type ReachedViews } from '../diff/views.ts';

export interface ReviewComparison extends DesignComparison {
  readonly spec: string;
}

/** Fact sets shown with a trace per side in the review: the first, to keep the section short. */
const REVIEW_SHOWN = 1;

/** The design the others are compared with: the spec's first. */
export const baselineOf = (spec: Spec): string => spec.designs[0];

/**
 * `design` of `spec` compared with the baseline; undefined for the baseline itself. `baselines`
 * keeps each spec's baseline views for its other designs.
 */
export function reviewComparison(
  specId: string, spec: Spec, design: string, model: (design: string) => Model<unknown, unknown>, options: CheckOptions,
  baselines: Map<string, ReachedViews> = new Map(),
): ReviewComparison | undefined {
  const baseline = baselineOf(spec);
  if (design === baseline) return undefined;
  const engine = { ...options, workers: undefined };
  const from = { design: baseline, model: model(baseline) };
  let reached = baselines.get(specId);
  if (!reached) baselines.set(specId, (reached = reachedViews(from.model, engine)));
  return { spec: specId, ...compareDesigns(from, { design, model: model(design) }, engine, REVIEW_SHOWN, reached) };
}

/** The Markdown section: one subsection per spec and design, in the review's order. */
export function renderComparisonsMarkdown(comparisons: readonly ReviewComparison[]): string {
  if (comparisons.length === 0) return '';
  const lines = [
    '## Compared with the first design', '',
    "Per spec, each design against the spec's first design, by the behaviours each reaches: a behaviour is the view of a reachable state (its facts in the model's words). " +
    'Each side lists its new fact sets (a fact the other design never has; else two facts it never has together; else a whole view) and the shortest trace to the first (`gmemcheck diff` lists more).', '',
  ];
  for (const c of comparisons) lines.push(`### ${c.spec}: ${c.to} compared with ${c.from}`, '', renderComparisonMarkdown(c));
  return `${lines.join('\n').trimEnd()}\n`;
}
