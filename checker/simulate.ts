/**
 * Simulation: random walks far deeper than a breadth-first search can reach, for state spaces
 * too large to exhaust. fast-check drives the walks and shrinks every failing one to a short
 * counterexample.
 *
 * A walk is a sequence of choices (non-negative integers). Each choice picks, by `choice mod
 * count`, one of the actions enabled in the current state, in the model's deterministic order
 * (the first choice picks the initial state when the model has several). The walk ends after
 * `maxSteps` transitions, when its choices run out, at a state outside the boundary, at a state
 * with no successor, or at the first *event*: an `always` property false in a state, a `step`
 * property false on a transition, a `sometimes` property true in a state (a witness), an
 * `eventually` property never true before a state with no successor, or a deadlock (with
 * `deadlock: true`). Since a walk is a pure function of its choices, fast-check's shrinker,
 * which removes choices and moves them toward 0, shortens a failing walk while it still fails;
 * the trace is rebuilt from the shrunk choices with the model itself.
 *
 * What a simulation can and cannot say: a violation or a witness it reports is real (its trace
 * replays), but it is not a shortest one, only a locally minimal one in fast-check's sense (no
 * single choice can be removed or lowered). A property it reports as `holds` (or a `sometimes`
 * as `unsatisfied`) was merely not contradicted by the walks run: simulation is not exhaustive,
 * so this is evidence, never a proof (`exhaustive: false` in the result says so). An
 * `eventually` property is violated only through a walk that reaches a state with no successor
 * without passing a state where it holds; cycles are not detected.
 */
import fc from 'fast-check';
import type { Model, PropertyKind, PropertyResult, Trace } from './model.ts';
import { decide, initialResults } from './explore/result.ts';

export interface SimulateOptions {
  /** Random walks to run (shrinking runs aside); default 1000. */
  walks?: number;
  /** Transitions per walk at most; default 1000. */
  maxSteps?: number;
  /** fast-check's seed (a 32-bit integer); default a random one, reported in the result. */
  seed?: number;
  /** Stop after this long, shrinking included (the result says `stoppedBy: 'timeLimit'`). */
  timeLimitMs?: number;
  /** Report a walk that reaches a state with no successor that the model does not call terminal. */
  deadlock?: boolean;
  /** Called about once a second (every `progressIntervalMs`) during the run, between walks. */
  onProgress?: (p: SimulateProgress) => void;
  /** How often onProgress is called, in ms (default 1000). */
  progressIntervalMs?: number;
}

/** Where a simulation stands, for a progress line. */
export interface SimulateProgress {
  /** Random walks run so far (those run to shrink aside). */
  walks: number;
  /** Walks run so far to shrink failing walks. */
  shrinkWalks: number;
  /** True while fast-check shrinks a failing walk. */
  shrinking: boolean;
  /** The most transitions any walk took so far. */
  deepest: number;
  elapsedMs: number;
  walksPerSecond: number;
}

export interface SimulateResult<S, A> {
  /** Random walks run (each failing one counted once; the walks fast-check ran to shrink it aside). */
  walks: number;
  /** Walks run while shrinking failing walks. */
  shrinkWalks: number;
  /** `walks` per second of the whole run (the time spent shrinking included). */
  walksPerSecond: number;
  /** The most transitions any walk took. */
  deepest: number;
  elapsedMs: number;
  /** The seed of the first round; round k uses seed + k. Pass it back to replay the run. */
  seed: number;
  /** Set when the time limit ended the run before the walks budget. */
  stoppedBy?: 'timeLimit';
  /** Always false: `holds` and `unsatisfied` here mean "not contradicted by any walk". */
  exhaustive: false;
  /** One per property, in the model's order; then `no-deadlock` when the option is on. */
  properties: PropertyResult<S, A>[];
}

/** What ended a walk: the index of its result (deadlock comes after the model's properties). */
type Target = { index: number; kind: PropertyKind | 'deadlock' };

interface WalkOutcome<S, A> {
  /** Transitions taken. */
  length: number;
  /** The first event among the open targets, if any. */
  event?: Target;
  /** Set when the walk was recorded. */
  trace?: Trace<S, A>;
  /** How many choices the walk read: the rest cannot matter to it. */
  used: number;
}

/** fast-check's seeds, and a walk's choices, are integers from 0 to this. */
export const SEED_MAX = 0x7fffffff;

export function simulate<S, A>(model: Model<S, A>, options: SimulateOptions = {}): SimulateResult<S, A> {
  const started = performance.now();
  const walksBudget = nonNegativeInteger(options.walks ?? 1000, 'walks');
  const maxSteps = nonNegativeInteger(options.maxSteps ?? 1000, 'maxSteps');
  const seed = options.seed ?? (Math.random() * SEED_MAX) | 0;
  const deadline = options.timeLimitMs !== undefined ? started + options.timeLimitMs : Number.POSITIVE_INFINITY;

  const results = initialResults(model, options.deadlock);
  const open: boolean[] = results.map(() => true);

  const initials = [...model.initStates()];
  if (initials.length === 0)
    throw new Error(`simulate: ${model.name} has no initial state (initStates() returned nothing)`);
  const withinBoundary = model.withinBoundary?.bind(model);
  const terminal = model.terminal?.bind(model);
  const deadlockIndex = options.deadlock ? model.properties.length : -1;
  const eventuallyIndices = model.properties.flatMap((p, i) => (p.kind === 'eventually' ? [i] : []));

  /** The first open target the state triggers: an invariant false, a witness true. */
  const stateEvent = (state: S, reached: boolean[]): Target | undefined => {
    const props = model.properties;
    for (let i = 0; i < props.length; i++) {
      const p = props[i];
      if (p.kind === 'step') continue;
      const holds = p.holds(state);
      if (p.kind === 'eventually') {
        if (holds) reached[i] = true;
      } else if (open[i] && (p.kind === 'always' ? !holds : holds)) {
        return { index: i, kind: p.kind };
      }
    }
    return undefined;
  };

  const walk = (choices: readonly number[], record: boolean): WalkOutcome<S, A> => {
    let next = 0;
    let state = initials.length > 1 ? initials[(choices[next++] ?? 0) % initials.length] : initials[0];
    const steps: Trace<S, A>['steps'] | undefined = record ? [{ action: null, state }] : undefined;
    const done = (length: number, event?: Target): WalkOutcome<S, A> => ({
      length,
      event,
      trace: steps ? { steps } : undefined,
      used: next,
    });
    const reached: boolean[] = [];
    let event = stateEvent(state, reached);
    if (event) return done(0, event);
    const enabledActions: A[] = [];
    const successors: S[] = [];
    for (let length = 0; ; length++) {
      if (length >= maxSteps) return done(length);
      if (withinBoundary && !withinBoundary(state)) return done(length);
      enabledActions.length = 0;
      successors.length = 0;
      for (const action of model.actions(state)) {
        const successor = model.nextState(state, action);
        if (successor !== undefined) {
          enabledActions.push(action);
          successors.push(successor);
        }
      }
      if (successors.length === 0) {
        // A path that ends here without passing a goal violates every such `eventually`.
        const missed = eventuallyIndices.find((i) => open[i] && !reached[i]);
        if (missed !== undefined) return done(length, { index: missed, kind: 'eventually' });
        if (deadlockIndex >= 0 && open[deadlockIndex] && !terminal?.(state)) {
          return done(length, { index: deadlockIndex, kind: 'deadlock' });
        }
        return done(length);
      }
      // Checked after the dead end, so that a walk cut to the choices it used still ends there.
      if (next >= choices.length) return done(length);
      const pick = choices[next++] % successors.length;
      const action = enabledActions[pick];
      const successor = successors[pick];
      steps?.push({ action, state: successor });
      for (let i = 0; i < model.properties.length; i++) {
        const p = model.properties[i];
        if (
          p.kind === 'step' &&
          open[i] &&
          (!p.canChange || p.canChange(action)) &&
          !p.holds(state, action, successor)
        ) {
          return done(length + 1, { index: i, kind: 'step' });
        }
      }
      state = successor;
      event = stateEvent(state, reached);
      if (event) return done(length + 1, event);
    }
  };

  // The first choice picks the initial state when there are several.
  const choicesArbitrary = new WalkChoices(maxSteps + (initials.length > 1 ? 1 : 0));

  let walks = 0;
  let predicateCalls = 0;
  let deepest = 0;
  let stoppedBy: 'timeLimit' | undefined;
  // Within a round, fast-check runs random walks until one fails, then only shrinks it.
  let roundWalks = 0;
  let shrinking = false;
  const onProgress = options.onProgress;
  const interval = options.progressIntervalMs ?? 1000;
  let nextProgress = started + interval;
  const report = () => {
    const now = performance.now();
    if (now < nextProgress || !onProgress) return;
    nextProgress = now + interval;
    const elapsedMs = now - started;
    const done = walks + roundWalks;
    onProgress({
      walks: done,
      shrinkWalks: predicateCalls - done,
      shrinking,
      deepest,
      elapsedMs,
      walksPerSecond: (done * 1000) / elapsedMs,
    });
  };
  for (let round = 0; open.some((o) => o) && walks < walksBudget; round++) {
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) {
      stoppedBy = 'timeLimit';
      break;
    }
    roundWalks = 0;
    shrinking = false;
    const property = fc.property(choicesArbitrary, (choices) => {
      predicateCalls++;
      if (!shrinking) roundWalks++;
      const outcome = walk(choices, false);
      if (outcome.length > deepest) deepest = outcome.length;
      if (outcome.event !== undefined) {
        shrinking = true;
        choicesArbitrary.used.set(choices, outcome.used);
      }
      if (onProgress) report();
      return outcome.event === undefined;
    });
    // fast-check types its generic plugins as Plugin<unknown>, which its Parameters<Ts> does not
    // accept for a typed property; the plugin never looks at the values, hence the cast.
    const plugins = Number.isFinite(remainingMs)
      ? [fc.interruptAfterTimeLimit(Math.ceil(remainingMs)) as fc.Plugin<[number[]]>]
      : [];
    const details: fc.RunDetails<[number[]]> = fc.check(property, {
      seed: (seed + round) | 0,
      numRuns: walksBudget - walks,
      plugins,
    });
    walks += details.numRuns;
    roundWalks = 0;
    if (details.interrupted) stoppedBy = 'timeLimit';
    if (!details.failed || details.counterexample === null) break;
    const outcome = walk(details.counterexample[0], true);
    if (outcome.event === undefined || outcome.trace === undefined) {
      // The predicate failed on these very choices, and a walk is a function of its choices.
      throw new Error(
        `simulate: a failing walk of ${model.name} did not fail again on replay; actions() and nextState() must be deterministic`,
      );
    }
    decide(results[outcome.event.index], outcome.trace);
    open[outcome.event.index] = false;
    if (stoppedBy) break;
  }

  const elapsedMs = performance.now() - started;
  return {
    walks,
    shrinkWalks: predicateCalls - walks,
    walksPerSecond: elapsedMs > 0 ? (walks * 1000) / elapsedMs : 0,
    deepest,
    elapsedMs,
    seed,
    ...(stoppedBy ? { stoppedBy } : {}),
    exhaustive: false,
    properties: results,
  };
}

/**
 * The choices of one walk: generated at full length, each uniform in [0, 2^31), so that every
 * walk goes as deep as `maxSteps` unless an event or a dead end stops it (fc.array would draw
 * its length at random, and half the depth would be lost on average); shrunk as fc.array
 * shrinks an array (shorter first, then each choice toward 0), which is what shortens a trace.
 */
class WalkChoices extends fc.Arbitrary<number[]> {
  private readonly shrinker: fc.Arbitrary<number[]>;
  /** How many choices a failing walk read (see shrink). */
  readonly used = new WeakMap<readonly number[], number>();

  constructor(private readonly length: number) {
    super();
    this.shrinker = fc.array(fc.nat(), { maxLength: length });
  }

  generate(mrng: fc.Random): fc.Value<number[]> {
    const choices = new Array<number>(this.length);
    for (let i = 0; i < this.length; i++) choices[i] = mrng.nextInt(0, SEED_MAX);
    // No context: fc.array's shrinker rebuilds it from the value (canShrinkWithoutContext).
    return new fc.Value(choices, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number[] {
    return this.shrinker.canShrinkWithoutContext(value);
  }

  shrink(value: number[], context: unknown): fc.Stream<fc.Value<number[]>> {
    // A failing walk fails the same on the choices it read: try those alone first, so that
    // shrinking costs what the failing prefix needs, not maxSteps choices. (Reducing them to the
    // indices they picked would shrink ~30 times faster still, but the large values are what
    // lets a removal re-route the rest of the walk at random, and that finds ~20% shorter traces.)
    const used = this.used.get(value);
    if (used === undefined || used >= value.length) return this.shrinker.shrink(value, context);
    return fc.Stream.of(new fc.Value(value.slice(0, used), undefined)).join(this.shrinker.shrink(value, context));
  }
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`simulate: options.${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}
