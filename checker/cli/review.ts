/**
 * `gmemcheck review [specs...]`: every design of every spec; prints the matrix and writes
 * review.md, review.html, review.json and the replayable traces. Exit 1 only when an outcome differs from
 * the spec's expectation (a violation the spec expects is the point of a buggy design).
 */
import type { ReviewComparisons } from '../review/comparisons.ts';
import { buildReview, type ReviewData, type ReviewFile, type ReviewInput } from '../review/data.ts';
import { shardText, shareOf } from '../review/shard.ts';
import { renderReviewHtml } from '../review/html.ts';
import { renderReviewMarkdown } from '../review/markdown.ts';
import { renderMatrix } from '../review/matrix.ts';
import { parseCommand, positiveInteger } from './args.ts';
import { writeFiles } from './atomic.ts';
import { COMPARE_ASIDE_FROM, COMPARE_WITH, JOBS, REVIEW_DIR } from './defaults.ts';
import { compareAside } from './compare-aside.ts';
import { ensureDir } from './out-dir.ts';
import { UsageError } from './errors.ts';
import { limitOptions, parseLimits, prepare, type DesignRun } from './run.ts';
import { runAll } from './pool.ts';
import { compareRuns, mergeParts, shardOption, writePart } from './review-parts.ts';
import { loadSpecs } from './specs.ts';
import { countOf } from '../counts.ts';
import { toolVersion } from '../version.ts';

const options = {
  ...limitOptions,
  out: { type: 'string' },
  jobs: { type: 'string' },
  shard: { type: 'string' },
  merge: { type: 'boolean' },
  'no-compare': { type: 'boolean' },
  'compare-with': { type: 'string' },
} as const;

export function reviewExitCode(review: ReviewData): 0 | 1 | 3 {
  if (review.summary.differs > 0) return 1;
  if (review.summary.inconclusive > 0) return 3;
  return 0;
}

/**
 * The JSON traces, review.json, review.md and review.html, in the order they are written;
 * `outDir` is where (the page shows the replay command line of each trace). With `comparisons`,
 * the three hold their section.
 */
export function reviewFiles(
  built: ReviewData,
  traceFiles: readonly ReviewFile[],
  outDir: string,
  comparisons?: ReviewComparisons,
): ReviewFile[] {
  const review = comparisons ? { ...built, comparisons } : built;
  return [
    ...traceFiles,
    { name: 'review.json', content: `${JSON.stringify(review, null, 2)}\n` },
    // Last, so that a review.md or review.html on disk always comes with the traces it was written with.
    { name: 'review.md', content: renderReviewMarkdown(review) },
    { name: 'review.html', content: renderReviewHtml(review, { outDir }) },
  ];
}

/** The design to compare with (--compare-with, default COMPARE_WITH), or none with --no-compare. */
function compareWith(values: Record<string, unknown>): string | undefined {
  const named = values['compare-with'] as string | undefined;
  if (values['no-compare']) {
    if (named !== undefined) throw new UsageError('--no-compare and --compare-with do not go together: drop one');
    return undefined;
  }
  if (named === '') throw new UsageError('--compare-with needs a design name (e.g. --compare-with upstream)');
  return named ?? COMPARE_WITH;
}

export async function reviewCommand(args: readonly string[]): Promise<number> {
  const { values, positionals, specsDir } = parseCommand('review', args, options, {
    min: 0,
    max: Infinity,
    operand: 'spec ids',
  });
  const limits = parseLimits(values);
  const jobs = positiveInteger(values, 'jobs') ?? JOBS;
  const out = (values.out as string | undefined) ?? REVIEW_DIR;
  if (values.merge) {
    if (values['no-compare'] || values['compare-with'] !== undefined)
      throw new UsageError(
        '--merge takes the comparisons the shards made: give --no-compare or --compare-with to the shards',
      );
    if (values.shard !== undefined)
      throw new UsageError('--merge and --shard do not go together: run the shards, then merge their parts');
    ensureDir(out);
    const merged = await mergeParts(positionals, values.specs as string | undefined);
    return writeReview(out, merged.inputs, merged.elapsedMs, merged.comparisons);
  }
  const named = compareWith(values);
  const shard = values.shard === undefined ? undefined : shardOption(values.shard as string);
  // Every spec is loaded and checked for shape before the first run, and --out before that.
  const specs = await loadSpecs(specsDir, positionals);
  if (values['compare-with'] !== undefined && !specs.some((l) => l.spec.designs.includes(named!))) {
    const designs = [...new Set(specs.flatMap((l) => l.spec.designs))];
    throw new UsageError(
      `--compare-with ${named}: no spec reviewed checks that design (they check ${designs.join(', ')})`,
    );
  }
  const prepared = specs.flatMap((loaded) => prepare(loaded));
  ensureDir(out);

  const started = performance.now();
  const share = shard ? shareOf(prepared, shard) : prepared;
  const aside =
    named !== undefined && (share.length >= COMPARE_ASIDE_FROM || process.env.GMEMCHECK_COMPARE_ASIDE === '1')
      ? compareAside(share, limits, named)
      : undefined;
  let runs: DesignRun[];
  try {
    runs = await runAll(share, limits, jobs);
  } catch (error) {
    await aside?.stop();
    throw error;
  }
  const comparisons = aside ? await aside.result : named === undefined ? undefined : compareRuns(share, limits, named);
  const elapsedMs = Math.round(performance.now() - started);
  if (shard) {
    const written = writePart(
      out,
      { shard, specsDir, specs: positionals, elapsedMs, ...(comparisons && { comparisons }) },
      runs,
    );
    process.stdout.write(
      `shard ${shardText(shard)}: ${countOf(runs.length, 'design run')} of ${prepared.length}; wrote ${written} (merge the parts with gmemcheck review --merge DIR...)\n`,
    );
    // The shard's own verdict, so that a CI job fails where the surprise is.
    return reviewExitCode(buildReview(inputsOf(runs), toolVersion, elapsedMs).review);
  }
  return writeReview(out, inputsOf(runs), elapsedMs, comparisons);
}

const inputsOf = (runs: readonly DesignRun[]): ReviewInput[] =>
  runs.map(({ loaded, design, model, result }) => ({
    specId: loaded.id,
    file: loaded.file,
    spec: loaded.spec,
    design,
    model,
    result,
  }));

/** Builds the review, writes its files, prints the matrix; the review's exit code. */
function writeReview(
  out: string,
  inputs: readonly ReviewInput[],
  elapsedMs: number,
  comparisons?: ReviewComparisons,
): number {
  const { review, traceFiles } = buildReview(inputs, toolVersion, elapsedMs);
  // Files first: a reader that closes stdout early (| head) must not cost the review.
  const written = writeFiles(out, reviewFiles(review, traceFiles, out, comparisons));
  process.stdout.write(renderMatrix(review));
  const [json, md, html] = written.slice(-3);
  const traces = written.length - 3;
  process.stdout.write(`wrote ${md}, ${html}, ${json} and ${countOf(traces, 'trace file')}\n`);
  return reviewExitCode(review);
}
