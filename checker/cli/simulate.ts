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
import { parseCommand, positiveInteger, randomSeed, seedOption } from './args.ts';
import { STEPS, STEPS_MAX, WALKS } from './defaults.ts';
import { simulateProgressLine } from './progress.ts';
import { modelThrew, progressInterval, specRunOptions, startSpecRun, type Prepared } from './run.ts';
import { printOutcomes, writeTraceFiles } from './trace-files.ts';
import { count, countOf, stepsText } from '../counts.ts';

const options = {
  ...specRunOptions,
  walks: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  'time-limit': { type: 'string' },
} as const;

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
    throw modelThrew(one, 'simulation', error);
  } finally {
    progress.done();
  }
}

/** `violated (8 steps)`, `no counterexample in 1,000 walks`; a ✗ where the spec expects it to hold. */
function outcomeText(result: PropertyResult<unknown, unknown>, walks: number, expected: string): string {
  const steps = result.trace ? stepsText(result.trace.steps.length - 1) : '';
  switch (result.status) {
    case 'violated':
      // A violation the bounded check does not find: the walks went past its bound.
      return expected === 'violated' ? `violated (${steps})` : `✗ violated (${steps}; the spec expects ${expected})`;
    case 'satisfied':
      return `witnessed (${steps})`;
    case 'holds':
      return `no counterexample in ${countOf(walks, 'walk')}`;
    case 'unsatisfied':
      return `not witnessed in ${countOf(walks, 'walk')}`;
  }
}

/** `1,000 walks, 537 walks/s, deepest state reached after 22 steps (1.86 s)` and why it stopped early. */
function statsLine(result: SimulateResult<unknown, unknown>, budget: number): string {
  const shrink = result.shrinkWalks > 0 ? ` (and ${count(result.shrinkWalks)} to shrink)` : '';
  const stopped =
    result.stoppedBy === 'timeLimit'
      ? '; stopped by the time limit'
      : result.walks < budget
        ? '; stopped early: every property has its verdict'
        : '';
  return (
    `${countOf(result.walks, 'walk')}${shrink}, ${count(result.walksPerSecond)} walks/s, ` +
    `deepest state reached after ${stepsText(result.deepest)} (${(result.elapsedMs / 1000).toFixed(2)} s${stopped})`
  );
}

export async function simulateCommand(args: readonly string[]): Promise<number> {
  const parsed = parseCommand('simulate', args, options, {
    min: 1,
    max: 1,
    operand: 'a spec (an id from gmemcheck list)',
  });
  const { values } = parsed;
  const timeLimit = positiveInteger(values, 'time-limit');
  const settings: Settings = {
    walks: positiveInteger(values, 'walks') ?? WALKS,
    maxSteps:
      positiveInteger(values, 'steps', { max: STEPS_MAX, why: 'each walk draws one choice per step up front' }) ??
      STEPS,
    // Drawn here rather than by simulate, so that every design runs on the same one.
    seed: seedOption(values) ?? randomSeed(),
    ...(timeLimit !== undefined ? { timeLimitMs: timeLimit * 1000 } : {}),
  };
  const { loaded, prepared, format, out } = await startSpecRun(parsed);
  const { spec } = loaded;
  const print = (text = '') => process.stdout.write(`${text}\n`);
  print(
    `  simulation: ${countOf(settings.walks, 'random walk')} of at most ${stepsText(settings.maxSteps)} per design, seed ${settings.seed}`,
  );

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
    print(
      `${countOf(unexpected, 'violation')} the spec does not expect (marked ✗): the walks reached what the bounded check does not; replay the trace, then widen the spec's bounds.`,
    );
  }
  print(
    `Simulation is not exhaustive: "no counterexample" means no walk found one, not that the property holds (gmemcheck check proves it within the bounds). Rerun with --seed ${settings.seed} to repeat this run.`,
  );
  writeTraceFiles(out, files);
  return violated ? 1 : 0;
}
