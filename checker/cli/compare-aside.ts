/**
 * The review's comparisons (review/comparisons.ts) on one helper thread beside the checks, which
 * keep the main thread: on two cores the comparisons, which take longer than the checks, then
 * cost the review about their own time instead of adding it. The helper builds each model from
 * its spec file (a model holds functions, which cannot cross threads); the comparisons come back
 * as the plain data review.json holds, the same as made in the main thread.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTsWorker } from '../explore/worker-thread.ts';
import type { CheckOptions } from '../model.ts';
import type { ReviewComparison, ReviewComparisons } from '../review/comparisons.ts';
import { SpecError, firstLine } from './errors.ts';
import { engineOptions, type Limits, type Prepared } from './run.ts';

/** One spec's share of the designs to compare, as the helper gets it. */
export interface CompareTask {
  readonly id: string;
  /** As the user sees it, for messages; `href` is what the helper imports. */
  readonly file: string;
  readonly href: string;
  readonly designs: readonly string[];
  readonly options: CheckOptions;
}

export type CompareReply =
  | { kind: 'done'; designs: ReviewComparison[] }
  | { kind: 'error'; file: string; designs: readonly string[]; message: string };

const entry = new URL('./compare-worker.ts', import.meta.url);

/** The designs of `prepared` grouped by spec, in their order. */
export function compareTasks(prepared: readonly Prepared[], limits: Limits): CompareTask[] {
  const tasks = new Map<string, CompareTask & { designs: string[] }>();
  for (const { loaded, design } of prepared) {
    const task = tasks.get(loaded.id);
    if (task) task.designs.push(design);
    else
      tasks.set(loaded.id, {
        id: loaded.id,
        file: loaded.file,
        href: pathToFileURL(resolve(loaded.file)).href,
        designs: [design],
        options: engineOptions(loaded, limits),
      });
  }
  return [...tasks.values()];
}

/** Comparisons under way on a helper thread: their result, and how to stop them when the review fails first. */
export interface ComparingAside {
  readonly result: Promise<ReviewComparisons>;
  stop(): Promise<number>;
}

/** Starts compareRuns' work on a helper thread; the result rejects with a SpecError when a model throws. */
export function compareAside(prepared: readonly Prepared[], limits: Limits, named: string): ComparingAside {
  const thread = startTsWorker(entry, { workerData: { named, tasks: compareTasks(prepared, limits) } });
  const result = new Promise<ReviewComparisons>((done, failed) => {
    thread.once('message', (reply: CompareReply) => {
      if (reply.kind === 'done') done({ with: named, designs: reply.designs });
      else
        failed(
          new SpecError(
            `${reply.file}: design "${reply.designs.join('", "')}": the model threw during the comparison: ${reply.message} (--debug shows the stack)`,
          ),
        );
    });
    thread.once('error', (error) =>
      failed(new SpecError(`the comparisons' helper thread failed: ${firstLine(error)}`, { cause: error })),
    );
  });
  // A failure is read where the result is awaited; the thread ends either way.
  result.catch(() => {}).finally(() => thread.terminate());
  return { result, stop: () => thread.terminate() };
}
