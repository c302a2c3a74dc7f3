/**
 * `gmemcheck review [specs...]`: every design of every spec; prints the matrix and writes
 * review.md, review.html, review.json and the replayable traces. Exit 1 only when an outcome differs from
 * the spec's expectation (a violation the spec expects is the point of a buggy design).
 */
import { buildReview, type ReviewData, type ReviewFile, type ReviewInput } from '../review/data.ts';
import { renderReviewHtml } from '../review/html.ts';
import { renderReviewMarkdown } from '../review/markdown.ts';
import { renderMatrix } from '../review/matrix.ts';
import { parseCommand, positiveInteger } from './args.ts';
import { writeFiles } from './atomic.ts';
import { JOBS, REVIEW_DIR } from './defaults.ts';
import { ensureDir } from './out-dir.ts';
import { limitOptions, parseLimits, prepare } from './run.ts';
import { runAll } from './pool.ts';
import { loadSpecs } from './specs.ts';
import { countOf } from '../counts.ts';
import { toolVersion } from '../version.ts';

const options = {
  ...limitOptions,
  out: { type: 'string' },
  jobs: { type: 'string' },
} as const;

export function reviewExitCode(review: ReviewData): 0 | 1 | 3 {
  if (review.summary.differs > 0) return 1;
  if (review.summary.inconclusive > 0) return 3;
  return 0;
}

/**
 * The JSON traces, review.json, review.md and review.html, in the order they are written;
 * `outDir` is where (the page shows the replay command line of each trace).
 */
export function reviewFiles(review: ReviewData, traceFiles: readonly ReviewFile[], outDir: string): ReviewFile[] {
  return [
    ...traceFiles,
    { name: 'review.json', content: `${JSON.stringify(review, null, 2)}\n` },
    // Last, so that a review.md or review.html on disk always comes with the traces it was written with.
    { name: 'review.md', content: renderReviewMarkdown(review) },
    { name: 'review.html', content: renderReviewHtml(review, { outDir }) },
  ];
}

export async function reviewCommand(args: readonly string[]): Promise<number> {
  const { values, positionals, specsDir } = parseCommand('review', args, options, { min: 0, max: Infinity, operand: 'spec ids' });
  const limits = parseLimits(values);
  const jobs = positiveInteger(values, 'jobs') ?? JOBS;
  const out = (values.out as string | undefined) ?? REVIEW_DIR;
  // Every spec is loaded and checked for shape before the first run, and --out before that.
  const specs = await loadSpecs(specsDir, positionals);
  const prepared = specs.flatMap((loaded) => prepare(loaded));
  ensureDir(out);

  const started = performance.now();
  const runs = await runAll(prepared, limits, jobs);
  const inputs: ReviewInput[] = runs.map(({ loaded, design, model, result }) =>
    ({ specId: loaded.id, file: loaded.file, spec: loaded.spec, design, model, result }));
  const { review, traceFiles } = buildReview(inputs, toolVersion, Math.round(performance.now() - started));
  // Files first: a reader that closes stdout early (| head) must not cost the review.
  const written = writeFiles(out, reviewFiles(review, traceFiles, out));
  process.stdout.write(renderMatrix(review));
  const [json, md, html] = written.slice(-3);
  const traces = written.length - 3;
  process.stdout.write(`wrote ${md}, ${html}, ${json} and ${countOf(traces, 'trace file')}\n`);
  return reviewExitCode(review);
}
