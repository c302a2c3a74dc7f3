/**
 * `gmemcheck replay <trace>`: reads a saved JSON or ITF trace, rebuilds the model of the spec
 * and design it names, and says whether the trace still reproduces.
 */
import { readFileSync } from 'node:fs';
import { parseSavedTrace, replaySaved, TraceFileError, type SavedTrace } from '../report/index.ts';
import { parseCommand } from './args.ts';
import { UsageError } from './errors.ts';
import type { Spec } from '../spec.ts';
import { atBounds } from './bounds.ts';
import { buildModel, resolveSpec } from './specs.ts';

export function readTrace(file: string): SavedTrace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(
      `cannot read trace "${file}": ${why} (pass a .json or .itf.json file written by check --out or review)`,
      { cause: error },
    );
  }
  try {
    return parseSavedTrace(text, file);
  } catch (error) {
    if (error instanceof TraceFileError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** JSON with object keys sorted, so that equal bounds read equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export async function replayCommand(args: readonly string[]): Promise<number> {
  const { positionals, specsDir } = parseCommand(
    'replay',
    args,
    {},
    { min: 1, max: 1, operand: 'a trace file (.json or .itf.json)' },
  );
  const file = positionals[0];
  const saved = readTrace(file);
  if (!saved.spec) {
    throw new UsageError(
      `${file} names no spec, so there is no model to replay it on (replay traces written by check --out or review)`,
    );
  }
  const loaded = await resolveSpec(specsDir, saved.spec);
  const design = saved.design ?? (loaded.spec.designs.length === 1 ? loaded.spec.designs[0] : undefined);
  if (design === undefined) {
    throw new UsageError(
      `${file} names no design and spec "${loaded.id}" has several (${loaded.spec.designs.join(', ')}); add "design" to the trace`,
    );
  }
  // A trace saved at other bounds (by --bound, or before the spec changed) replays at them
  // where the spec takes bounds; elsewhere it replays on a different model: say so first.
  const otherBounds = saved.bounds !== undefined && canonical(saved.bounds) !== canonical(loaded.spec.bounds);
  const atSaved = otherBounds && loaded.spec.boundsOverridable === true;
  if (otherBounds) {
    process.stdout.write(
      atSaved
        ? `note: replaying at the trace's bounds ${canonical(saved.bounds)} (spec "${loaded.id}" has ${canonical(loaded.spec.bounds)})\n`
        : `note: the trace was saved at bounds ${canonical(saved.bounds)}; spec "${loaded.id}" now has ${canonical(loaded.spec.bounds)}\n`,
    );
  }
  const model = buildModel(atSaved ? atBounds(loaded, saved.bounds as Spec['bounds']) : loaded, design);
  const outcome = replaySaved(model, saved);
  // The message names the property, the trace, the model and, when it fails, the step.
  process.stdout.write(`${outcome.message}\n`);
  return outcome.reproduces ? 0 : 1;
}
