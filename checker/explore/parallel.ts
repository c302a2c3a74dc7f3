/**
 * Parallel breadth-first exploration with worker_threads, level by level.
 *
 * Every worker builds its own model from a `ModelSource` (functions cannot cross threads).
 * The seen-set is one lock-free table in shared memory (shared-fingerprint-table.ts), so a
 * state is counted once whichever worker meets it first; the set of states of each BFS level,
 * and so every count, is the same for any number of workers. A worker keeps the states it
 * discovered as its share of the next level; between levels the coordinator moves states from
 * workers with more than their share to the others (structured clone through MessageChannels),
 * and grows the table to fit the worst case of the next level.
 *
 * Violations found while expanding level d are all of length d + 1, so whichever worker
 * reports one, it is a shortest one (contract guarantee 4: only the choice among equally short
 * traces depends on the number of workers).
 */
import v8 from 'node:v8';
import { MessageChannel, type Worker } from 'node:worker_threads';
import type { CheckOptions, CheckResult, Model, PropertyResult, StopReason } from '../model.ts';
import { check, GRAPH_LIMIT } from './bfs.ts';
import { decideEventually, eventuallyGoals } from './eventually.ts';
import { beforeLevel } from './limits.ts';
import { assembleGraph, type GraphPart } from './parallel-graph.ts';
import { fingerprinter } from './fingerprinter.ts';
import { loadModel, type ModelSource } from './model-source.ts';
import {
  CONTROL,
  STOP,
  type CoverageReport,
  type FromWorker,
  type LevelReport,
  type ToWorker,
  type WorkerInit,
} from './parallel-protocol.ts';
import { decide, finishResult, initialResults, mergeCoverage } from './result.ts';
import { SharedFingerprintTable } from './shared-fingerprint-table.ts';
import { CHUNK_BYTES, MAX_WORKERS, NO_PARENT, linkOf, localOf, workerOf, type LinkChunk } from './shared-links.ts';
import { buildTrace } from './trace.ts';
import { startTsWorker } from './worker-thread.ts';

/** Keep the shared table under this load for the worst case of the next level. */
const MAX_LOAD = 0.7;
/** Rebalance when a worker's share is off by more than this fraction of the fair share. */
const IMBALANCE = 0.1;
const workerEntry = new URL('./parallel-worker.ts', import.meta.url);
/** What a worker's stop code says. */
const STOP_REASON: Record<number, StopReason | undefined> = {
  [STOP.NONE]: undefined,
  [STOP.TIME]: 'timeLimit',
  [STOP.HEAP]: 'heapLimit',
  [STOP.MAX_STATES]: 'maxStates',
};

/**
 * Checks the model that `source` builds, on `options.workers` threads (1: the same as `check`).
 * Returns the same figures as `check`.
 */
export async function checkParallel<S, A>(source: ModelSource, options: CheckOptions = {}): Promise<CheckResult<S, A>> {
  const model = await loadModel<S, A>(source);
  const workers = options.workers ?? 1;
  if (workers <= 1) return check(model, options);
  if (workers > MAX_WORKERS) throw new RangeError(`checkParallel: at most ${MAX_WORKERS} workers, got ${workers}`);
  return new Coordinator(model, source, workers, options).run();
}

class Coordinator<S, A> {
  private readonly started = performance.now();
  private readonly control: Int32Array;
  private table = SharedFingerprintTable.create(1 << 16);
  private readonly threads: Worker[] = [];
  private readonly chunks: LinkChunk[][];
  private readonly results: PropertyResult<S, A>[];
  /** Each worker's coverage, asked once the levels are done. */
  private coverage: CoverageReport[] = [];
  private shares: number[];
  private transitions = 0;
  private maxBranch = 1;
  private depth = 0;
  private initialIndices: number[] = [];
  private pending = new Map<string, (m: FromWorker) => void>();
  /** The workers record the graph for eventually properties (parallel-graph.ts). */
  private readonly recordsGraph: boolean;
  private graphParts: GraphPart[] | undefined;
  /** Set when the run stopped at its first violation with states left to expand. */
  private stoppedBy: StopReason | undefined;

  constructor(
    private readonly model: Model<S, A>,
    private readonly source: ModelSource,
    private readonly workers: number,
    private readonly options: CheckOptions,
  ) {
    this.control = new Int32Array(new SharedArrayBuffer(4 * (CONTROL.DECIDED + model.properties.length + 1)));
    this.chunks = Array.from({ length: workers }, () => []);
    this.shares = new Array(workers).fill(0);
    this.recordsGraph = eventuallyGoals(model) !== undefined;
    this.results = initialResults(model, options.deadlock);
  }

  async run(): Promise<CheckResult<S, A>> {
    const { options } = this;
    const timer =
      options.timeLimitMs !== undefined
        ? setTimeout(
            () => Atomics.compareExchange(this.control, CONTROL.STOP, STOP.NONE, STOP.TIME),
            options.timeLimitMs,
          )
        : undefined;
    const progress = options.onProgress
      ? setInterval(() => this.reportProgress(), options.progressIntervalMs ?? 1000)
      : undefined;
    try {
      await this.start();
      this.absorb(await this.ask<LevelReport>(0, { type: 'initial' }, 'level-done'));
      while (this.stop() === STOP.NONE) {
        const next = beforeLevel(this.frontier(), this.depth, options, this.anyViolated());
        if (next !== 'expand') {
          if (next === 'violation') this.stoppedBy = 'violation';
          break;
        }
        await this.rebalance();
        await this.fitTable();
        const reports = await Promise.all(
          this.threads.map((_, w) => this.ask<LevelReport>(w, { type: 'level' }, 'level-done')),
        );
        reports.forEach((r) => this.absorb(r));
        if (this.frontier() > 0) this.depth++;
      }
      this.coverage = await Promise.all(
        this.threads.map((_, w) => this.ask<CoverageReport>(w, { type: 'coverage' }, 'coverage')),
      );
      if (this.recordsGraph && this.stop() === STOP.NONE) {
        const replies = await Promise.all(
          this.threads.map((_, w) =>
            this.ask<{ type: 'graph'; worker: number; part: GraphPart }>(w, { type: 'graph' }, 'graph'),
          ),
        );
        this.graphParts = replies.map((r) => r.part);
      }
    } finally {
      clearTimeout(timer);
      clearInterval(progress);
      for (const t of this.threads) t.postMessage({ type: 'close' } satisfies ToWorker);
      await Promise.all(this.threads.map((t) => t.terminate()));
    }
    return this.finish();
  }

  private async start(): Promise<void> {
    const heapMb = Math.floor(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
    for (let w = 0; w < this.workers; w++) {
      const init: WorkerInit = {
        source: this.source,
        index: w,
        workers: this.workers,
        table: this.table.buffer,
        control: this.control.buffer as SharedArrayBuffer,
        deadlock: this.options.deadlock,
        symmetry: this.options.symmetry,
        fastEncoding: this.options.fastEncoding,
        heapLimitBytes: this.options.heapLimitBytes,
        maxStates: this.options.maxStates,
        graphLimit: this.recordsGraph ? GRAPH_LIMIT : 0,
      };
      const t = startTsWorker(workerEntry, {
        workerData: init,
        resourceLimits: { maxOldGenerationSizeMb: heapMb },
      });
      t.on('message', (m: FromWorker) => this.receive(w, m));
      t.on('error', (e) => this.fail(e));
      this.threads.push(t);
    }
    await Promise.all(this.threads.map((_, w) => this.expect<FromWorker>(w, 'ready')));
    for (let a = 0; a < this.workers; a++) {
      for (let b = a + 1; b < this.workers; b++) {
        const { port1, port2 } = new MessageChannel();
        this.threads[a].postMessage({ type: 'peer', worker: b, port: port1 } satisfies ToWorker, [port1]);
        this.threads[b].postMessage({ type: 'peer', worker: a, port: port2 } satisfies ToWorker, [port2]);
      }
    }
  }

  private failure: ((e: unknown) => void)[] = [];
  private fail(e: unknown): void {
    for (const reject of this.failure.splice(0)) reject(e);
  }

  private receive(w: number, m: FromWorker): void {
    if (m.type === 'chunk') {
      this.chunks[w].push(m.chunk);
      return;
    }
    const key = `${w}:${m.type}`;
    const resolve = this.pending.get(key);
    if (resolve) {
      this.pending.delete(key);
      resolve(m);
    }
  }

  private expect<M extends FromWorker>(w: number, type: FromWorker['type']): Promise<M> {
    return new Promise<M>((resolve, reject) => {
      this.pending.set(`${w}:${type}`, resolve as (m: FromWorker) => void);
      this.failure.push(reject);
    });
  }

  private ask<M extends FromWorker>(w: number, msg: ToWorker, reply: FromWorker['type']): Promise<M> {
    const answer = this.expect<M>(w, reply);
    this.threads[w].postMessage(msg);
    return answer;
  }

  private stop(): number {
    return Atomics.load(this.control, CONTROL.STOP);
  }

  private frontier(): number {
    return this.shares.reduce((a, b) => a + b, 0);
  }

  private anyViolated(): boolean {
    return this.results.some((r) => r.status === 'violated');
  }

  private absorb(r: LevelReport): void {
    this.shares[r.worker] = r.frontier;
    this.transitions += r.transitions;
    if (r.maxBranch > this.maxBranch) this.maxBranch = r.maxBranch;
    if (r.initialIndices) this.initialIndices = r.initialIndices;
    for (const v of r.violations) {
      if (!this.results[v.property].trace) decide(this.results[v.property], this.traceTo(v.ref, v.action));
    }
  }

  /** Moves states from workers above their fair share to those below it. */
  private async rebalance(): Promise<void> {
    const fair = this.frontier() / this.workers;
    const spread = Math.max(...this.shares) - Math.min(...this.shares);
    if (spread <= Math.max(64, IMBALANCE * fair)) return;
    const target = this.shares.map(
      (_, w) => Math.floor(this.frontier() / this.workers) + (w < this.frontier() % this.workers ? 1 : 0),
    );
    const surplus = this.shares.map((n, w) => n - target[w]);
    const gives: { to: number; count: number }[][] = this.shares.map(() => []);
    const receiveFrom = new Array(this.workers).fill(0);
    for (let from = 0; from < this.workers; from++) {
      for (let to = 0; to < this.workers && surplus[from] > 0; to++) {
        if (surplus[to] >= 0) continue;
        const count = Math.min(surplus[from], -surplus[to]);
        gives[from].push({ to, count });
        surplus[from] -= count;
        surplus[to] += count;
        receiveFrom[to]++;
      }
    }
    const done = await Promise.all(
      this.threads.map((_, w) =>
        this.ask<{ type: 'rebalanced'; worker: number; frontier: number }>(
          w,
          { type: 'rebalance', give: gives[w], receiveFrom: receiveFrom[w] },
          'rebalanced',
        ),
      ),
    );
    for (const d of done) this.shares[d.worker] = d.frontier;
  }

  /** Grows the shared table, between levels, to hold the worst case of the next level; the workers rehash it. */
  private async fitTable(): Promise<void> {
    const distinct = Atomics.load(this.control, CONTROL.DISTINCT);
    const worst = distinct + this.frontier() * this.maxBranch;
    if (worst <= this.table.capacity * MAX_LOAD) return;
    const old = this.table;
    this.table = SharedFingerprintTable.create(Math.ceil(worst / MAX_LOAD));
    const slice = Math.ceil(old.capacity / this.workers);
    await Promise.all(
      this.threads.map((_, w) =>
        this.ask(
          w,
          {
            type: 'table',
            buffer: this.table.buffer,
            old: old.buffer,
            from: Math.min(old.capacity, w * slice),
            to: Math.min(old.capacity, (w + 1) * slice),
          },
          'table-ready',
        ),
      ),
    );
  }

  private traceTo(stateRef: number, extraAction?: number) {
    const actions: number[] = [];
    let r = stateRef;
    for (;;) {
      const link = linkOf(this.chunks[workerOf(r)], localOf(r));
      if (link.parent === NO_PARENT) break;
      actions.push(link.action);
      r = link.parent;
    }
    actions.reverse();
    if (extraAction !== undefined) actions.push(extraAction);
    // Initial states were all inserted by worker 0, in order: its n-th state is the n-th new one.
    const wanted = this.initialIndices[localOf(r)];
    let initial: S | undefined;
    let i = 0;
    for (const s of this.model.initStates()) if (i++ === wanted) initial = s;
    return buildTrace(this.model, initial as S, actions);
  }

  private reportProgress(): void {
    const distinct = Atomics.load(this.control, CONTROL.DISTINCT);
    const elapsedMs = performance.now() - this.started;
    this.options.onProgress?.({
      distinctStates: distinct,
      queue: Math.max(0, this.frontier() - Atomics.load(this.control, CONTROL.EXPANDED)),
      depth: this.depth,
      statesPerSecond: elapsedMs > 0 ? (distinct * 1000) / elapsedMs : 0,
      elapsedMs,
    });
  }

  private finish(): CheckResult<S, A> {
    const stoppedBy = STOP_REASON[this.stop()] ?? this.stoppedBy;
    const { fingerprintOf, hasher, symmetryReduced } = fingerprinter(this.model, this.options);
    if (stoppedBy === undefined) {
      const graph = this.graphParts && assembleGraph(this.graphParts, this.initialIndices.length, GRAPH_LIMIT);
      const wanted = new Set(this.initialIndices);
      const initials = graph ? [...this.model.initStates()].filter((_, i) => wanted.has(i)) : undefined;
      decideEventually(this.model, this.results, {
        maxDepth: this.options.maxDepth ?? Number.POSITIVE_INFINITY,
        fingerprintOf,
        hasher,
        graph,
        initials,
      });
    }
    const coverage = mergeCoverage(this.coverage);
    const chunkCount = this.chunks.reduce((n, c) => n + c.length, 0);
    return finishResult({
      started: this.started,
      distinct: Atomics.load(this.control, CONTROL.DISTINCT),
      transitions: this.transitions,
      initialStates: this.initialIndices.length,
      depth: this.depth,
      stoppedBy,
      properties: this.results,
      coverage: coverage.fired,
      neverFired: coverage.neverFired,
      storedBytes: this.table.buffer.byteLength + chunkCount * CHUNK_BYTES,
      symmetryReduced,
    });
  }
}
