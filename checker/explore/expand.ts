/**
 * The expansion of one state, written once for `check` (one thread) and for the workers of
 * `checkParallel`, in TLC's order: boundary, then per action: successor, coverage, step
 * properties on the edge (new target or not), fingerprint and insert, invariants and witnesses
 * on new states only, the graph for eventually properties; last, the deadlock check when nothing
 * was enabled.
 *
 * What differs between the strategies is given: where seen states, counts, parent links and the
 * next level live (StateStore), where the graph is kept (GraphSink), and where a decided
 * property goes (Decisions). A state is known by its reference: the store's number for it.
 */
import type { Model } from '../model.ts';
import { Coverage } from './coverage.ts';
import { goalBits } from './eventually.ts';
import type { Fingerprinter } from './fingerprinter.ts';
import type { Level } from './level.ts';
import { POLL_EVERY } from './limits.ts';
import { NOT_NEW } from './state-graph.ts';

/** The parent given to `admit` for an initial state. */
export const ROOT = -1;
/** `admit`'s answer when the state would pass maxStates: it is not taken, the run stops. */
export const FULL = -1;

export interface StateStore<S> {
  /** Inserts a fingerprint into the seen-set: true when it was not there. */
  add(hi: number, lo: number): boolean;
  /**
   * Takes a new state: counts it, links it to `parent` (ROOT for an initial state, `action` then
   * being its index among the initial states), queues it for the next level. Its reference, or
   * FULL when maxStates states are already counted.
   */
  admit(state: S, parent: number, action: number): number;
  /** The state `ref` was expanded (or left unexpanded, outside the boundary). */
  expanded(ref: number): void;
}

/** The graph for eventually properties (state-graph.ts, parallel-graph.ts). */
export interface GraphSink {
  readonly dropped: boolean;
  addState(ref: number, hi: number, lo: number, goals: number): void;
  beginExpansion(ref: number): void;
  /**
   * An edge of the state whose expansion began last, to the state of fingerprint (hi, lo);
   * `target`: that state's reference when this edge found it new (NOT_NEW: seen before), so
   * that a sink numbering states as the store does need not look it up.
   */
  addEdge(hi: number, lo: number, action: number, target: number): void;
}

export interface Decisions {
  /**
   * Property k (k = the number of properties: the deadlock check) is decided: on the initial
   * state `ref` (no action), on a new state reached from `ref` by its action `action`, or on the
   * edge `action` of `ref` (step properties, and deadlock with no action at `ref`).
   */
  decide(k: number, ref: number, action: number | undefined): void;
  /** Whether this thread decides k first (workers share the decision); absent: always. */
  claim?(k: number): boolean;
}

/** The graph for eventually properties and their predicates (eventuallyGoals: bit k of a state's goals, the k-th). */
export interface EventuallyGraph<S> {
  readonly sink: GraphSink;
  readonly goals: readonly ((s: S) => boolean)[];
}

/** Why a level's expansion ended early (`polled`: the poll said stop). */
export type LevelEnd = 'done' | 'full' | 'polled' | 'violation';

/** `canChange` absent: the predicate is evaluated on every new state. */
type StateCheck<S, A> = {
  readonly index: number;
  holds(state: S): boolean;
  readonly canChange?: (action: A) => boolean;
};
type StepCheck<S, A> = {
  readonly index: number;
  holds(prev: S, action: A, next: S): boolean;
  readonly canChange?: (action: A) => boolean;
};

export class Expander<S, A> {
  /** Successor computations that returned a state. */
  transitions = 0;
  /** The most actions enabled in one state. */
  maxBranch = 0;
  /** An always or step property, or the deadlock check, was violated. */
  violated = false;
  readonly coverage: Coverage<S, A>;

  private invariants: StateCheck<S, A>[] = [];
  private witnesses: StateCheck<S, A>[] = [];
  private steps: StepCheck<S, A>[] = [];
  private readonly deadlockIndex: number;
  private deadlockOpen: boolean;
  private readonly graph: GraphSink | undefined;
  private readonly goals: readonly ((s: S) => boolean)[];
  private sincePoll = 0;

  constructor(
    private readonly model: Model<S, A>,
    private readonly fingerprint: Fingerprinter<S>,
    private readonly store: StateStore<S>,
    private readonly decisions: Decisions,
    options: { deadlock?: boolean; eventually?: EventuallyGraph<S> },
  ) {
    this.coverage = new Coverage(model);
    model.properties.forEach((p, index) => {
      if (p.kind === 'always') this.invariants.push({ index, holds: p.holds, canChange: p.canChange });
      else if (p.kind === 'sometimes') this.witnesses.push({ index, holds: p.holds, canChange: p.canChange });
      else if (p.kind === 'step') this.steps.push({ index, holds: p.holds, canChange: p.canChange });
    });
    this.deadlockIndex = model.properties.length;
    this.deadlockOpen = options.deadlock ?? false;
    this.graph = options.eventually?.sink;
    this.goals = options.eventually?.goals ?? [];
  }

  /** Inserts the initial states, in the model's order; false when maxStates stopped it. */
  addInitialStates(): boolean {
    const { fingerprintOf, hasher } = this.fingerprint;
    let i = 0;
    for (const init of this.model.initStates()) {
      const index = i++;
      fingerprintOf(init);
      const hi = hasher.hi,
        lo = hasher.lo;
      if (!this.store.add(hi, lo)) continue;
      const ref = this.store.admit(init, ROOT, index);
      if (ref === FULL) return false;
      this.recordState(init, ref, hi, lo);
      this.checkNewState(init, ref, undefined, undefined);
    }
    return true;
  }

  /**
   * Expands `states` in order (state i has the reference refOf(i)), taking each once. Every POLL_EVERY expansions `poll` is told how many states of the level are left,
   * and may stop the run. With `stopAtViolation`, a violation stops the level while states of it
   * are left (at the end of a level, `beforeLevel` decides).
   */
  expandLevel(
    states: Level<S>,
    refOf: (i: number) => number,
    poll: (left: number) => boolean,
    stopAtViolation: boolean,
  ): LevelEnd {
    for (let i = 0; i < states.length; i++) {
      const state = states.take(i);
      if (!this.expand(state, refOf(i))) return 'full';
      const left = states.length - i - 1;
      if (stopAtViolation && this.violated && left > 0) return 'violation';
      if (++this.sincePoll === POLL_EVERY) {
        this.sincePoll = 0;
        if (poll(left)) return 'polled';
      }
    }
    return 'done';
  }

  /** Closes the properties decided elsewhere (by another worker). */
  closeDecided(decided: (k: number) => boolean): void {
    this.invariants = this.invariants.filter((p) => !decided(p.index));
    this.witnesses = this.witnesses.filter((p) => !decided(p.index));
    this.steps = this.steps.filter((p) => !decided(p.index));
    if (decided(this.deadlockIndex)) this.deadlockOpen = false;
  }

  /** Expands one state; false when maxStates stopped the run. */
  private expand(state: S, ref: number): boolean {
    const { model, store, graph } = this;
    if (model.withinBoundary && !model.withinBoundary(state)) {
      store.expanded(ref);
      return true;
    }
    const { fingerprintOf, hasher } = this.fingerprint;
    const coverage = this.coverage;
    graph?.beginExpansion(ref);
    let enabled = 0;
    let actionIndex = 0;
    for (const action of model.actions(state)) {
      const ai = actionIndex++;
      const succ = model.nextState(state, action);
      coverage.tried(ai, action, succ !== undefined);
      if (succ === undefined) continue;
      enabled++;
      const steps = this.steps;
      for (let k = 0; k < steps.length; k++) {
        const p = steps[k];
        if (p.canChange && !p.canChange(action)) continue;
        if (!p.holds(state, action, succ)) this.decide(p.index, ref, ai);
      }
      fingerprintOf(succ);
      const hi = hasher.hi,
        lo = hasher.lo;
      let target = NOT_NEW;
      if (store.add(hi, lo)) {
        const child = store.admit(succ, ref, ai);
        if (child === FULL) {
          this.transitions += enabled;
          store.expanded(ref);
          return false;
        }
        this.recordState(succ, child, hi, lo);
        this.checkNewState(succ, ref, ai, action);
        target = child;
      }
      graph?.addEdge(hi, lo, ai, target);
    }
    this.transitions += enabled;
    if (enabled > this.maxBranch) this.maxBranch = enabled;
    store.expanded(ref);
    if (enabled === 0 && this.deadlockOpen && !model.terminal?.(state)) this.decide(this.deadlockIndex, ref, undefined);
    return true;
  }

  private recordState(state: S, ref: number, hi: number, lo: number): void {
    const graph = this.graph;
    // Once the graph is dropped, no predicate is worth evaluating.
    if (graph && !graph.dropped) graph.addState(ref, hi, lo, goalBits(this.goals, state));
  }

  /**
   * Invariants and witnesses on a new state (see Decisions.decide for `ref` and `action`), reached
   * by `taken` (undefined: an initial state). A property still open held (a witness: was missed)
   * in every state found so far, the parent among them; where `canChange` says `taken` keeps its
   * value, the new state's is the parent's and the predicate is skipped. A first violation is
   * therefore always found on a state its property is evaluated on: the same state, the same trace.
   */
  private checkNewState(state: S, ref: number, action: number | undefined, taken: A | undefined): void {
    const invariants = this.invariants;
    for (let k = 0; k < invariants.length; k++) {
      const p = invariants[k];
      if (taken !== undefined && p.canChange && !p.canChange(taken)) continue;
      if (!p.holds(state)) this.decide(p.index, ref, action);
    }
    const witnesses = this.witnesses;
    for (let k = 0; k < witnesses.length; k++) {
      const p = witnesses[k];
      if (taken !== undefined && p.canChange && !p.canChange(taken)) continue;
      if (p.holds(state)) this.decide(p.index, ref, action);
    }
  }

  /**
   * Closes property k here (the loop that found it goes on over its own copy of the open list),
   * and reports it when this thread is the first to decide it. */
  private decide(k: number, ref: number, action: number | undefined): void {
    const kind = k === this.deadlockIndex ? 'deadlock' : this.model.properties[k].kind;
    if (kind === 'always') this.invariants = this.invariants.filter((p) => p.index !== k);
    else if (kind === 'sometimes') this.witnesses = this.witnesses.filter((p) => p.index !== k);
    else if (kind === 'step') this.steps = this.steps.filter((p) => p.index !== k);
    else this.deadlockOpen = false;
    if (this.decisions.claim && !this.decisions.claim(k)) return;
    if (kind !== 'sometimes') this.violated = true;
    this.decisions.decide(k, ref, action);
  }
}
