/**
 * What a step changed, and what the initial state holds, as the lines a report prints: in the
 * model's own words through its presentation's `view` when it has one (`pfn 0x10: free ->
 * gmem index 0x0`), else as the raw paths of the state (`pfns[0].index: -1 -> 0`, see diff.ts).
 */
import type { Fact, Model } from '../model.ts';
import { diff, formatChange } from './diff.ts';
import { formatValueLines, isPlainObject } from './value.ts';

/** A fact that one side lacks reads this. */
export const ABSENT = 'none';

export interface ViewChange {
  key: string;
  /** `undefined` where the key was absent. */
  before: string | undefined;
  after: string | undefined;
}

/**
 * The facts whose value differs, in the views' order (a fact `next` lacks stands where it stood
 * in `prev`). A vanished detail goes unsaid when its parent changed in the step (a thread's
 * locals go with the thread; see `Fact`).
 */
export function viewDiff(prev: readonly Fact[], next: readonly Fact[]): ViewChange[] {
  const before = byKey(prev);
  const after = byKey(next);
  const changes = new Map<string, ViewChange>();
  for (const key of mergedKeys([...before.keys()], [...after.keys()])) {
    const b = before.get(key)?.value;
    const a = after.get(key)?.value;
    if (b !== a) changes.set(key, { key, before: b, after: a });
  }
  return [...changes.values()].filter((c) => {
    if (c.after !== undefined) return true;
    const parent = before.get(c.key)?.parent;
    return !(parent !== undefined && changes.has(parent));
  });
}

function byKey(view: readonly Fact[]): Map<string, Fact> {
  return new Map(view.map((f) => [f.key, f]));
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

export function formatViewChange(c: ViewChange): string {
  return `${c.key}: ${c.before ?? ABSENT} -> ${c.after ?? ABSENT}`;
}

/** The lines that say what the step from `prev` to `next` changed (empty: nothing). */
export function stepChanges<S, A>(model: Model<S, A>, prev: S, next: S): string[] {
  const view = model.presentation?.view;
  if (view) return viewDiff(view(prev), view(next)).map(formatViewChange);
  return diff(prev, next).map(formatChange);
}

/**
 * The initial state in full: each fact of the view on a line of its own; without a view, each
 * top-level field from its own line, wrapped at `width`, or the whole value.
 */
export function initialFacts<S, A>(model: Model<S, A>, state: S, width: number): string[] {
  const view = model.presentation?.view;
  if (view) {
    const facts = view(state).map((f) => `${f.key}: ${f.value}`);
    return facts.length > 0 ? facts : ['(nothing)'];
  }
  if (!isPlainObject(state)) return formatValueLines(state, width);
  const facts = Object.entries(state)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => {
      const [first, ...rest] = formatValueLines(v, width, k.length + 2);
      return [`${k}: ${first}`, ...rest];
    });
  return facts.length > 0 ? facts : ['{}'];
}
