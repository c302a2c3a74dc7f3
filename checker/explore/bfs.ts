/**
 * Breadth-first exploration of every interleaving, exact and shortest-first.
 *
 * The successor loop, in TLC's order: boundary, fingerprint and insert, invariants on new states
 * only, step properties on every edge (new target or not), enqueue, deadlock when nothing was
 * enabled. The seen-set holds 64-bit fingerprints only (fingerprint-set.ts); a state keeps only
 * the link to its parent (parent-links.ts); the frontier is the one place whole states live.
 * Traces are rebuilt by replaying action indices from the initial state (trace.ts).
 */
import v8 from 'node:v8';
import { NO_DEADLOCK, type CheckOptions, type CheckResult, type Model, type Property, type PropertyResult, type StopReason } from '../model.ts';
import { Coverage } from './coverage.ts';
import { decideEventually, eventuallyGoals, goalBits } from './eventually.ts';
import { FingerprintSet } from './fingerprint-set.ts';
import { fingerprinter } from './fingerprinter.ts';
import { beforeLevel } from './limits.ts';
import { ParentLinks } from './parent-links.ts';
import { StateGraph } from './state-graph.ts';
import { finishResult } from './result.ts';
import { buildTrace } from './trace.ts';

type StateProperty<S> = { index: number; holds(state: S): boolean };
type StepProperty<S, A> = { index: number; holds(prev: S, action: A, next: S): boolean };

/** How many expansions between two looks at the clock and the heap. */
const POLL_EVERY = 1024;
/**
 * Keep the graph for `eventually` up to this many states (about 30 bytes each and 8 per
 * transition, outside the JS heap); past it, eventually.ts explores the region again.
 */
export const GRAPH_LIMIT = 2_000_000;

export function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): CheckResult<S, A> {
  const started = performance.now();
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const deadline = options.timeLimitMs !== undefined ? started + options.timeLimitMs : Number.POSITIVE_INFINITY;
  const heapLimit = options.heapLimitBytes ?? 0.85 * v8.getHeapStatistics().heap_size_limit;
  const progressEvery = options.progressIntervalMs ?? 1000;
  const stopAtFirst = options.stopAtFirstViolation ?? false;

  const { fingerprintOf, hasher, symmetryReduced } = fingerprinter(model, options);
  const withinBoundary = model.withinBoundary?.bind(model);
  const terminal = model.terminal?.bind(model);

  const results: PropertyResult<S, A>[] = model.properties.map((p) => ({
    name: p.name,
    kind: p.kind,
    status: p.kind === 'sometimes' ? 'unsatisfied' : 'holds',
  }));
  let invariants: StateProperty<S>[] = [];
  let witnesses: StateProperty<S>[] = [];
  let steps: StepProperty<S, A>[] = [];
  model.properties.forEach((p: Property<S, A>, index) => {
    if (p.kind === 'always') invariants.push({ index, holds: p.holds });
    else if (p.kind === 'sometimes') witnesses.push({ index, holds: p.holds });
    else if (p.kind === 'step') steps.push({ index, holds: p.holds });
  });
  const deadlock: PropertyResult<S, A> | undefined = options.deadlock
    ? { name: NO_DEADLOCK, kind: 'deadlock', status: 'holds' }
    : undefined;

  // With eventually properties, the search keeps its graph so that their verdicts need no
  // second search (state-graph.ts); goalsOf sets bit k where the k-th one's predicate holds.
  const goals = eventuallyGoals(model);
  const graph = goals ? new StateGraph(GRAPH_LIMIT) : undefined;
  const record = (state: S, hi: number, lo: number): void => {
    if (!graph!.dropped) graph!.addState(hi, lo, goalBits(goals!, state)); // once dropped, no predicate is worth evaluating
  };

  const seen = new FingerprintSet();
  const links = new ParentLinks();
  const coverage = new Coverage(model);
  const initials: S[] = [];
  let distinct = 0;
  let transitions = 0;
  let depth = 0;
  let stoppedBy: StopReason | undefined;
  let violated = false;

  const traceTo = (id: number, extraAction?: number) => {
    const path = links.pathTo(id);
    if (extraAction !== undefined) path.actions.push(extraAction);
    return buildTrace(model, initials[path.initial], path.actions);
  };

  /**
   * Invariants and witnesses on a new state, reached from `from` by its action `action` (or an
   * initial state: from = its id, no action). The path is built only when a property needs it;
   * no closure is made per state.
   */
  const checkNewState = (state: S, from: number, action?: number): void => {
    for (let k = 0; k < invariants.length; k++) {
      const p = invariants[k];
      if (!p.holds(state)) {
        results[p.index].status = 'violated';
        results[p.index].trace = traceTo(from, action);
        invariants = invariants.filter((q) => q !== p);
        k--;
        violated = true;
      }
    }
    for (let k = 0; k < witnesses.length; k++) {
      const p = witnesses[k];
      if (p.holds(state)) {
        results[p.index].status = 'satisfied';
        results[p.index].trace = traceTo(from, action);
        witnesses = witnesses.filter((q) => q !== p);
        k--;
      }
    }
  };

  // Level 0: the initial states.
  let current: S[] = [];
  for (const init of model.initStates()) {
    fingerprintOf(init);
    if (!seen.add(hasher.hi, hasher.lo)) continue;
    if (distinct >= maxStates) {
      stoppedBy = 'maxStates';
      break;
    }
    const id = links.addInitial();
    if (graph) record(init, hasher.hi, hasher.lo);
    initials.push(init);
    distinct++;
    current.push(init);
    checkNewState(init, id);
  }

  let lastProgress = started;
  let lastProgressStates = 0;
  let expandedSincePoll = 0;
  let firstId = 0;
  const poll = (queue: number): boolean => {
    const now = performance.now();
    if (now >= deadline) stoppedBy = 'timeLimit';
    else if (process.memoryUsage().heapUsed > heapLimit) stoppedBy = 'heapLimit';
    if (options.onProgress && now - lastProgress >= progressEvery) {
      options.onProgress({
        distinctStates: distinct,
        queue,
        depth,
        statesPerSecond: ((distinct - lastProgressStates) * 1000) / (now - lastProgress),
        elapsedMs: now - started,
      });
      lastProgress = now;
      lastProgressStates = distinct;
    }
    return stoppedBy !== undefined;
  };

  expansion: while (stoppedBy === undefined) {
    const level = beforeLevel(current.length, depth, options, violated);
    if (level !== 'expand') {
      if (level === 'violation') stoppedBy = 'violation';
      break;
    }
    const next: S[] = [];
    for (let i = 0; i < current.length; i++) {
      const id = firstId + i;
      const state = current[i];
      (current as (S | undefined)[])[i] = undefined; // let the expanded state go
      let children = 0;
      if (withinBoundary && !withinBoundary(state)) {
        links.expanded(id, 0);
        continue;
      }
      graph?.beginExpansion(id);
      let enabled = false;
      let actionIndex = 0;
      for (const action of model.actions(state)) {
        const ai = actionIndex++;
        const succ = model.nextState(state, action);
        coverage.tried(action, succ !== undefined);
        if (succ === undefined) continue;
        enabled = true;
        transitions++;
        for (let k = 0; k < steps.length; k++) {
          const p = steps[k];
          if (!p.holds(state, action, succ)) {
            results[p.index].status = 'violated';
            results[p.index].trace = traceTo(id, ai);
            steps = steps.filter((q) => q !== p);
            k--;
            violated = true;
          }
        }
        fingerprintOf(succ);
        const hi = hasher.hi, lo = hasher.lo;
        if (seen.add(hi, lo)) {
          if (distinct >= maxStates) {
            stoppedBy = 'maxStates';
            links.expanded(id, children);
            break expansion;
          }
          if (graph) record(succ, hi, lo);
          links.addChild(ai);
          distinct++;
          children++;
          next.push(succ);
          checkNewState(succ, id, ai);
        }
        if (graph) graph.addEdge(id, hi, lo, ai);
      }
      links.expanded(id, children);
      if (!enabled && deadlock && deadlock.status === 'holds' && !(terminal && terminal(state))) {
        deadlock.status = 'violated';
        deadlock.trace = traceTo(id);
        violated = true;
      }
      // At the level's end, beforeLevel decides whether states are left to expand.
      if (stopAtFirst && violated && i + 1 < current.length) {
        stoppedBy = 'violation';
        break expansion;
      }
      if (++expandedSincePoll === POLL_EVERY) {
        expandedSincePoll = 0;
        if (poll(current.length - i - 1 + next.length)) break expansion;
      }
    }
    firstId += current.length;
    current = next;
    if (next.length > 0) depth++;
  }

  if (stoppedBy === undefined) decideEventually(model, results, { maxDepth, fingerprintOf, hasher, graph, initials });
  if (deadlock) results.push(deadlock);

  return finishResult({
    started,
    distinct,
    transitions,
    initialStates: initials.length,
    depth,
    stoppedBy,
    properties: results,
    coverage: coverage.fired(),
    neverFired: coverage.neverFired(),
    storedBytes: seen.bytes + links.bytes,
    symmetryReduced,
  });
}
