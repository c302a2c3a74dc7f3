/**
 * gmemSpec: a spec over the guest_memfd model, where every design is checked at the same bounds.
 * Specs name designs by their key in `designs` (src/design.ts).
 */
import { defineSpec, type Expectation, type Spec } from '../checker/index.ts';
import type { BoundsInput } from './bounds.ts';
import { designs } from './design.ts';
import { propertyNamed } from './properties/index.ts';
import { gmemModel } from './model.ts';
import type { GmemState } from './state.ts';
import type { Action } from './ops/common.ts';

export interface GmemSpecInput {
  title: string;
  question: string;
  bounds: BoundsInput;
  designs: readonly string[];
  properties: readonly string[];
  /**
   * The outcomes that differ from the default, per design: by default every invariant, step
   * property, liveness property and the deadlock check holds and every witness is satisfied.
   */
  unlike: Readonly<Record<string, Readonly<Record<string, Expectation>>>>;
  /** Count states up to a renaming of thread slots (default true: same verdicts, about half the states). */
  symmetry?: boolean;
  /** Engine options; deadlock is on unless the spec says otherwise. */
  options?: Spec['options'];
}

export function gmemSpec(input: GmemSpecInput): Spec<GmemState, Action, BoundsInput> {
  for (const name of [...input.designs, ...Object.keys(input.unlike)]) {
    if (!designs[name] || !input.designs.includes(name)) {
      throw new RangeError(`gmemSpec: "${name}" is not a design of this spec (designs are in src/design.ts)`);
    }
  }
  return defineSpec<GmemState, Action, BoundsInput>({
    title: input.title,
    question: input.question,
    bounds: input.bounds,
    designs: input.designs,
    properties: input.properties,
    expected: Object.fromEntries(
      input.designs.map((d) => [
        d,
        Object.fromEntries(
          input.properties.map((p) => [
            p,
            input.unlike[d]?.[p] ?? (propertyNamed(p)?.kind === 'sometimes' ? 'satisfied' : 'holds'),
          ]),
        ),
      ]),
    ),
    options: { deadlock: true, ...input.options },
    boundsOverridable: true,
    model: (design, bounds) =>
      gmemModel({
        design: designs[design],
        bounds: bounds ?? input.bounds,
        name: `guest_memfd (${design})`,
        symmetry: input.symmetry ?? true,
      }),
  });
}
