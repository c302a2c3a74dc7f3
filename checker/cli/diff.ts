/**
 * `gmemcheck diff <spec> --from D --to D`: the behaviours (views of reachable states) one design
 * reaches and the other does not, each new fact set with its shortest trace. Exit 0 when they
 * reach the same behaviours, 1 when they differ, 2 on bad input, 3 when a limit stopped a search
 * before its bounded space was covered (and they did not differ on the part seen).
 */
import { compareDesigns, SHOWN_SETS } from '../diff/compare.ts';
import { renderComparisonText } from '../diff/render.ts';
import { boundsText } from '../review/markdown.ts';
import { parseCommand, positiveInteger } from './args.ts';
import { withBounds } from './bounds.ts';
import { UsageError } from './errors.ts';
import { engineOptions, limitOptions, modelThrew, parseLimits } from './run.ts';
import { buildModel, resolveSpec } from './specs.ts';

const options = {
  from: { type: 'string' },
  to: { type: 'string' },
  show: { type: 'string' },
  ignore: { type: 'string', multiple: true },
  bound: { type: 'string', multiple: true },
  depth: { type: 'string' },
  ...limitOptions,
} as const;

/** --ignore REGEX...: a key matching any is left out of both sides' views; a bad one is bad input. */
function ignoredKeys(patterns: readonly string[]): ((key: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const regexes = patterns.map((p) => {
    try {
      return new RegExp(p);
    } catch (error) {
      throw new UsageError(
        `--ignore ${p}: not a regular expression (${(error as Error).message}); e.g. --ignore '^CPU'`,
      );
    }
  });
  return (key) => regexes.some((r) => r.test(key));
}

export async function diffCommand(args: readonly string[]): Promise<number> {
  const parsed = parseCommand('diff', args, options, { min: 1, max: 1, operand: 'a spec (an id from gmemcheck list)' });
  const { values, positionals, specsDir } = parsed;
  const shown = values.show === '0' ? 0 : (positiveInteger(values, 'show') ?? SHOWN_SETS);
  const ignored = ignoredKeys((values.ignore as string[] | undefined) ?? []);
  const limits = parseLimits(values);
  const loaded = withBounds(await resolveSpec(specsDir, positionals[0]), values.bound as string[] | undefined);
  const { spec } = loaded;
  const design = (option: 'from' | 'to'): string => {
    const name = values[option] as string | undefined;
    if (name === undefined)
      throw new UsageError(`diff needs --${option} DESIGN (designs of ${loaded.id}: ${spec.designs.join(', ')})`);
    return name;
  };
  const from = design('from');
  const to = design('to');
  const fromModel = buildModel(loaded, from);
  const toModel = buildModel(loaded, to);
  process.stdout.write(`${loaded.id}: ${spec.title}\n  bounds: ${boundsText(spec.bounds)}\n\n`);
  // The engine's one-thread search: the diff walks every state twice (views, then traces).
  const engine = { ...engineOptions(loaded, limits), workers: undefined };
  let comparison;
  try {
    comparison = compareDesigns(
      { design: from, model: fromModel },
      { design: to, model: toModel },
      engine,
      shown,
      undefined,
      ignored,
    );
  } catch (error) {
    throw modelThrew({ loaded, design: `${from}" or "${to}` }, 'check', error);
  }
  process.stdout.write(renderComparisonText(comparison));
  if (!comparison.equal) return 1;
  return comparison.complete ? 0 : 3;
}
