/**
 * A shard's part of a review (`review --shard i/n` writes it, `review --merge` reads the parts
 * back): which review it belongs to (the spec directory and the specs named), which shard, and
 * each of its cells' check result (raw states and actions through the trace codec, so that Maps
 * and Sets survive), plus the design comparisons the shard made. The merge rebuilds the models
 * from the spec files and renders the review from the results, as a single run does.
 */
import type { CheckResult } from '../model.ts';
import { decode, DecodeError, encode } from '../report/codec.ts';
import type { ReviewComparisons } from './comparisons.ts';
import type { Shard } from './shard.ts';

export const PART_FILE = 'review-part.json';
export const PART_FORMAT = 'gmemcheck-review-part';
const PART_VERSION = 1;

export interface PartCell {
  readonly spec: string;
  readonly design: string;
  readonly result: CheckResult<unknown, unknown>;
}

export interface ReviewPart {
  readonly toolVersion: string;
  readonly shard: Shard;
  /** The review's specs: the directory and the specs named on the command line (none: all). */
  readonly specsDir: string;
  readonly specs: readonly string[];
  /** The shard's run time (ms). */
  readonly elapsedMs: number;
  readonly cells: readonly PartCell[];
  /** Present when the review compared designs (every review but `--no-compare`'s). */
  readonly comparisons?: ReviewComparisons;
}

export function renderPart(part: ReviewPart): string {
  // Compact: a part is read by the merge, not by a person.
  return `${JSON.stringify({
    format: PART_FORMAT,
    formatVersion: PART_VERSION,
    ...part,
    cells: part.cells.map((c, i) => ({ spec: c.spec, design: c.design, result: encode(c.result, { nullAs: 'json' }, `cells[${i}].result`) })),
  })}\n`;
}

/** Reads a part; throws an Error whose message is one line (what is wrong in `file`). */
export function parsePart(text: string, file: string): ReviewPart {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file} is not JSON (${(e as Error).message}); write it again with gmemcheck review --shard`, { cause: e });
  }
  if (doc?.format !== PART_FORMAT) throw new Error(`${file} is not a review part (format "${PART_FORMAT}"); write it with gmemcheck review --shard i/n`);
  if (doc.formatVersion !== PART_VERSION) throw new Error(`${file} has part format ${JSON.stringify(doc.formatVersion)}, this gmemcheck reads ${PART_VERSION}; write it again`);
  const shard = doc.shard as Shard | undefined;
  if (!Array.isArray(doc.cells) || !Array.isArray(doc.specs) || typeof doc.specsDir !== 'string' || !shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count)) {
    throw new Error(`${file} lacks cells, specs, specsDir or shard: the file was cut or edited; write it again`);
  }
  try {
    const cells = (doc.cells as { spec: string; design: string; result: unknown }[]).map((c, i) =>
      ({ spec: c.spec, design: c.design, result: decode(c.result, `cells[${i}].result`) as CheckResult<unknown, unknown> }));
    return { ...(doc as unknown as ReviewPart), cells };
  } catch (e) {
    if (e instanceof DecodeError) throw new Error(`${file}: ${e.message}; the file was edited or was not written by gmemcheck`, { cause: e });
    throw e;
  }
}
