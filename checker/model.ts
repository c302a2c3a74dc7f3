/**
 * The checker's public contract: what a model is, what a property is, what a run returns.
 * See README "The checker as a library". Everything here is generic: the engine knows nothing
 * of guest_memfd.
 */

/**
 * Where a model writes its canonical encoding. Each call feeds the 64-bit fingerprint
 * directly (no buffer, no string is built), so a model's `encode` costs only its own reads.
 */
export interface Encoder {
  /** A 32-bit integer (values beyond are truncated to their low 32 bits; use `number` for those). */
  int(value: number): void;
  /** Any number, integral or not, exactly. */
  number(value: number): void;
  bool(value: boolean): void;
  str(value: string): void;
  /** Any plain value, through the generic canonical encoding (key / Map / Set order ignored). */
  value(value: unknown): void;
}

/**
 * What the engine needs of a model: its states, its actions, how an action leads from one
 * state to the next, and the properties to check. How the model reads in reports is apart,
 * in `presentation`.
 */
export interface Model<S, A> {
  readonly name: string;
  /** Every initial state, in a deterministic order. */
  initStates(): Iterable<S>;
  /** The actions to try in `state` (a superset of the enabled ones is fine), in a deterministic order. */
  actions(state: S): Iterable<A>;
  /** The successor of `state` under `action`, or undefined where the action is not enabled. */
  nextState(state: S, action: A): S | undefined;
  readonly properties: readonly Property<S, A>[];
  /** States outside the boundary are kept and checked, but not expanded. */
  withinBoundary?(state: S): boolean;
  /** States where the run is meant to stop: no successor here is not a deadlock. */
  terminal?(state: S): boolean;
  /** A canonical representative for symmetry reduction. */
  canonicalize?(state: S): S;
  /** A fast canonical encoding, used instead of the generic one. Equal states must encode equally. */
  encode?(state: S, out: Encoder): void;
  /** How the model reads in traces and reviews; without it, reports show raw actions and states. */
  readonly presentation?: Presentation<S, A>;
}

/**
 * How a model presents itself to a reader. Every member is optional and only reports read
 * them, except `actionName`, which names the engine's coverage counts.
 */
export interface Presentation<S, A> {
  /** How an action reads in a trace. Default: `operation: step` from `stepOf`, else compact JSON. */
  formatAction?(action: A): string;
  /**
   * The action's name for coverage. Default: the formatted action up to its first argument.
   * Given, it saves formatting every transition.
   */
  actionName?(action: A): string;
  /**
   * The operation an action belongs to and the step of it that the action runs. Where some
   * thread runs two steps of one operation in a row, reports name each operation once, where
   * its thread starts it, and write the steps alone.
   */
  stepOf?(action: A): ActionStep;
  /** Which thread took the action (`CPU0`, `CPU1`, ...): the column of a race diagram. */
  threadOf?(action: A): string;
  /** Which subsystem acted (userspace, guest_memfd, KVM, IOMMU, arch): a Mermaid participant. */
  actorOf?(action: A): string;
  /**
   * The sentence that says why `property` fails in `state` (for a step property, on the
   * transition prev --action--> state), e.g. "gfn 0x1 is shared, yet vm0 maps it private";
   * undefined where the model has nothing to add to the generic sentence.
   */
  explain?(property: string, state: S, prev?: S, action?: A): string | undefined;
  /**
   * The state as a reviewer names its parts, for the text and Mermaid reports, which diff the
   * views of successive states (only the facts whose value changed; a fact missing on one side
   * reads `none`) and list the initial state's facts. JSON and ITF keep the raw states: those
   * must replay.
   *
   * Why: a state is laid out for the engine (arrays indexed by slot, -1 for none, ghost
   * counters), so its raw diff reads `pfns[0].refs: 0 -> 1`; a reviewer of a design thinks in
   * the design's objects.
   *
   * Keys: unique, stable for the same object across states (the diff matches them), in the
   * order a reader wants them. Values should not contain ` -> ` (the diff's arrow). Leave out
   * what is only bookkeeping unless a reader needs it, then phrase it as the event it records
   * (`convert: -EAGAIN`).
   */
  view?(state: S): readonly Fact[];
  /** A short description of the model's configuration ("bounds: 2 pages, 1 VM"). */
  describe?(): string;
  /**
   * What the deadlock check (`no-deadlock`) means for this model, as a property's `why` /
   * `where` would say it. The check is the engine's, so it cannot travel with a property; a
   * model whose locks are state knows which lock order it guards.
   */
  readonly deadlockDoc?: PropertyDoc;
}

/** An action as one step of an operation: `vm0 vCPU fault gfn 0x1` runs `kvm_gmem_get_pfn(0x1)`. */
export interface ActionStep {
  readonly operation: string;
  readonly step: string;
}

/**
 * One fact of a view: `pfn 0x10` reads `gmem index 0x0, 4K folio`. A fact with a `parent` is a
 * detail of the fact keyed so (`CPU0.mmu_seq` of `CPU0`): when the parent changes in a step,
 * details that vanish with it go unsaid.
 */
export interface Fact {
  readonly key: string;
  readonly value: string;
  readonly parent?: string;
}

export type PropertyKind = 'always' | 'sometimes' | 'eventually' | 'step';

/**
 * What a property's reader needs besides its name: `why`, one sentence saying what goes wrong
 * when it breaks; `where`, the code that enforces it. Both optional; the engine never reads them.
 *
 * Why on the property itself: only the model knows them (the engine cannot), and a table kept
 * beside the model, by name, drifts from it unseen. Carried by the Property value, they travel
 * wherever the property goes: review.json, review.md and review.html list them under each
 * spec's matrix, `gmemcheck list` prints the why. A model that documents nothing renders as
 * before.
 */
export interface PropertyDoc {
  readonly why?: string;
  readonly where?: string;
}

export type Property<S, A> = PropertyDoc &
  /** Invariant: violated by the first reachable state where it is false. */
  (
    | { readonly kind: 'always'; readonly name: string; holds(state: S): boolean; canChange?(action: A): boolean }
    /** Must be reachable: satisfied by the first reachable state where it is true (a witness). */
    | { readonly kind: 'sometimes'; readonly name: string; holds(state: S): boolean; canChange?(action: A): boolean }
    /** On every path, before it ends (terminal state or cycle), the predicate holds somewhere. */
    | { readonly kind: 'eventually'; readonly name: string; holds(state: S): boolean }
    /**
     * Checked on every transition, also those that lead to a state already seen; where
     * `canChange(action)` says no, the transition cannot break it and is not asked.
     */
    | {
        readonly kind: 'step';
        readonly name: string;
        holds(prev: S, action: A, next: S): boolean;
        canChange?(action: A): boolean;
      }
  );

/** Only the doc fields given: an undocumented property is a plain object with no doc keys. */
function documented<P extends Property<unknown, unknown>>(property: P, doc: PropertyDoc | undefined): P {
  if (doc?.why !== undefined) (property as { why?: string }).why = doc.why;
  if (doc?.where !== undefined) (property as { where?: string }).where = doc.where;
  return property;
}

/**
 * `canChange(action)`: whether the predicate's value can differ between a state and its successor
 * by `action`. Where it says no, the engine may skip the predicate on a new state and take the
 * parent's value: the parent held an open invariant (or missed an open witness), since a state is
 * checked when first found and a decided property is checked no more. Initial states are checked
 * in full. A `canChange` that says no where the value can change hides violations: it must be sound.
 */
export function always<S, A = unknown>(
  name: string,
  holds: (state: S) => boolean,
  doc?: PropertyDoc,
  canChange?: (action: A) => boolean,
): Property<S, A> {
  return documented({ kind: 'always', name, holds, ...(canChange ? { canChange } : {}) }, doc);
}
export function sometimes<S, A = unknown>(
  name: string,
  holds: (state: S) => boolean,
  doc?: PropertyDoc,
  canChange?: (action: A) => boolean,
): Property<S, A> {
  return documented({ kind: 'sometimes', name, holds, ...(canChange ? { canChange } : {}) }, doc);
}
export function eventually<S, A = unknown>(
  name: string,
  holds: (state: S) => boolean,
  doc?: PropertyDoc,
): Property<S, A> {
  return documented({ kind: 'eventually', name, holds }, doc);
}
export function step<S, A>(
  name: string,
  holds: (prev: S, action: A, next: S) => boolean,
  doc?: PropertyDoc,
  canChange?: (action: A) => boolean,
): Property<S, A> {
  return documented({ kind: 'step', name, holds, ...(canChange ? { canChange } : {}) }, doc);
}

export interface Progress {
  distinctStates: number;
  /** States discovered but not yet expanded. */
  queue: number;
  /** The BFS level being expanded. */
  depth: number;
  statesPerSecond: number;
  elapsedMs: number;
}

export interface CheckOptions {
  /** States at this depth are checked, not expanded. */
  maxDepth?: number;
  /** Stop after this many distinct states (result incomplete). */
  maxStates?: number;
  /** Stop after this long (result incomplete). */
  timeLimitMs?: number;
  /** Report a reachable state with no successor (that the model does not call terminal). */
  deadlock?: boolean;
  /** Parallel exploration: see `checkParallel`; `check` itself runs on one thread. */
  workers?: number;
  /** Use `model.canonicalize` when the model has one (default true). */
  symmetry?: boolean;
  /** Use `model.encode` when the model has one (default true); false forces the generic encoding. */
  fastEncoding?: boolean;
  /** Stop at the first violation (default false: every property gets its verdict). */
  stopAtFirstViolation?: boolean;
  /** Called about once a second during the run. */
  onProgress?: (p: Progress) => void;
  /** How often onProgress is called, in ms (default 1000). */
  progressIntervalMs?: number;
  /** Stop cleanly as incomplete when the JS heap passes this many bytes (default: 85% of the heap limit). */
  heapLimitBytes?: number;
}

/** Why a run stopped before it covered the bounded space. */
export type StopReason = 'maxStates' | 'timeLimit' | 'heapLimit' | 'violation';

export interface Trace<S, A> {
  /** steps[0] is an initial state, its action null. */
  steps: { action: A | null; state: S }[];
  /** For a lasso (a cycle that never reaches the goal): the step the last state loops back to. */
  loopsBackTo?: number;
}

export type PropertyStatus = 'holds' | 'violated' | 'satisfied' | 'unsatisfied';

/**
 * The name of the deadlock check's result (kind `deadlock`), named for what holds when it
 * holds, like every other property: `no-deadlock: holds` reads right in a review.
 */
export const NO_DEADLOCK = 'no-deadlock';

export interface PropertyResult<S, A> {
  name: string;
  kind: PropertyKind | 'deadlock';
  status: PropertyStatus;
  /** For violated and satisfied. */
  trace?: Trace<S, A>;
}

export interface CheckResult<S, A> {
  status: 'pass' | 'fail' | 'incomplete';
  /** Unique states reached, initial ones included. */
  distinctStates: number;
  /** Successor computations that returned a state. */
  transitions: number;
  /** Deepest BFS level reached (initial states are depth 0). */
  depth: number;
  /** True when every state within the bounds was explored. */
  complete: boolean;
  /** Set when `complete` is false: which limit stopped the run. */
  stoppedBy?: StopReason;
  elapsedMs: number;
  /** One per property, in the model's order; then `no-deadlock` when the option is on. */
  properties: PropertyResult<S, A>[];
  /** Action name -> times it fired. */
  coverage: Record<string, number>;
  /** Action names that were tried but never fired. */
  neverFired: string[];
  /** Probability that a 64-bit fingerprint collision merged two distinct states (as TLC reports it). */
  collisionProbability: number;
  /** Bytes held by the seen-set and the parent links, per distinct state (the frontier aside). */
  bytesPerState: number;
  statesPerSecond: number;
  /** Distinct states before symmetry reduction is not known; this says whether it was applied. */
  symmetryReduced: boolean;
}
