/**
 * Breadth-first exploration of every interleaving on one thread, exact and shortest-first.
 *
 * States are expanded level by level by the expansion kernel (expand.ts). Here they live in
 * this thread: the seen-set holds 64-bit fingerprints only (fingerprint-set.ts), a state keeps
 * only the link to its parent (parent-links.ts), and the frontier is the one place whole states
 * live, packed where their shape allows (level.ts). Traces are rebuilt by replaying action indices from the initial state (trace.ts).
 */
import type { CheckOptions, CheckResult, Model, Progress, StopReason } from '../model.ts';
import { decideEventually, eventuallyGoals } from './eventually.ts';
import { Expander, FULL, ROOT, type StateStore } from './expand.ts';
import { FingerprintSet } from './fingerprint-set.ts';
import { fingerprinter } from './fingerprinter.ts';
import { LevelCodec, newLevel, type ObjectLevel, type PackedLevel } from './level.ts';
import { beforeLevel, heapLimitOf, heapUsed } from './limits.ts';
import { ParentLinks } from './parent-links.ts';
import { decide, finishResult, initialResults } from './result.ts';
import { StateGraph } from './state-graph.ts';
import { buildTrace } from './trace.ts';

/**
 * Keep the graph for `eventually` up to this many states (about 30 bytes each and 8 per
 * transition, outside the JS heap: some 400 MB at the limit); past it, eventually.ts explores
 * the region again, which is a second search of nearly every state where operations are in
 * flight (for guest_memfd's every-operation-ends, most of them) with a node object per state.
 */
export const GRAPH_LIMIT = 8_000_000;

/** Seen states, parent links and levels of a run on one thread; a state's reference is its id, in the order first seen. */
class LocalStore<S> implements StateStore<S> {
  readonly seen = new FingerprintSet();
  readonly links = new ParentLinks();
  readonly initials: S[] = [];
  private readonly codec = new LevelCodec();
  /** The level being discovered. */
  next = this.newLevel();
  distinct = 0;
  /** New states of the state being expanded. */
  private children = 0;

  constructor(private readonly maxStates: number) {}

  newLevel(): ObjectLevel<S> | PackedLevel<S> {
    return newLevel(this.codec);
  }

  add(hi: number, lo: number): boolean {
    return this.seen.add(hi, lo);
  }

  admit(state: S, parent: number, action: number): number {
    if (this.distinct >= this.maxStates) return FULL;
    this.distinct++;
    this.next.push(state);
    if (parent === ROOT) {
      this.initials.push(state);
      return this.links.addInitial();
    }
    this.children++;
    return this.links.addChild(action);
  }

  expanded(ref: number): void {
    this.links.expanded(ref, this.children);
    this.children = 0;
  }

  /** The trace to state `ref`, then its action `action` when given. */
  traceTo<A>(model: Model<S, A>, ref: number, action: number | undefined) {
    const path = this.links.pathTo(ref);
    if (action !== undefined) path.actions.push(action);
    return buildTrace(model, this.initials[path.initial], path.actions);
  }
}

export function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): CheckResult<S, A> {
  const started = performance.now();
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const deadline = options.timeLimitMs !== undefined ? started + options.timeLimitMs : Number.POSITIVE_INFINITY;
  const heapLimit = heapLimitOf(options);
  const progressEvery = options.progressIntervalMs ?? 1000;

  const fingerprint = fingerprinter(model, options);
  const results = initialResults(model, options.deadlock);
  const store = new LocalStore<S>(options.maxStates ?? Number.POSITIVE_INFINITY);
  // With eventually properties, the search keeps its graph so that their verdicts need no
  // second search (state-graph.ts).
  const goals = eventuallyGoals(model);
  const graph = goals ? new StateGraph(GRAPH_LIMIT) : undefined;
  const kernel = new Expander(
    model,
    fingerprint,
    store,
    {
      decide: (k, ref, action) => decide(results[k], store.traceTo(model, ref, action)),
    },
    { deadlock: options.deadlock, eventually: goals && graph && { sink: graph, goals } },
  );

  let depth = 0;
  let stoppedBy: StopReason | undefined = kernel.addInitialStates() ? undefined : 'maxStates';

  let lastProgress = started;
  let lastProgressStates = 0;
  const poll = (left: number): boolean => {
    const now = performance.now();
    if (now >= deadline) stoppedBy = 'timeLimit';
    else if (heapUsed() > heapLimit) stoppedBy = 'heapLimit';
    if (options.onProgress && now - lastProgress >= progressEvery) {
      const progress: Progress = {
        distinctStates: store.distinct,
        queue: left + store.next.length,
        depth,
        statesPerSecond: ((store.distinct - lastProgressStates) * 1000) / (now - lastProgress),
        elapsedMs: now - started,
      };
      options.onProgress(progress);
      lastProgress = now;
      lastProgressStates = store.distinct;
    }
    return stoppedBy !== undefined;
  };

  let firstId = 0;
  while (stoppedBy === undefined) {
    const current = store.next;
    const next = beforeLevel(current.length, depth, options, kernel.violated);
    if (next !== 'expand') {
      if (next === 'violation') stoppedBy = 'violation';
      break;
    }
    store.next = store.newLevel();
    const first = firstId;
    const end = kernel.expandLevel(current, (i) => first + i, poll, options.stopAtFirstViolation ?? false);
    if (end === 'full') stoppedBy = 'maxStates';
    else if (end === 'violation') stoppedBy = 'violation';
    if (end !== 'done') break;
    firstId += current.length;
    if (store.next.length > 0) depth++;
  }

  if (stoppedBy === undefined) {
    decideEventually(model, results, {
      maxDepth,
      fingerprintOf: fingerprint.fingerprintOf,
      hasher: fingerprint.hasher,
      graph,
      initials: store.initials,
    });
  }
  return finishResult({
    started,
    distinct: store.distinct,
    transitions: kernel.transitions,
    initialStates: store.initials.length,
    depth,
    stoppedBy,
    properties: results,
    coverage: kernel.coverage.fired(),
    neverFired: kernel.coverage.neverFired(),
    storedBytes: store.seen.bytes + store.links.bytes,
    symmetryReduced: fingerprint.symmetryReduced,
  });
}
