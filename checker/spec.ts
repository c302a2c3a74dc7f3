/**
 * A spec: one question a reviewer asks, checked on several designs, with the outcome each
 * design is expected to give. Generic: the spec builds its own model per design, so the
 * checker and the CLI never learn what a design is.
 */
import type { CheckOptions, Model, PropertyStatus } from './model.ts';

export type Expectation = PropertyStatus;

export interface Spec<S = any, A = any> {
  /** A short title, the review's section heading. */
  readonly title: string;
  /** The question, in one sentence. */
  readonly question: string;
  /** The bounds, as the reviewer reads them (pages, VMs, threads, operations...). */
  readonly bounds: Readonly<Record<string, number | string | boolean | readonly string[]>>;
  /** The designs to compare, in the review's row order. */
  readonly designs: readonly string[];
  /** The properties reported (the review's columns), by name; each must be one of the model's. */
  readonly properties: readonly string[];
  /** Expected outcome per design and property. */
  readonly expected: Readonly<Record<string, Readonly<Record<string, Expectation>>>>;
  /**
   * Builds the model of one design at the spec's bounds, or at `bounds` (the spec's with some
   * changed, as `gmemcheck check --bound KEY=VALUE` asks) where the spec says it takes them.
   */
  model(design: string, bounds?: Spec['bounds']): Model<S, A>;
  /**
   * model() honours its `bounds` argument. A reviewer then re-checks the same question one page
   * or one thread further from the command line, without copying the spec.
   */
  readonly boundsOverridable?: boolean;
  /** Engine options (maxDepth, deadlock, ...) the spec needs. */
  readonly options?: Omit<CheckOptions, 'onProgress'>;
}

/** Identity with types: `export default defineSpec({...})`. */
export function defineSpec<S, A>(spec: Spec<S, A>): Spec<S, A> {
  return spec;
}
