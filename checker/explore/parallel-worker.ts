/**
 * One worker of a parallel breadth-first run (see parallel.ts for the protocol).
 *
 * The worker builds its own copy of the model, expands its share of each BFS level, inserts
 * successors into the shared seen-set, and keeps the states it discovered as its share of the
 * next level. It writes parent links into shared chunks the coordinator reads to rebuild traces.
 */
import v8 from 'node:v8';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Model } from '../model.ts';
import { Coverage } from './coverage.ts';
import { eventuallyGoals, goalBits } from './eventually.ts';
import { fingerprinter } from './fingerprinter.ts';
import { GraphRecorder } from './parallel-graph.ts';
import { loadModel } from './model-source.ts';
import type { LevelReport, ToWorker, Violation, WorkerInit } from './parallel-protocol.ts';
import { CONTROL, STOP } from './parallel-protocol.ts';
import { SharedFingerprintTable } from './shared-fingerprint-table.ts';
import { NO_PARENT, localOf, ref, writeLink, type LinkChunk } from './shared-links.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
const model = (await loadModel(init.source)) as Model<unknown, unknown>;
const control = new Int32Array(init.control);
let table = new SharedFingerprintTable(init.table);
const me = init.index;
const { fingerprintOf, hasher } = fingerprinter(model, init);
const heapLimit = init.heapLimitBytes ?? 0.85 * v8.getHeapStatistics().heap_size_limit;
const maxStates = init.maxStates ?? Number.POSITIVE_INFINITY;
/** The deadlock check's flag follows the properties'. */
const deadlock = model.properties.length;

const chunks: LinkChunk[] = [];
/** The graph for eventually properties (parallel-graph.ts), when the model has some. */
const goals = init.graphLimit > 0 ? eventuallyGoals(model) : undefined;
const recorder = goals ? new GraphRecorder(init.graphLimit) : undefined;
const record = (state: unknown, stateRef: number, hi: number, lo: number): void => {
  if (!recorder!.dropped) recorder!.addState(localOf(stateRef), hi, lo, goalBits(goals!, state));
};
let localCount = 0;
/** This worker's share of the level being expanded: states and their references. */
let frontier: unknown[] = [];
let frontierRefs: number[] = [];
let next: unknown[] = [];
let nextRefs: number[] = [];
let coverage = new Coverage(model);
const peers = new Map<number, MessagePort>();
const inbox: { states: unknown[]; refs: number[] }[] = [];
let waitingFor = 0;
let onInboxFull: (() => void) | undefined;

const newLink = (parent: number, action: number): number => {
  const local = localCount++;
  writeLink(chunks, local, parent, action, (c) => port.postMessage({ type: 'chunk', worker: me, chunk: c }));
  return ref(me, local);
};

/**
 * Which properties some worker has decided: a private copy of the shared flags, refreshed every
 * POLL_EVERY expansions. Reading the shared words per state would keep their cache line moving
 * between cores; a stale copy only means a property is evaluated a little longer than needed.
 */
const decidedCopy = new Uint8Array(model.properties.length + 1);
const decided = (k: number) => decidedCopy[k] !== 0;
const refreshDecided = (): void => {
  for (let k = 0; k < decidedCopy.length; k++) decidedCopy[k] = Atomics.load(control, CONTROL.DECIDED + k) !== 0 ? 1 : 0;
};
/** Claims property k for this worker: true when no other worker decided it first. */
const claim = (k: number): boolean => {
  decidedCopy[k] = 1;
  return Atomics.compareExchange(control, CONTROL.DECIDED + k, 0, 1) === 0;
};

/**
 * New states are counted here and added to the shared count every POLL_EVERY expansions, for
 * the same reason; under a maxStates bound every new state is counted at once, so that the
 * bound is exact.
 */
const countEach = Number.isFinite(maxStates);
let uncounted = 0;
const publishCount = (): void => {
  if (uncounted > 0) Atomics.add(control, CONTROL.DISTINCT, uncounted);
  uncounted = 0;
};
/** Counts a new state; false (and the run stops) when maxStates are counted already. */
const countNew = (): boolean => {
  if (!countEach) {
    uncounted++;
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
};
const POLL_EVERY = 1024;

/** The state properties (always, sometimes), looked up once rather than per state. */
const stateProperties = model.properties
  .map((p, k) => ({ p, k }))
  .filter(({ p }) => p.kind === 'always' || p.kind === 'sometimes');

function checkNewState(state: unknown, stateRef: number, violations: Violation[]): void {
  for (let j = 0; j < stateProperties.length; j++) {
    const { p, k } = stateProperties[j];
    if (p.kind !== 'always' && p.kind !== 'sometimes') continue;
    if (decided(k)) continue;
    const bad = p.kind === 'always' ? !p.holds(state) : p.holds(state);
    if (bad && claim(k)) violations.push({ property: k, ref: stateRef });
  }
}

function insertInitialStates(): LevelReport {
  const violations: Violation[] = [];
  const initialIndices: number[] = [];
  let i = 0;
  for (const s of model.initStates()) {
    fingerprintOf(s);
    if (table.add(hasher.hi, hasher.lo)) {
      if (!countNew()) break;
      const r = newLink(NO_PARENT, 0);
      if (recorder) record(s, r, hasher.hi, hasher.lo);
      initialIndices.push(i);
      next.push(s);
      nextRefs.push(r);
      checkNewState(s, r, violations);
    }
    i++;
  }
  publishCount();
  return report(0, 0, violations, initialIndices);
}

function expandLevel(): LevelReport {
  refreshDecided();
  const steps = model.properties.map((p, k) => ({ p, k })).filter(({ p }) => p.kind === 'step');
  const violations: Violation[] = [];
  let transitions = 0;
  let maxBranch = 0;
  const terminal = model.terminal?.bind(model);
  level: for (let i = 0; i < frontier.length; i++) {
    const state = frontier[i];
    const stateRef = frontierRefs[i];
    (frontier as unknown[])[i] = undefined;
    if (i % POLL_EVERY === POLL_EVERY - 1) {
      Atomics.add(control, CONTROL.EXPANDED, POLL_EVERY);
      publishCount();
      refreshDecided();
      if (Atomics.load(control, CONTROL.STOP) !== STOP.NONE) break;
      if (v8.getHeapStatistics().used_heap_size > heapLimit) {
        Atomics.compareExchange(control, CONTROL.STOP, STOP.NONE, STOP.HEAP);
        break;
      }
    }
    if (model.withinBoundary && !model.withinBoundary(state)) continue;
    recorder?.beginExpansion(stateRef);
    let enabled = 0;
    let ai = 0;
    for (const action of model.actions(state)) {
      const a = ai++;
      const succ = model.nextState(state, action);
      coverage.tried(action, succ !== undefined);
      if (succ === undefined) continue;
      enabled++;
      transitions++;
      for (let j = 0; j < steps.length; j++) {
        const { p, k } = steps[j];
        if (p.kind === 'step' && !decided(k) && !p.holds(state, action, succ) && claim(k)) {
          violations.push({ property: k, ref: stateRef, action: a });
        }
      }
      fingerprintOf(succ);
      const hi = hasher.hi, lo = hasher.lo;
      if (table.add(hi, lo)) {
        if (!countNew()) break level;
        const r = newLink(stateRef, a);
        if (recorder) record(succ, r, hi, lo);
        next.push(succ);
        nextRefs.push(r);
        checkNewState(succ, r, violations);
      }
      recorder?.addEdge(hi, lo, a);
    }
    if (enabled > maxBranch) maxBranch = enabled;
    if (enabled === 0 && init.deadlock && !(terminal && terminal(state)) && !decided(deadlock) && claim(deadlock)) {
      violations.push({ property: deadlock, ref: stateRef });
    }
  }
  publishCount();
  return report(transitions, maxBranch, violations);
}

function report(transitions: number, maxBranch: number, violations: Violation[], initialIndices?: number[]): LevelReport {
  frontier = next;
  frontierRefs = nextRefs;
  next = [];
  nextRefs = [];
  const fired = coverage.fired();
  const never = coverage.neverFired();
  coverage = new Coverage(model);
  return {
    type: 'level-done',
    worker: me,
    frontier: frontier.length,
    transitions,
    maxBranch,
    violations,
    fired,
    neverFired: never,
    ...(initialIndices ? { initialIndices } : {}),
  };
}

/** Sends `count` states from the end of this worker's frontier to a peer. */
function give(to: number, count: number): void {
  const start = frontier.length - count;
  const states = frontier.splice(start, count);
  const refs = frontierRefs.splice(start, count);
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
      table = new SharedFingerprintTable(msg.buffer);
      table.copyFrom(new SharedFingerprintTable(msg.old), msg.from, msg.to);
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
      const arrays = [part.hi, part.lo, part.goals, part.sources, part.starts, part.ends, part.targetHi, part.targetLo, part.actions];
      port.postMessage({ type: 'graph', worker: me, part }, [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]);
      return;
    }
    case 'rebalance': {
      for (const { to, count } of msg.give) give(to, count);
      const finish = () => {
        for (const m of inbox.splice(0)) {
          for (const s of m.states) frontier.push(s);
          for (const r of m.refs) frontierRefs.push(r);
        }
        onInboxFull = undefined;
        port.postMessage({ type: 'rebalanced', worker: me, frontier: frontier.length });
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
