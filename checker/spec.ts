/**
 * A spec: one question a reviewer asks, checked on several designs, with the outcome each
 * design is expected to give. Generic: the spec builds its own model per design, so the
 * checker and the CLI never learn what a design is.
 */
import type { CheckOptions, Model, PropertyStatus } from './model.ts';

export type Expectation = PropertyStatus;

/** A bound's value: plain data, nested to any depth (`ops: { fault: 2 }`). */
export type BoundValue =
  number | string | boolean | readonly BoundValue[] | { readonly [key: string]: BoundValue | undefined };

/** Bounds by name; a bound left `undefined` is one the model fills with its default. */
export type SpecBounds = { readonly [key: string]: BoundValue | undefined };

/**
 * `B` is the spec's own type of bounds (a model's input type, say). Bounds from the command
 * line (`--bound KEY=VALUE`) reach `model()` as the same plain data, checked by nothing but the
 * model: it refuses what it cannot build, with one line that says why.
 */
// A spec list holds specs of different models: their state and action types default to `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Spec<S = any, A = any, B extends SpecBounds = SpecBounds> {
  /** A short title, the review's section heading. */
  readonly title: string;
  /** The question, in one sentence. */
  readonly question: string;
  /** The bounds, as the reviewer reads them (pages, VMs, threads, operations...). */
  readonly bounds: B;
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
  model(design: string, bounds?: B): Model<S, A>;
  /**
   * model() honours its `bounds` argument. A reviewer then re-checks the same question one page
   * or one thread further from the command line, without copying the spec.
   */
  readonly boundsOverridable?: boolean;
  /** Engine options (maxDepth, deadlock, ...) the spec needs. */
  readonly options?: Omit<CheckOptions, 'onProgress'>;
}

/** Identity with types: `export default defineSpec({...})`. */
export function defineSpec<S, A, B extends SpecBounds = SpecBounds>(spec: Spec<S, A, B>): Spec<S, A, B> {
  return spec;
}
