/**
 * Counterexamples as regression tests: `gmemcheck export-test <trace.json>` and
 * `gmemcheck check <spec> --format vitest` write `<spec>.<design>.<property>.test.ts` (see
 * report/vitest.ts) into --out, by default test/regressions/, where the project's vitest finds
 * it. Before writing, the trace is replayed on today's model (it must still break the property
 * at its last step) and the fixed design is checked (it must keep the property at the same
 * bounds), so a test is never born failing.
 */
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../explore/bfs.ts';
import type { Model, PropertyResult } from '../model.ts';
import { brokenSteps } from '../regression.ts';
import { threadAndAction, threadOrActor } from '../report/verdict.ts';
import { renderVitest } from '../report/vitest.ts';
import { traceBaseName } from '../review/names.ts';
import type { SpecBounds } from '../spec.ts';
import { toolVersion } from '../version.ts';
import { parseCommand } from './args.ts';
import { atBounds } from './bounds.ts';
import { REGRESSIONS_DIR } from './defaults.ts';
import { UsageError } from './errors.ts';
import { ensureDir } from './out-dir.ts';
import { readTrace } from './replay.ts';
import { buildModel, resolveSpec, type LoadedSpec } from './specs.ts';
import { writeTraceFiles } from './trace-files.ts';

const checkerDir = fileURLToPath(new URL('..', import.meta.url));

/** `to`, relative to `fromDir`, as an import path (`./x`, `../x`, forward slashes). */
function importPath(fromDir: string, to: string): string {
  const path = relative(resolve(fromDir), resolve(to)).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * The design named with --fixed, or else the spec's first design other than `buggy` that keeps
 * `property` at the spec's bounds; either is checked to keep it.
 */
export function fixedDesign(loaded: LoadedSpec, buggy: string, property: string, named: string | undefined): string {
  const candidates = named !== undefined ? [named] : loaded.spec.designs.filter((d) => d !== buggy);
  for (const design of candidates) {
    const result = check(buildModel(loaded, design), { ...loaded.spec.options });
    const status = result.properties.find((p) => p.name === property)?.status;
    if (result.complete && status === 'holds') return design;
    if (named !== undefined) {
      throw new UsageError(
        `--fixed ${named} does not keep ${property} at these bounds (${result.complete ? status : 'the check did not complete'}); name a design that keeps it`,
      );
    }
  }
  throw new UsageError(
    `no other design of spec "${loaded.id}" keeps ${property} at these bounds; name one with --fixed DESIGN`,
  );
}

/** One violated property's trace as a test file named for --out. */
export function regressionTest(
  loaded: LoadedSpec,
  design: string,
  model: Model<unknown, unknown>,
  result: PropertyResult<unknown, unknown>,
  out: string,
  fixed: string | undefined,
  source?: string,
): { name: string; content: string } {
  const trace = result.trace;
  if (result.status !== 'violated' || !trace) {
    throw new UsageError(
      `${result.name} is ${result.status} in this trace: a regression test is written from a violation`,
    );
  }
  const steps = trace.steps
    .slice(1)
    .map(({ action }) => ({ text: threadAndAction(model, action, threadOrActor(model, action)), action }));
  const replayed = brokenSteps(
    model,
    result.name,
    steps.map((s) => s.action),
    trace.loopsBackTo,
  );
  const last = steps.length;
  if (replayed.replayed !== last || replayed.broken.join() !== String(last)) {
    const why =
      replayed.reason ??
      `${result.name} is broken at step${replayed.broken.length === 1 ? '' : 's'} [${replayed.broken.join(', ')}], not at step ${last} alone`;
    throw new UsageError(
      `the trace no longer reproduces on ${model.name}: ${why} (check the spec again for a fresh counterexample)`,
    );
  }
  const content = renderVitest({
    toolVersion,
    specId: loaded.id,
    specImport: importPath(out, loaded.file),
    checkerImport: importPath(out, checkerDir).replace(/\/$/, ''),
    design,
    fixed: fixedDesign(loaded, design, result.name, fixed),
    property: result.name,
    propertyKind: result.kind,
    bounds: loaded.spec.bounds,
    steps,
    ...(trace.loopsBackTo !== undefined && { loopsBackTo: trace.loopsBackTo }),
    ...(source !== undefined && { source }),
  });
  return { name: `${traceBaseName(loaded.id, design, result.name)}.test.ts`, content };
}

const options = {
  fixed: { type: 'string' },
  out: { type: 'string' },
} as const;

export async function exportTestCommand(args: readonly string[]): Promise<number> {
  const { values, positionals, specsDir } = parseCommand('export-test', args, options, {
    min: 1,
    max: 1,
    operand: 'a trace file (.json or .itf.json)',
  });
  const file = positionals[0];
  const out = (values.out as string | undefined) ?? REGRESSIONS_DIR;
  const saved = readTrace(file);
  if (!saved.spec || !saved.design) {
    throw new UsageError(
      `${file} names no ${saved.spec ? 'design' : 'spec'}: export a trace written by check --out or review`,
    );
  }
  if (saved.status !== undefined && saved.status !== 'violated') {
    throw new UsageError(
      `${file} is a ${saved.status} ${saved.property}: a regression test is written from a violation`,
    );
  }
  const found = await resolveSpec(specsDir, saved.spec);
  const loaded =
    saved.bounds !== undefined && found.spec.boundsOverridable ? atBounds(found, saved.bounds as SpecBounds) : found;
  const model = buildModel(loaded, saved.design);
  ensureDir(out);
  const steps = saved.states.map((state, i) => ({ state, action: i === 0 ? null : saved.actions[i - 1] }));
  const result: PropertyResult<unknown, unknown> = {
    name: saved.property,
    kind: saved.propertyKind as PropertyResult<unknown, unknown>['kind'],
    status: 'violated',
    trace: { steps, ...(saved.loopsBackTo !== undefined && { loopsBackTo: saved.loopsBackTo }) },
  };
  writeTraceFiles(out, [
    regressionTest(loaded, saved.design, model, result, out, values.fixed as string | undefined, file),
  ]);
  return 0;
}
