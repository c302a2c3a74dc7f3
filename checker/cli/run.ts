/**
 * Running one design of a spec: the spec's engine options, the command line's limits on top,
 * the progress line around the run.
 */
import { resolve } from 'node:path';
import { check } from '../explore/bfs.ts';
import { checkParallel } from '../explore/parallel.ts';
import type { CheckOptions, CheckResult, Model } from '../model.ts';
import { traceFormats, type TraceFormat } from '../report/index.ts';
import { boundsText } from '../review/markdown.ts';
import { choice, positiveInteger, type OptionTypes, type Parsed } from './args.ts';
import { ensureDir } from './out-dir.ts';
import { FORMAT, WORKERS_MAX } from './defaults.ts';
import { SpecError, firstLine } from './errors.ts';
import { progressLine } from './progress.ts';
import { withBounds } from './bounds.ts';
import { buildModel, resolveSpec, type LoadedSpec } from './specs.ts';

/** What the command line may override (each undefined when not given). */
export interface Limits {
  maxDepth?: number;
  maxStates?: number;
  timeLimitMs?: number;
  workers?: number;
}

export interface DesignRun {
  readonly loaded: LoadedSpec;
  readonly design: string;
  readonly model: Model<unknown, unknown>;
  readonly result: CheckResult<unknown, unknown>;
  readonly options: CheckOptions;
}

export function engineOptions(loaded: LoadedSpec, limits: Limits): CheckOptions {
  const options: CheckOptions = { ...loaded.spec.options };
  for (const key of ['maxDepth', 'maxStates', 'timeLimitMs', 'workers'] as const) {
    if (limits[key] !== undefined) options[key] = limits[key];
  }
  return options;
}

/**
 * GMEMCHECK_PROGRESS_INTERVAL_MS shortens the progress interval (default 1000 ms), so that a test
 * on a pseudo-terminal sees the line on a run of a fraction of a second.
 */
export function progressInterval(): number | undefined {
  const ms = Number(process.env.GMEMCHECK_PROGRESS_INTERVAL_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** A design whose model is built and checked against the spec, ready to run. */
export interface Prepared {
  readonly loaded: LoadedSpec;
  readonly design: string;
  readonly model: Model<unknown, unknown>;
}

/** Builds every model first, so that a broken spec fails before anything runs or prints. */
export function prepare(loaded: LoadedSpec, designs: readonly string[] = loaded.spec.designs): Prepared[] {
  return designs.map((design) => ({ loaded, design, model: buildModel(loaded, design) }));
}

/** What `check` and `simulate` run: a spec's designs (or --design), the trace format, --out. */
export interface SpecRun {
  readonly loaded: LoadedSpec;
  readonly prepared: Prepared[];
  readonly format: TraceFormat;
  readonly out?: string;
}

/** The options startSpecRun reads: which designs, at which bounds, and how traces are printed or saved. */
export const specRunOptions = {
  design: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  bound: { type: 'string', multiple: true },
} as const satisfies OptionTypes;

/**
 * Loads the spec, builds the models of the designs to run and checks --format and --out, all
 * before anything runs; then prints the spec's heading (id, title, question, bounds).
 */
export async function startSpecRun({ values, positionals, specsDir }: Parsed): Promise<SpecRun> {
  const format: TraceFormat = choice(values, 'format', traceFormats, FORMAT);
  const out = values.out as string | undefined;
  const loaded = withBounds(await resolveSpec(specsDir, positionals[0]), values.bound as string[] | undefined);
  const { spec } = loaded;
  const design = values.design as string | undefined;
  const prepared = prepare(loaded, design === undefined ? spec.designs : [design]);
  // Refuse a bad --out before the run, not after minutes of checking.
  if (out !== undefined) ensureDir(out);
  process.stdout.write(`${loaded.id}: ${spec.title}\n  ${spec.question}\n  bounds: ${boundsText(spec.bounds)}\n`);
  return { loaded, prepared, format, ...(out !== undefined ? { out } : {}) };
}

/**
 * What the engine throws almost always comes from the model (its actions, nextState or a
 * property): one line naming the spec, the design and the run; --debug shows where.
 */
export function modelThrew(
  { loaded, design }: Pick<Prepared, 'loaded' | 'design'>,
  run: 'check' | 'simulation',
  error: unknown,
): SpecError {
  return new SpecError(
    `${loaded.file}: design "${design}": the model threw during the ${run}: ${firstLine(error)} (--debug shows the stack)`,
    { cause: error },
  );
}

/** Runs one design; `position` ("3/12") prefixes the progress line when several run in turn. */
export async function runDesign(
  { loaded, design, model }: Prepared,
  limits: Limits,
  position?: string,
): Promise<DesignRun> {
  const options = engineOptions(loaded, limits);
  const progress = progressLine(`${position ? `[${position}] ` : ''}${loaded.id} / ${design}`);
  try {
    const engine = { ...options, onProgress: progress.onProgress, progressIntervalMs: progressInterval() };
    // With workers, each thread builds its own model from the spec file (functions cannot
    // cross threads): the spec's default export, method `model`, called with the design.
    const result =
      (options.workers ?? 1) > 1
        ? await checkParallel<unknown, unknown>(
            {
              module: resolve(loaded.file),
              method: 'model',
              args: loaded.boundsOverride ? [design, loaded.boundsOverride] : [design],
            },
            engine,
          )
        : check(model, engine);
    return { loaded, design, model, result, options };
  } catch (error) {
    throw modelThrew({ loaded, design }, 'check', error);
  } finally {
    progress.done();
  }
}

/** The limits check and review take (check takes --depth too); parseLimits reads them. */
export const limitOptions = {
  'max-states': { type: 'string' },
  'time-limit': { type: 'string' },
  workers: { type: 'string' },
} as const satisfies OptionTypes;

/** The limits given on the command line (each a positive integer, or absent). */
export function parseLimits(values: Parsed['values']): Limits {
  const timeLimit = positiveInteger(values, 'time-limit');
  return {
    maxDepth: positiveInteger(values, 'depth'),
    maxStates: positiveInteger(values, 'max-states'),
    timeLimitMs: timeLimit === undefined ? undefined : timeLimit * 1000,
    workers: positiveInteger(values, 'workers', { max: WORKERS_MAX }),
  };
}
