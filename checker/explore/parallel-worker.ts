/**
 * One worker of a parallel breadth-first run (see parallel.ts for the protocol).
 *
 * The worker builds its own copy of the model and expands its share of each BFS level with the
 * expansion kernel (expand.ts). Its store (SharedStore) inserts successors into the shared
 * seen-set, keeps the states it discovered as its share of the next level, and writes parent
 * links into shared chunks the coordinator reads to rebuild traces. worker-thread.ts starts it.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Model } from '../model.ts';
import { LevelCodec, newLevel } from './level.ts';
import { Expander, FULL, ROOT, type StateStore } from './expand.ts';
import { eventuallyGoals } from './eventually.ts';
import { fingerprinter } from './fingerprinter.ts';
import { heapLimitOf, heapUsed, POLL_EVERY } from './limits.ts';
import { GraphRecorder } from './parallel-graph.ts';
import { loadModel } from './model-source.ts';
import type { CoverageReport, LevelReport, ToWorker, Violation, WorkerInit } from './parallel-protocol.ts';
import { CONTROL, STOP } from './parallel-protocol.ts';
import { SharedFingerprintTable } from './shared-fingerprint-table.ts';
import { NO_PARENT, ref, writeLink, type LinkChunk } from './shared-links.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const model = (await loadModel(init.source)) as Model<unknown, unknown>;
const control = new Int32Array(init.control);
const me = init.index;
const heapLimit = heapLimitOf(init);
const maxStates = init.maxStates ?? Number.POSITIVE_INFINITY;

/**
 * This worker's side of the shared seen-set, count and parent links, and its share of the
 * levels: the states it discovered, with their references (worker, own number).
 */
class SharedStore implements StateStore<unknown> {
  table = new SharedFingerprintTable(init.table);
  readonly chunks: LinkChunk[] = [];
  /** This worker's share of the level being expanded, and of the next one (packed where they can be: level.ts). */
  private readonly codec = new LevelCodec();
  frontier = newLevel<unknown>(this.codec);
  frontierRefs: number[] = [];
  next = newLevel<unknown>(this.codec);
  nextRefs: number[] = [];
  /** The index among the model's initial states of each initial state this worker took. */
  initialIndices: number[] = [];
  private localCount = 0;
  /**
   * New states are counted here and added to the shared count every POLL_EVERY expansions:
   * the shared word is written by every worker, and writing it per state would keep its cache
   * line moving between cores. Under a maxStates bound every new state is counted at once, so
   * that the bound is exact.
   */
  private uncounted = 0;
  private readonly countEach = Number.isFinite(maxStates);

  add(hi: number, lo: number): boolean {
    return this.table.add(hi, lo);
  }

  admit(state: unknown, parent: number, action: number): number {
    if (!this.count()) return FULL;
    const local = this.localCount++;
    const root = parent === ROOT;
    writeLink(this.chunks, local, root ? NO_PARENT : parent, root ? 0 : action, (c) =>
      port.postMessage({ type: 'chunk', worker: me, chunk: c }),
    );
    if (root) this.initialIndices.push(action);
    const stateRef = ref(me, local);
    this.next.push(state);
    this.nextRefs.push(stateRef);
    return stateRef;
  }

  expanded(): void {}

  /** Counts a new state; false (and the run stops) when maxStates are counted already. */
  private count(): boolean {
    if (!this.countEach) {
      this.uncounted++;
      return true;
    }
    for (;;) {
      const n = Atomics.load(control, CONTROL.DISTINCT);
      if (n >= maxStates) {
        Atomics.compareExchange(control, CONTROL.STOP, STOP.NONE, STOP.MAX_STATES);
        return false;
      }
      if (Atomics.compareExchange(control, CONTROL.DISTINCT, n, n + 1) === n) return true;
    }
  }

  publishCount(): void {
    if (this.uncounted > 0) Atomics.add(control, CONTROL.DISTINCT, this.uncounted);
    this.uncounted = 0;
  }

  /** The next level becomes this worker's frontier. */
  advance(): void {
    this.frontier = this.next;
    this.frontierRefs = this.nextRefs;
    this.next = newLevel(this.codec);
    this.nextRefs = [];
  }
}

const store = new SharedStore();
/** The graph for eventually properties (parallel-graph.ts), when the model has some. */
const goals = init.graphLimit > 0 ? eventuallyGoals(model) : undefined;
const recorder = goals ? new GraphRecorder(init.graphLimit) : undefined;
/** Properties this worker decided during the level being expanded. */
let violations: Violation[] = [];
const peers = new Map<number, MessagePort>();
const inbox: { states: unknown[]; refs: number[] }[] = [];
let waitingFor = 0;
let onInboxFull: (() => void) | undefined;

/**
 * Which properties some worker has decided: a private copy of the shared flags, refreshed every
 * POLL_EVERY expansions. Reading the shared words per state would keep their cache line moving
 * between cores; a stale copy only means a property is evaluated a little longer than needed.
 */
const decidedCopy = new Uint8Array(model.properties.length + 1);
const kernel = new Expander(
  model,
  fingerprinter(model, init),
  store,
  {
    decide: (property, stateRef, action) =>
      violations.push(action === undefined ? { property, ref: stateRef } : { property, ref: stateRef, action }),
    /** Claims property k for this worker: true when no other worker decided it first. */
    claim: (k) => {
      decidedCopy[k] = 1;
      return Atomics.compareExchange(control, CONTROL.DECIDED + k, 0, 1) === 0;
    },
  },
  { deadlock: init.deadlock, eventually: goals && recorder && { sink: recorder, goals } },
);

/**
 * Reads the shared flags into the copy; the kernel's open lists are rebuilt only when a flag
 * went up (flags only go up, and one this worker claimed is closed in its kernel already).
 */
const refreshDecided = (): void => {
  let changed = false;
  for (let k = 0; k < decidedCopy.length; k++) {
    if (decidedCopy[k] === 0 && Atomics.load(control, CONTROL.DECIDED + k) !== 0) {
      decidedCopy[k] = 1;
      changed = true;
    }
  }
  if (changed) kernel.closeDecided((k) => decidedCopy[k] !== 0);
};

/** Every POLL_EVERY expansions: publish the count, read the others' decisions, stop when told or past the heap limit. */
const poll = (): boolean => {
  Atomics.add(control, CONTROL.EXPANDED, POLL_EVERY);
  store.publishCount();
  refreshDecided();
  if (Atomics.load(control, CONTROL.STOP) !== STOP.NONE) return true;
  if (heapUsed() > heapLimit) {
    Atomics.compareExchange(control, CONTROL.STOP, STOP.NONE, STOP.HEAP);
    return true;
  }
  return false;
};

function insertInitialStates(): LevelReport {
  kernel.addInitialStates();
  store.publishCount();
  return report(store.initialIndices);
}

function expandLevel(): LevelReport {
  refreshDecided();
  const refs = store.frontierRefs;
  // A worker finishes its level at a violation: the levels, and so the counts, do not depend on timing.
  kernel.expandLevel(store.frontier, (i) => refs[i], poll, false);
  store.publishCount();
  return report();
}

let reportedTransitions = 0;
function report(initialIndices?: number[]): LevelReport {
  store.advance();
  const levelViolations = violations;
  violations = [];
  const transitions = kernel.transitions - reportedTransitions;
  reportedTransitions = kernel.transitions;
  return {
    type: 'level-done',
    worker: me,
    frontier: store.frontier.length,
    transitions,
    maxBranch: kernel.maxBranch,
    violations: levelViolations,
    ...(initialIndices ? { initialIndices } : {}),
  };
}

/** Sends `count` states from the end of this worker's frontier to a peer. */
function give(to: number, count: number): void {
  const start = store.frontier.length - count;
  const states = store.frontier.removeLast(count);
  const refs = store.frontierRefs.splice(start, count);
  peers.get(to)!.postMessage({ states, refs });
}

function onPeerMessage(msg: { states: unknown[]; refs: number[] }): void {
  inbox.push(msg);
  if (--waitingFor === 0 && onInboxFull) onInboxFull();
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'peer':
      peers.set(msg.worker, msg.port);
      msg.port.on('message', onPeerMessage);
      return;
    case 'table':
      store.table = new SharedFingerprintTable(msg.buffer);
      store.table.copyFrom(new SharedFingerprintTable(msg.old), msg.from, msg.to);
      port.postMessage({ type: 'table-ready', worker: me });
      return;
    case 'initial':
      port.postMessage(insertInitialStates());
      return;
    case 'level':
      port.postMessage(expandLevel());
      return;
    case 'graph': {
      const part = recorder?.finish();
      if (!part) return;
      const arrays = [
        part.hi,
        part.lo,
        part.goals,
        part.sources,
        part.starts,
        part.ends,
        part.targetHi,
        part.targetLo,
        part.actions,
      ];
      port.postMessage({ type: 'graph', worker: me, part }, [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]);
      return;
    }
    case 'coverage':
      port.postMessage({
        type: 'coverage',
        worker: me,
        fired: kernel.coverage.fired(),
        neverFired: kernel.coverage.neverFired(),
      } satisfies CoverageReport);
      return;
    case 'rebalance': {
      for (const { to, count } of msg.give) give(to, count);
      const finish = () => {
        for (const m of inbox.splice(0)) {
          for (const s of m.states) store.frontier.push(s);
          for (const r of m.refs) store.frontierRefs.push(r);
        }
        onInboxFull = undefined;
        port.postMessage({ type: 'rebalanced', worker: me, frontier: store.frontier.length });
      };
      waitingFor += msg.receiveFrom;
      if (waitingFor <= 0) {
        waitingFor = 0;
        finish();
      } else onInboxFull = finish;
      return;
    }
    case 'close':
      for (const p of peers.values()) p.close();
      port.close();
      return;
  }
});
port.postMessage({ type: 'ready', worker: me });
