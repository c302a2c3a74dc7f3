/**
 * What a step changed, and what the initial state holds, as the lines a report prints: in the
 * model's own words through its `view` when it has one (`pfn 0x10: free -> gmem index 0x0`),
 * else as the raw paths of the state (`pfns[0].index: -1 -> 0`, see diff.ts).
 */
import type { Model } from '../model.ts';
import { diff, formatChange } from './diff.ts';
import { formatValueLines, isPlainObject } from './value.ts';

/** A view's key that one side lacks reads this. */
export const ABSENT = 'none';

export interface ViewChange {
  key: string;
  /** `undefined` where the key was absent. */
  before: string | undefined;
  after: string | undefined;
}

/**
 * The keys whose value differs, in the views' key order (a key `next` lacks stands where it
 * stood in `prev`). A vanished key `K.detail` goes unsaid when `K` itself changed in the step
 * (a thread's locals go with the thread; see `Model.view`).
 */
export function viewDiff(prev: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>): ViewChange[] {
  const changes = new Map<string, ViewChange>();
  for (const key of mergedKeys(Object.keys(prev), Object.keys(next))) {
    const before = has(prev, key) ? prev[key] : undefined;
    const after = has(next, key) ? next[key] : undefined;
    if (before !== after) changes.set(key, { key, before, after });
  }
  return [...changes.values()].filter((c) => {
    if (c.after !== undefined) return true;
    const dot = c.key.lastIndexOf('.');
    return !(dot > 0 && changes.has(c.key.slice(0, dot)));
  });
}

/** `next`'s keys, each key only `prev` has placed after the key it followed in `prev`. */
function mergedKeys(prev: readonly string[], next: readonly string[]): string[] {
  const inNext = new Set(next);
  const after = new Map<string, string[]>();
  const leading: string[] = [];
  let anchor: string | undefined;
  for (const key of prev) {
    if (inNext.has(key)) {
      anchor = key;
      continue;
    }
    if (anchor === undefined) leading.push(key);
    else after.set(anchor, [...(after.get(anchor) ?? []), key]);
  }
  return [...leading, ...next.flatMap((k) => [k, ...(after.get(k) ?? [])])];
}

function has(view: Readonly<Record<string, string>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(view, key);
}

export function formatViewChange(c: ViewChange): string {
  return `${c.key}: ${c.before ?? ABSENT} -> ${c.after ?? ABSENT}`;
}

/** The lines that say what the step from `prev` to `next` changed (empty: nothing). */
export function stepChanges<S, A>(model: Model<S, A>, prev: S, next: S): string[] {
  if (model.view) return viewDiff(model.view(prev), model.view(next)).map(formatViewChange);
  return diff(prev, next).map(formatChange);
}

/**
 * The initial state in full: each fact of the view on a line of its own; without a view, each
 * top-level field from its own line, wrapped at `width`, or the whole value.
 */
export function initialFacts<S, A>(model: Model<S, A>, state: S, width: number): string[] {
  if (model.view) {
    const facts = Object.entries(model.view(state)).map(([k, v]) => `${k}: ${v}`);
    return facts.length > 0 ? facts : ['(nothing)'];
  }
  if (!isPlainObject(state)) return formatValueLines(state, width);
  const facts = Object.entries(state).filter(([, v]) => v !== undefined).flatMap(([k, v]) => {
    const [first, ...rest] = formatValueLines(v, width, k.length + 2);
    return [`${k}: ${first}`, ...rest];
  });
  return facts.length > 0 ? facts : ['{}'];
}
