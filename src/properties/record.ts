/**
 * A property of the guest_memfd model as one record: its name, its kind, its predicate, why the
 * kernel needs it, where the kernel enforces it, and the steps that can change its value.
 */
import type { GmemState, OpKind } from '../state.ts';
import type { Action } from '../ops/common.ts';
import type { Ctx, Effects } from '../kernel/context.ts';

/**
 * Steps by operation: `{ convert: ['kvm_gmem_set_attributes'] }`. A start counts as its
 * operation's first step (it runs it).
 */
export type StepSet = Readonly<Partial<Record<OpKind, readonly string[]>>>;

interface Common {
  readonly name: string;
  /** Why the kernel needs it, in one sentence. */
  readonly why: string;
  /** The kernel code that enforces it (repo torvalds/linux unless said otherwise). */
  readonly where: string;
  /**
   * The steps across which the property's value can change: a state predicate's value differs
   * between the states before and after only on these steps; a step property can fail only on
   * them. 'any': every step can. Checked over random reachable transitions (properties.test.ts).
   */
  readonly changedBy: StepSet | 'any';
  /**
   * A design rule: it judges which code makes a call (the thread's layering), so whether it holds
   * is the design's choice of call path, never an interleaving's; one operation alone breaks it
   * or nothing does. Listed as such in src/README.md and in the review's property notes.
   */
  readonly designRule?: true;
}

/** Holds in every reachable state; `violation` says why it does not (null: it holds). */
export interface StateProperty extends Common {
  readonly kind: 'always';
  violation(s: GmemState, ctx: Ctx): string | null;
}

/**
 * Holds on every transition; `violation` reads the states before and after the step and its
 * effects (null: it holds).
 */
export interface StepProperty extends Common {
  readonly kind: 'step';
  violation(prev: GmemState, a: Action, fx: Effects, ctx: Ctx, next: GmemState): string | null;
}

/** Every path reaches a state where `reached` holds (the model passes its quiescence test). */
export interface LivenessProperty extends Common {
  readonly kind: 'eventually';
  reached(s: GmemState, quiescent: (s: GmemState) => boolean): boolean;
}

/** A witness: some reachable state satisfies `reached` (the race it names can happen). */
export interface Witness extends Common {
  readonly kind: 'sometimes';
  reached(s: GmemState): boolean;
}

export type GmemProperty = StateProperty | StepProperty | LivenessProperty | Witness;

const filters = new WeakMap<GmemProperty, (a: Pick<Action, 'op' | 'step'>) => boolean>();

/**
 * The steps that can change `p`, by its record, as a predicate built once per record (the steps
 * of each operation in a Set: the engine asks it for every property on every new state);
 * undefined where the record says 'any'.
 */
export function changeFilter(p: GmemProperty): ((a: Pick<Action, 'op' | 'step'>) => boolean) | undefined {
  if (p.changedBy === 'any') return undefined;
  let f = filters.get(p);
  if (!f) {
    const byOp = new Map<string, ReadonlySet<string>>();
    for (const [op, steps] of Object.entries(p.changedBy)) byOp.set(op, new Set(steps));
    f = (a) => byOp.get(a.op)?.has(a.step) ?? false;
    filters.set(p, f);
  }
  return f;
}

/** Can `a` change the value of `p`, by its record? */
export function canChange(p: GmemProperty, a: Pick<Action, 'op' | 'step'>): boolean {
  const f = changeFilter(p);
  return f === undefined || f(a);
}
