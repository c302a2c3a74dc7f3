/**
 * When a breadth-first run stops, decided one way for one thread and for workers: the heap and
 * the clock are looked at every POLL_EVERY expansions, and between two levels a run either goes
 * on, is done, or stops at its first violation.
 */
import v8 from 'node:v8';
import type { CheckOptions, StopReason } from '../model.ts';

/** How many expansions between two looks at the clock and the heap. */
export const POLL_EVERY = 1024;

/** The heap size past which a run stops as incomplete: the option, or 85% of the heap limit. */
export function heapLimitOf(options: Pick<CheckOptions, 'heapLimitBytes'>): number {
  return options.heapLimitBytes ?? 0.85 * v8.getHeapStatistics().heap_size_limit;
}

/** The JS heap in use, in bytes. */
export function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}

/**
 * What a run does before expanding a level of `frontier` states at `depth`: `done` when nothing
 * is left to expand (states at maxDepth are checked, not expanded), `violation` when it stops at
 * its first violation with states still to expand, else `expand`.
 */
export function beforeLevel(
  frontier: number,
  depth: number,
  options: Pick<CheckOptions, 'maxDepth' | 'stopAtFirstViolation'>,
  violated: boolean,
): 'expand' | 'done' | Extract<StopReason, 'violation'> {
  if (frontier === 0 || depth >= (options.maxDepth ?? Number.POSITIVE_INFINITY)) return 'done';
  return options.stopAtFirstViolation && violated ? 'violation' : 'expand';
}
