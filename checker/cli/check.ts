/**
 * `gmemcheck check <spec>`: every design of one spec (or --design), with the state counts, each
 * property's outcome and each counterexample. Exit code as TLC's: 1 when a property is violated
 * or a witness is missing, whatever the spec expects (`review` is the command that compares
 * with expectations); 3 when a limit stopped the run first.
 */
import type { CheckResult } from '../model.ts';
import { cellsOf, coverageText, type Cell } from '../review/cells.ts';
import { parseCommand } from './args.ts';
import { limitOptions, parseLimits, runDesign, specRunOptions, startSpecRun } from './run.ts';
import { printOutcomes, writeTraceFiles } from './trace-files.ts';
import { regressionTest } from './export-test.ts';
import { REGRESSIONS_DIR } from './defaults.ts';
import { UsageError } from './errors.ts';
import { count } from '../counts.ts';

const options = {
  ...specRunOptions,
  ...limitOptions,
  depth: { type: 'string' },
  fixed: { type: 'string' },
} as const;

export function statsLine(result: CheckResult<unknown, unknown>): string {
  const seconds = (result.elapsedMs / 1000).toFixed(2);
  return (
    `${count(result.distinctStates)} distinct states, ${count(result.transitions)} transitions, depth ${result.depth}, ` +
    `${coverageText(result)} (${seconds} s, ${count(result.statesPerSecond)} states/s; ` +
    `${result.bytesPerState.toFixed(1)} bytes/state)`
  );
}

/** 0 pass, 1 a violation (final) or a witness missing (when the run was complete), 3 a limit first. */
export function checkExitCode(cells: readonly Cell[]): 0 | 1 | 3 {
  if (cells.some((c) => c.status === 'violated')) return 1;
  if (cells.some((c) => c.verdict === 'inconclusive')) return 3;
  if (cells.some((c) => c.status === 'unsatisfied')) return 1;
  return 0;
}

/** The last line: how the outcomes compare with the spec's expectation. */
export function expectationLine(cells: readonly Cell[]): string {
  const differ = cells.filter((c) => c.verdict === 'differs').length;
  const open = cells.filter((c) => c.verdict === 'inconclusive').length;
  const parts = [];
  if (differ)
    parts.push(`${differ} outcome${differ === 1 ? ' differs' : 's differ'} from the spec's expectation (marked ✗)`);
  if (open)
    parts.push(`${open} outcome${open === 1 ? ' is' : 's are'} inconclusive (marked ?): rerun with a higher limit`);
  return parts.length ? `${parts.join('; ')}.` : 'Every outcome is as the spec expects.';
}

export async function checkCommand(args: readonly string[]): Promise<number> {
  const parsed = parseCommand('check', args, options, {
    min: 1,
    max: 1,
    operand: 'a spec (an id from gmemcheck list)',
  });
  const limits = parseLimits(parsed.values);
  // --format vitest prints the violations as text and writes a regression test for each (export-test.ts).
  const tests =
    parsed.values.format === 'vitest'
      ? {
          out: (parsed.values.out as string | undefined) ?? REGRESSIONS_DIR,
          fixed: parsed.values.fixed as string | undefined,
        }
      : undefined;
  if (parsed.values.fixed !== undefined && !tests)
    throw new UsageError(
      '--fixed goes with --format vitest (the design the regression test expects to keep the property)',
    );
  const { loaded, prepared, format, out } = await startSpecRun(
    tests ? { ...parsed, values: { ...parsed.values, format: 'text', out: tests.out } } : parsed,
  );
  const { spec } = loaded;
  const print = (text = '') => process.stdout.write(`${text}\n`);

  const allCells: Cell[] = [];
  const files: { name: string; content: string }[] = [];
  for (const one of prepared) {
    const { result, model, design: name } = await runDesign(one, limits);
    const cells = cellsOf(spec, name, result);
    allCells.push(...cells);
    print();
    print(`design ${name} (model ${model.name})`);
    print(`  ${statsLine(result)}`);
    // As TLC reports it: the chance that two distinct states shared a 64-bit fingerprint.
    print(`  fingerprint collision probability ${result.collisionProbability.toExponential(1)}`);
    if (result.neverFired.length > 0)
      print(`  never fired: ${[...result.neverFired].sort().join(', ')} (part of the model these bounds do not reach)`);
    printOutcomes({ format, out: tests ? undefined : out }, one, cells, result.properties, files);
    if (tests) {
      for (const p of result.properties.filter((r) => r.status === 'violated' && spec.properties.includes(r.name))) {
        files.push(regressionTest(loaded, name, model, p, tests.out, tests.fixed));
      }
    }
  }
  print();
  print(expectationLine(allCells));
  writeTraceFiles(out, files);
  return checkExitCode(allCells);
}
