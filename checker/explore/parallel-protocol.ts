/** Messages and shared control words between the coordinator (parallel.ts) and its workers. */
import type { MessagePort } from 'node:worker_threads';
import type { ModelSource } from './model-source.ts';
import type { GraphPart } from './parallel-graph.ts';
import type { LinkChunk } from './shared-links.ts';

/** Int32 words of the shared control buffer. */
export const CONTROL = {
  STOP: 0,
  DISTINCT: 1,
  EXPANDED: 2,
  /** From here, one word per property (and one for deadlock): 1 once decided. */
  DECIDED: 3,
} as const;

export const STOP = { NONE: 0, TIME: 1, HEAP: 2, MAX_STATES: 3 } as const;

export interface WorkerInit {
  source: ModelSource;
  index: number;
  workers: number;
  table: SharedArrayBuffer;
  control: SharedArrayBuffer;
  deadlock?: boolean;
  symmetry?: boolean;
  fastEncoding?: boolean;
  heapLimitBytes?: number;
  maxStates?: number;
  /** Record the graph for eventually properties, up to this many states per worker (0: do not). */
  graphLimit: number;
}

export type ToWorker =
  | { type: 'peer'; worker: number; port: MessagePort }
  /** Switch to a grown seen-set after copying slots [from, to) of the old one into it. */
  | { type: 'table'; buffer: SharedArrayBuffer; old: SharedArrayBuffer; from: number; to: number }
  | { type: 'initial' }
  | { type: 'level' }
  /** Send what the graph recorder holds (after the last level). */
  | { type: 'graph' }
  /** Send the run's coverage (after the last level). */
  | { type: 'coverage' }
  | { type: 'rebalance'; give: { to: number; count: number }[]; receiveFrom: number }
  | { type: 'close' };

/** A property decided by a worker: on a new state (ref), or on the edge ref --action--> . */
export interface Violation {
  property: number;
  ref: number;
  action?: number;
}

export interface LevelReport {
  type: 'level-done';
  worker: number;
  /** The worker's share of the next level. */
  frontier: number;
  transitions: number;
  maxBranch: number;
  violations: Violation[];
  initialIndices?: number[];
}

/** Which actions fired in the worker over the whole run, named once, at its end (coverage.ts). */
export interface CoverageReport {
  type: 'coverage';
  worker: number;
  fired: Record<string, number>;
  neverFired: string[];
}

export type FromWorker =
  | { type: 'ready'; worker: number }
  | { type: 'chunk'; worker: number; chunk: LinkChunk }
  | LevelReport
  | { type: 'rebalanced'; worker: number; frontier: number }
  | { type: 'table-ready'; worker: number }
  | { type: 'graph'; worker: number; part: GraphPart }
  | CoverageReport
  | { type: 'error'; message: string };
