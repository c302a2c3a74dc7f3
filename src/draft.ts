/**
 * The one `produce` every step uses: a step writes into a draft as the kernel writes into its
 * structures (immer's recipe form, immer's `Draft` type), and gets a new state that shares every
 * unchanged part with the one it came from.
 *
 * Not immer's proxies: a step reads many fields through nested drafts, and each nested proxy, its
 * traps and its copy cost more than the step's own logic. Here only the state's top level is a
 * proxy: the first read of a top-level field gives a plain mutable deep copy of it (a state's
 * fields are small arrays and records), and at the end the copied fields are compared with the
 * base's, part by part, so that what the step left equal is the base's own object again. The
 * fields most steps touch (threads, VMs) are copied and compared by code compiled for their
 * fields (state.ts DRAFT_FIELDS). Measured on 300,000 upstream transitions (nextState each, the
 * freeze below on): immer's produce 6.3 us; a proxy over a shallow copy of each object a step
 * reaches, rebuilt only where written (the finest copies; but a step writes most objects it
 * reaches, and a proxy per object costs more than the copies it saves) 4.1 us; this draft with
 * generic copies 3.5 us; with the fields' own copies, no freeze and literal copies of the root
 * (here and in the model's starts and thread moves), 1.1 us.
 *
 * Freezing guards the model against a step that writes into a state instead of its draft: a
 * frozen state throws there. It costs a check run about a tenth of its time (a freeze is ten
 * allocations' worth, and V8 copies a frozen array slowly), so states are frozen only where
 * a model is being developed or tested: under vitest, or with GMEMCHECK_FREEZE=1. A run
 * without it takes the same steps to the same states; the tests catch a step that would throw.
 */
import type { Draft } from 'immer';
import type { DraftField, GmemState } from './state.ts';
import { DRAFT_FIELDS, copyState } from './state.ts';

/** Freeze every new state (vitest, or GMEMCHECK_FREEZE=1); read once, at load. */
export const FREEZE = process.env.VITEST !== undefined || process.env.GMEMCHECK_FREEZE === '1';

/**
 * Freeze what `x` holds that is not frozen yet. A frozen object's contents are frozen already:
 * every state is built by `produce` from a deep-frozen state (or, at first, from fresh data).
 */
export function freezeNew(x: unknown): void {
  if (FREEZE) deepFreezeNew(x);
}

function deepFreezeNew(x: unknown): void {
  if (typeof x !== 'object' || x === null || Object.isFrozen(x)) return;
  Object.freeze(x);
  if (Array.isArray(x)) for (let i = 0; i < x.length; i++) deepFreezeNew(x[i]);
  else for (const k in x) deepFreezeNew((x as Record<string, unknown>)[k]);
}

export function produce<T>(base: T, recipe: (draft: Draft<T>) => void): T {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new Error('produce takes a state object');
  // A model state's root is copied by its literal (state.ts copyState: V8 spreads 15 fields slowly).
  const state = isState(base);
  const root = (state ? copyState(base) : { ...base }) as Record<string, unknown>;
  // A state's hot fields have copies and comparisons of their own (state.ts DRAFT_FIELDS).
  const fields: Readonly<Record<string, DraftField | undefined>> = state ? DRAFT_FIELDS : {};
  const thawed: string[] = [];
  const draft = new Proxy(root, {
    get(target, k) {
      const v = target[k as string];
      if (typeof k !== 'string' || typeof v !== 'object' || v === null || thawed.includes(k)) return v;
      thawed.push(k);
      const f = fields[k];
      return (target[k] = f ? f.thaw(v) : thaw(v));
    },
    set(target, k, v) {
      if (typeof k === 'string' && !thawed.includes(k)) thawed.push(k);
      target[k as string] = v;
      return true;
    },
  }) as Draft<T>;
  const returned: unknown = recipe(draft);
  if (returned !== undefined && returned !== draft)
    throw new Error('a step recipe returned a value: write into the draft');
  const b = base as Record<string, unknown>;
  let same = true;
  for (const k of thawed) {
    const f = fields[k];
    const v = f ? f.settle(root[k], b[k]) : settle(root[k], b[k]);
    root[k] = v;
    if (v !== b[k]) same = false;
  }
  // The base may be a start's fresh copy (model.ts) or fresh data: freezeNew freezes what is new.
  const next = same ? base : (root as T);
  freezeNew(next);
  return next;
}

/** A guest_memfd state (anything else, as in the tests, is copied field by field). */
function isState(x: object): x is GmemState {
  const s = x as Partial<GmemState>;
  return s.pfns !== undefined && s.threads !== undefined && s.started !== undefined && s.seen !== undefined;
}

/** A mutable deep copy of plain data (arrays, plain objects, primitives). */
function thaw(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = thaw(x[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in x) out[k] = thaw((x as Record<string, unknown>)[k]);
  return out;
}

/**
 * The recipe's result with every part equal to the base's replaced by the base's (frozen, shared
 * with the parent state), the rest frozen: structural sharing as immer gives it, the states equal.
 */
function settle(next: unknown, base: unknown): unknown {
  if (typeof next !== 'object' || next === null || next === base || (FREEZE && Object.isFrozen(next))) return next;
  const b = typeof base === 'object' && base !== null && Array.isArray(base) === Array.isArray(next) ? base : undefined;
  let same = b !== undefined;
  if (Array.isArray(next)) {
    const ba = b as unknown[] | undefined;
    if (ba && ba.length !== next.length) same = false;
    for (let i = 0; i < next.length; i++) {
      const v = settle(next[i], ba?.[i]);
      next[i] = v;
      if (same && v !== ba![i]) same = false;
    }
  } else {
    const n = next as Record<string, unknown>,
      bo = b as Record<string, unknown> | undefined;
    let keys = 0;
    for (const k in n) {
      keys++;
      const v = settle(n[k], bo?.[k]);
      n[k] = v;
      if (same && (v !== bo![k] || !(k in bo!))) same = false;
    }
    if (same)
      for (const _ in bo!)
        if (--keys < 0) {
          same = false;
          break;
        }
  }
  if (same) return b;
  if (FREEZE) Object.freeze(next);
  return next;
}
