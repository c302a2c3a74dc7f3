/**
 * The review across machines: `review --shard i/n` runs its share of the cells and writes
 * DIR/review-part.json; `review --merge DIR...` reads every shard's part, rebuilds the models
 * from the same spec files and renders the review from the parts' results, as one run would
 * have (only the run times differ: the merged review's is the sum of the shards').
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specComparisons, type ReviewComparisons } from '../review/comparisons.ts';
import type { ReviewInput } from '../review/data.ts';
import { PART_FILE, parsePart, renderPart, type PartCell, type ReviewPart } from '../review/part.ts';
import { parseShard, shardText, type Shard } from '../review/shard.ts';
import { toolVersion } from '../version.ts';
import { writeFiles } from './atomic.ts';
import { UsageError } from './errors.ts';
import { engineOptions, modelThrew, prepare, type DesignRun, type Limits, type Prepared } from './run.ts';
import { buildModel, loadSpecs } from './specs.ts';

/** The value of --shard, or a UsageError. */
export function shardOption(text: string): Shard {
  const shard = parseShard(text);
  if ('error' in shard) throw new UsageError(shard.error);
  return shard;
}

/**
 * Each prepared design compared with the baseline of its spec (`named` when the spec checks it,
 * else its first design; none for the baseline itself), in the order given. The baseline's model
 * is built when `prepared` (a shard's share) lacks it.
 */
export function compareRuns(prepared: readonly Prepared[], limits: Limits, named: string): ReviewComparisons {
  const bySpec = new Map<string, Prepared[]>();
  for (const one of prepared) bySpec.set(one.loaded.id, [...(bySpec.get(one.loaded.id) ?? []), one]);
  const designs = [...bySpec.values()].flatMap((group) => {
    const { loaded } = group[0];
    const model = (d: string) => group.find((p) => p.design === d)?.model ?? buildModel(loaded, d);
    try {
      return specComparisons(
        loaded.id,
        loaded.spec,
        group.map((p) => p.design),
        named,
        model,
        engineOptions(loaded, limits),
      );
    } catch (error) {
      throw modelThrew({ loaded, design: group.map((p) => p.design).join('", "') }, 'check', error);
    }
  });
  return { with: named, designs };
}

/** Writes the shard's part to `out`; returns the path written. */
export function writePart(
  out: string,
  part: Omit<ReviewPart, 'toolVersion' | 'cells'>,
  runs: readonly DesignRun[],
): string {
  const cells: PartCell[] = runs.map(({ loaded, design, result }) => ({ spec: loaded.id, design, result }));
  return writeFiles(out, [{ name: PART_FILE, content: renderPart({ toolVersion, ...part, cells }) }])[0];
}

function readPart(dir: string): ReviewPart {
  const file = join(dir, PART_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(
      `${dir} holds no ${PART_FILE} (give the --out directory of a gmemcheck review --shard i/n run)`,
    );
  }
  try {
    return parsePart(text, file);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

export interface Merged {
  readonly inputs: ReviewInput[];
  readonly comparisons?: ReviewComparisons;
  readonly elapsedMs: number;
}

/**
 * Reads the parts in `dirs`, checks they are the n shards of one review by this gmemcheck, and
 * returns the review's inputs in a single run's order. `specsDir` overrides the parts' own
 * (the merge may run elsewhere than the shards).
 */
export async function mergeParts(dirs: readonly string[], specsDir: string | undefined): Promise<Merged> {
  if (dirs.length === 0)
    throw new UsageError('--merge needs the part directories (e.g. gmemcheck review --merge parts/1 parts/2)');
  const parts = dirs.map(readPart);
  const [first] = parts;
  const where = (i: number) => `${dirs[i]} (shard ${shardText(parts[i].shard)})`;
  parts.forEach((p, i) => {
    if (p.toolVersion !== toolVersion)
      throw new UsageError(
        `${where(i)} was written by gmemcheck ${p.toolVersion}, this is ${toolVersion}: run every shard with one version`,
      );
    if (
      p.shard.count !== first.shard.count ||
      p.specsDir !== first.specsDir ||
      p.specs.join('\n') !== first.specs.join('\n')
    ) {
      throw new UsageError(
        `${where(i)} is a shard of another review than ${where(0)} (shard count, --specs or specs named differ)`,
      );
    }
    const twin = parts.findIndex((q) => q.shard.index === p.shard.index);
    if (twin !== i)
      throw new UsageError(
        `${dirs[twin]} and ${dirs[i]} are both shard ${shardText(p.shard)}: give each shard's part once`,
      );
  });
  const missing = Array.from({ length: first.shard.count }, (_, k) => k + 1).filter(
    (k) => !parts.some((p) => p.shard.index === k),
  );
  if (missing.length > 0) {
    throw new UsageError(
      `the parts of shard${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${first.shard.count}`).join(', ')} are missing: give every shard's --out directory`,
    );
  }

  const specs = await loadSpecs(specsDir ?? first.specsDir, first.specs);
  const prepared = specs.flatMap((loaded) => prepare(loaded));
  const results = new Map(parts.flatMap((p) => p.cells.map((c) => [`${c.spec}\n${c.design}`, c.result] as const)));
  const inputs = prepared.map(({ loaded, design, model }): ReviewInput => {
    const result = results.get(`${loaded.id}\n${design}`);
    if (!result)
      throw new UsageError(
        `no part holds spec "${loaded.id}" design "${design}": the specs changed since the shards ran; run them again`,
      );
    return { specId: loaded.id, file: loaded.file, spec: loaded.spec, design, model, result };
  });
  const compared = parts.some((p) => p.comparisons !== undefined);
  const odd = parts.findIndex((p) => p.comparisons?.with !== first.comparisons?.with);
  if (compared && odd >= 0) {
    throw new UsageError(
      `${where(odd)} and ${where(0)} differ in --compare-with / --no-compare: run every shard alike`,
    );
  }
  const order = new Map(prepared.map((p, i) => [`${p.loaded.id}\n${p.design}`, i]));
  const comparisons = compared
    ? {
        with: first.comparisons!.with,
        designs: parts
          .flatMap((p) => p.comparisons!.designs)
          .sort((a, b) => (order.get(`${a.spec}\n${a.to}`) ?? 0) - (order.get(`${b.spec}\n${b.to}`) ?? 0)),
      }
    : undefined;
  return { inputs, ...(comparisons && { comparisons }), elapsedMs: parts.reduce((n, p) => n + p.elapsedMs, 0) };
}
