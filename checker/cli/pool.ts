/**
 * Running many designs at once (`review --jobs N`, N > 1): N helper threads each take the next waiting
 * design whenever they are idle, while the main thread only hands out work and shows progress.
 * The results land in their own slots, so the review is the same whatever ran where (`check` is
 * deterministic, so even the traces are).
 *
 * Helpers take a second or so to start (tsx and the model load in each): until the first is
 * ready the main thread runs designs itself, so a review of small models never waits for them.
 */
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../explore/worker-thread.ts';
import type { CheckOptions, CheckResult, Progress } from '../model.ts';
import { SpecError, firstLine } from './errors.ts';
import { formatProgress, statusLine } from './progress.ts';
import { engineOptions, progressInterval, runDesign, type DesignRun, type Limits, type Prepared } from './run.ts';

export interface PoolRequest {
  id: number;
  file: string;
  design: string;
  options: CheckOptions;
  /** Post progress about this often (ms), or never when absent. */
  progressIntervalMs?: number;
}

export type PoolReply =
  | { kind: 'ready' }
  | { kind: 'progress'; id: number; progress: Progress }
  | { kind: 'result'; id: number; result: CheckResult<unknown, unknown> }
  | { kind: 'error'; id: number; error: { name: string; message: string; stack?: string } };

const helperEntry = new URL('./pool-worker.ts', import.meta.url);

class Helper {
  ready = false;
  busy = false;
  private readonly thread: Worker;
  private waiting?: { resolve: (r: CheckResult<unknown, unknown>) => void; reject: (e: Error) => void };

  constructor(private readonly events: { idle(): void; progress(id: number, p: Progress): void }) {
    this.thread = startTsWorker(helperEntry);
    this.thread.on('message', (reply: PoolReply) => this.receive(reply));
    // A helper that fails to start is dropped: the others (or the main thread) do its share.
    this.thread.on('error', (error) => this.fail(error));
  }

  run(request: PoolRequest): Promise<CheckResult<unknown, unknown>> {
    this.busy = true;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.thread.postMessage(request);
    });
  }

  private receive(reply: PoolReply): void {
    switch (reply.kind) {
      case 'ready':
        this.ready = true;
        break;
      case 'progress':
        this.events.progress(reply.id, reply.progress);
        return;
      case 'result':
        this.settle().resolve(reply.result);
        break;
      case 'error':
        this.settle().reject(
          Object.assign(new Error(reply.error.message), { name: reply.error.name, stack: reply.error.stack }),
        );
        break;
    }
    this.events.idle();
  }

  private settle() {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.busy = false;
    return waiting ?? { resolve() {}, reject() {} };
  }

  private fail(error: Error): void {
    this.ready = false;
    this.settle().reject(error);
    this.events.idle();
  }

  stop(): Promise<number> {
    this.ready = false;
    return this.thread.terminate();
  }
}

/** Runs every prepared design, `jobs` at a time; the results in the order given. */
export async function runAll(prepared: readonly Prepared[], limits: Limits, jobs: number): Promise<DesignRun[]> {
  const runs: DesignRun[] = new Array(prepared.length);
  const total = prepared.length;
  const position = (i: number) => `${i + 1}/${total}`;
  if (jobs <= 1 || total <= 1) {
    for (const [i, one] of prepared.entries()) runs[i] = await runDesign(one, limits, position(i));
    return runs;
  }

  let next = 0;
  let finished = 0;
  let failure: Error | undefined;
  const inFlight = new Set<Promise<void>>();
  const latest = new Map<number, Progress>();
  const line = statusLine();
  const showProgress = () => {
    const parts = [...latest].map(([i, p]) => formatProgress(`${prepared[i].loaded.id} / ${prepared[i].design}`, p));
    line?.show(`[${finished}/${total} done] ${parts.join('; ')}`);
  };
  let wake: (() => void) | undefined;
  const feed = () => {
    for (const helper of helpers) {
      if (!helper.ready || helper.busy || next >= total || failure) continue;
      const i = next++;
      const { loaded, design, model } = prepared[i];
      const options = engineOptions(loaded, limits);
      const request = {
        id: i,
        file: resolve(loaded.file),
        design,
        options,
        progressIntervalMs: line ? (progressInterval() ?? 1000) : undefined,
      };
      const done: Promise<void> = helper
        .run(request)
        .then(
          (result) => {
            runs[i] = { loaded, design, model, result, options };
          },
          (error: Error) => {
            failure ??= new SpecError(
              `${loaded.file}: design "${design}": the model threw during the check: ${firstLine(error)} (--debug shows the stack)`,
              { cause: error },
            );
          },
        )
        .finally(() => {
          inFlight.delete(done);
          latest.delete(i);
          finished++;
        });
      inFlight.add(done);
    }
  };
  const events = {
    idle() {
      feed();
      wake?.();
    },
    progress(id: number, p: Progress) {
      latest.set(id, p);
      showProgress();
    },
  };
  // GMEMCHECK_JOBS_HELPERS_ONLY=1 keeps the main thread out of the work, so that a test on small
  // models exercises the helpers (they would otherwise start after the main thread finished).
  const helpersOnly = process.env.GMEMCHECK_JOBS_HELPERS_ONLY === '1';
  const helpers: Helper[] = Array.from({ length: jobs }, () => new Helper(events));
  try {
    while (next < total && !failure) {
      feed();
      if (next >= total) break;
      if (helpersOnly || helpers.some((h) => h.ready)) {
        // Every ready helper is busy: wait until one is idle (or another becomes ready).
        await new Promise<void>((r) => {
          wake = r;
        });
        continue;
      }
      // No helper is ready yet: the main thread runs the next design itself.
      const i = next++;
      runs[i] = await runDesign(prepared[i], limits, position(i));
      finished++;
      // `check` holds the thread: let the helpers' messages in before taking the next design.
      await new Promise((r) => setImmediate(r));
    }
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (failure) throw failure;
    return runs;
  } finally {
    line?.done();
    await Promise.all(helpers.map((h) => h.stop()));
  }
}
