/**
 * `gmemcheck simulate <spec>`: random walks on each design's model, far deeper than the
 * breadth-first bound, each failing walk shrunk to a short trace. A violation it finds is
 * real (its trace replays); a property no walk contradicted is only that: simulation proves
 * nothing, so the output says `no counterexample in N walks`, never `holds`.
 *
 * Exit codes as check's: 0 no walk contradicted a property, 1 a property violated, 2 bad input.
 * A witness no walk reached is not a failure here (a complete check can say it is missing,
 * a sample cannot), and a time limit ends the run without making it inconclusive: a
 * simulation is never complete.
 */
import type { Model, PropertyResult } from '../model.ts';
import { simulate, type SimulateResult } from '../simulate.ts';
import { parseCommand, positiveInteger, seedOption } from './args.ts';
import { writeFiles } from './atomic.ts';
import { SpecError, UsageError, firstLine } from './errors.ts';
import { simulateProgressLine } from './progress.ts';
import { progressInterval, startSpecRun, type Prepared } from './run.ts';
import { printOutcomes } from './trace-files.ts';
import { usage } from './usage.ts';
import { count } from '../review/wording.ts';

const options = {
  design: { type: 'string' },
  walks: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  'time-limit': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  bound: { type: 'string', multiple: true },
} as const;

const DEFAULT_WALKS = 1000;
const DEFAULT_STEPS = 1000;
/** simulate draws a walk's choices up front, one per step: past this, memory and shrinking suffer. */
const STEPS_MAX = 100_000;

const plural = (n: number, one: string) => `${count(n)} ${one}${n === 1 ? '' : 's'}`;

interface Settings {
  walks: number;
  maxSteps: number;
  seed: number;
  timeLimitMs?: number;
}

/**
 * The model with only the spec's properties: a walk ends at its first event, and fast-check
 * shrinks every event it finds, so properties the spec does not report would only cost time.
 * The rest of the model (its formatting hooks, `explain`) is inherited as it is.
 */
function withSpecProperties({ loaded, model }: Prepared): Model<unknown, unknown> {
  const properties = model.properties.filter((p) => loaded.spec.properties.includes(p.name));
  return Object.create(model, { properties: { value: properties } }) as Model<unknown, unknown>;
}

function runSimulation(one: Prepared, settings: Settings): SimulateResult<unknown, unknown> {
  const { loaded, design } = one;
  const progress = simulateProgressLine(`${loaded.id} / ${design}`);
  try {
    return simulate(withSpecProperties(one), {
      ...settings,
      deadlock: loaded.spec.options?.deadlock === true,
      onProgress: progress.onProgress,
      progressIntervalMs: progressInterval(),
    });
  } catch (error) {
    throw new SpecError(`${loaded.file}: design "${design}": the model threw during the simulation: ${firstLine(error)} (--debug shows the stack)`, { cause: error });
  } finally {
    progress.done();
  }
}

/** `violated (8 steps)`, `no counterexample in 1,000 walks`; a ✗ where the spec expects it to hold. */
function outcomeText(result: PropertyResult<unknown, unknown>, walks: number, expected: string): string {
  const steps = result.trace ? plural(result.trace.steps.length - 1, 'step') : '';
  switch (result.status) {
    case 'violated':
      // A violation the bounded check does not find: the walks went past its bound.
      return expected === 'violated' ? `violated (${steps})` : `✗ violated (${steps}; the spec expects ${expected})`;
    case 'satisfied':
      return `witnessed (${steps})`;
    case 'holds':
      return `no counterexample in ${plural(walks, 'walk')}`;
    case 'unsatisfied':
      return `not witnessed in ${plural(walks, 'walk')}`;
  }
}

/** `1,000 walks, 537 walks/s, deepest state reached after 22 steps (1.86 s)` and why it stopped early. */
function statsLine(result: SimulateResult<unknown, unknown>, budget: number): string {
  const shrink = result.shrinkWalks > 0 ? ` (and ${count(result.shrinkWalks)} to shrink)` : '';
  const stopped = result.stoppedBy === 'timeLimit' ? '; stopped by the time limit'
    : result.walks < budget ? '; stopped early: every property has its verdict' : '';
  return `${plural(result.walks, 'walk')}${shrink}, ${count(result.walksPerSecond)} walks/s, ` +
    `deepest state reached after ${plural(result.deepest, 'step')} (${(result.elapsedMs / 1000).toFixed(2)} s${stopped})`;
}

function maxSteps(steps: number | undefined): number {
  if (steps !== undefined && steps > STEPS_MAX) {
    throw new UsageError(`--steps must be at most ${STEPS_MAX}, got ${steps} (each walk draws one choice per step up front; e.g. --steps ${DEFAULT_STEPS})`);
  }
  return steps ?? DEFAULT_STEPS;
}

export async function simulateCommand(args: readonly string[]): Promise<number> {
  const parsed = parseCommand('simulate', args, options, { min: 1, max: 1, operand: 'a spec (an id from gmemcheck list)' });
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${usage.simulate}\n`);
    return 0;
  }
  const timeLimit = positiveInteger(values, 'time-limit');
  const settings: Settings = {
    walks: positiveInteger(values, 'walks') ?? DEFAULT_WALKS,
    maxSteps: maxSteps(positiveInteger(values, 'steps')),
    // Drawn here rather than by simulate, so that every design runs on the same one.
    seed: seedOption(values) ?? Math.floor(Math.random() * 0x7fffffff),
    ...(timeLimit !== undefined ? { timeLimitMs: timeLimit * 1000 } : {}),
  };
  const { loaded, prepared, format, out } = await startSpecRun(parsed);
  const { spec } = loaded;
  const print = (text = '') => process.stdout.write(`${text}\n`);
  print(`  simulation: ${plural(settings.walks, 'random walk')} of at most ${plural(settings.maxSteps, 'step')} per design, seed ${settings.seed}`);

  let violated = false;
  let unexpected = 0;
  const files: { name: string; content: string }[] = [];
  for (const one of prepared) {
    const result = runSimulation(one, settings);
    print();
    print(`design ${one.design} (model ${one.model.name})`);
    print(`  ${statsLine(result, settings.walks)}`);
    const rows = spec.properties.map((name) => {
      const found = result.properties.find((p) => p.name === name);
      // buildModel checked every spec property against the model, deadlock included.
      if (!found) throw new Error(`the simulation has no result for property "${name}"`);
      if (found.status === 'violated') violated = true;
      const text = outcomeText(found, result.walks, spec.expected[one.design][name]);
      if (text.startsWith('✗')) unexpected++;
      return { property: name, text };
    });
    printOutcomes({ format, out }, one, rows, result.properties, files);
  }
  print();
  if (unexpected > 0) {
    print(`${plural(unexpected, 'violation')} the spec does not expect (marked ✗): the walks reached what the bounded check does not; replay the trace, then widen the spec's bounds.`);
  }
  print(`Simulation is not exhaustive: "no counterexample" means no walk found one, not that the property holds (gmemcheck check proves it within the bounds). Rerun with --seed ${settings.seed} to repeat this run.`);
  if (out !== undefined) for (const path of writeFiles(out, files)) print(`wrote ${path}`);
  return violated ? 1 : 0;
}
