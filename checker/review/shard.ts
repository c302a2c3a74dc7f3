/**
 * A share of a review's cells (one design of one spec each) for one of `count` machines:
 * `--shard index/count`. Cells are dealt round-robin in the review's order (specs by id, each
 * spec's designs in its order), so the same specs give every shard the same cells on every
 * machine, and the shares differ in size by at most one cell.
 */
export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n`; undefined with the reason when it is not one. */
export function parseShard(text: string): Shard | { error: string } {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text);
  if (!m) return { error: `--shard must be INDEX/COUNT, e.g. --shard 1/2, got "${text}"` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    return { error: `--shard ${text}: the index must be from 1 to the count (e.g. --shard 1/${Math.max(count, 2)})` };
  }
  return { index, count };
}

/** The items of `shard`'s share, in their order. */
export function shareOf<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}

export const shardText = (shard: Shard) => `${shard.index}/${shard.count}`;
