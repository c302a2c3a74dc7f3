/**
 * What changed between two plain-data states, as a list of paths: `vms[0].spte[1]: null -> {...}`.
 *
 * Equality is the checker's: two values equal as data are equal whatever order their object
 * keys, Map entries or Set members were inserted in, and an object key holding `undefined`
 * is the same as a missing key (JSON drops both, and so does the fingerprint).
 */
import { childPath, formatValue, indexPath, isPlainObject } from './value.ts';

export interface Change {
  /** Where, from the state's root: `vms[0].spte[1]`; '' for the whole state. */
  path: string;
  /** `undefined` where the path did not exist before. */
  before: unknown;
  /** `undefined` where the path no longer exists. */
  after: unknown;
}

/** The changes from `prev` to `next`, deepest paths first found first, in the order of `next`'s keys. */
export function diff(prev: unknown, next: unknown): Change[] {
  const out: Change[] = [];
  walk(prev, next, '', out);
  return out;
}

/** `vms[0].spte[1]: null -> 16` (the whole state's path reads `state`). */
export function formatChange(c: Change): string {
  return `${c.path === '' ? 'state' : c.path}: ${formatValue(c.before)} -> ${formatValue(c.after)}`;
}

/** Equal as data (see the module comment). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || typeof a !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const bByKey = keyed(b);
    for (const [k, v] of a) {
      const hit = bByKey.get(keyOf(k));
      if (!hit || !sameValue(v, hit[1])) return false;
    }
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    const bKeys = new Set([...b].map(keyOf));
    return [...a].every((x) => bKeys.has(keyOf(x)));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  for (const k of unionKeys(a, b)) if (!sameValue(a[k], b[k])) return false;
  return true;
}

function walk(a: unknown, b: unknown, path: string, out: Change[]): void {
  if (sameValue(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], indexPath(path, String(i)), out);
    return;
  }
  if (a instanceof Map && b instanceof Map) {
    const aByKey = keyed(a);
    const bByKey = keyed(b);
    for (const [key, [k, v]] of bByKey) walk(aByKey.get(key)?.[1], v, indexPath(path, formatValue(k)), out);
    for (const [key, [k, v]] of aByKey) if (!bByKey.has(key)) walk(v, undefined, indexPath(path, formatValue(k)), out);
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of unionKeys(b, a)) walk(a[k], b[k], childPath(path, k), out);
    return;
  }
  // Different kinds, leaves, or Sets (a Set reads best whole: `{1, 2} -> {1, 3}`).
  out.push({ path, before: a, after: b });
}

/** Keys of either object whose value is defined, `first`'s order first. */
function unionKeys(first: Record<string, unknown>, second: Record<string, unknown>): string[] {
  const keys = Object.keys(first).filter((k) => first[k] !== undefined);
  for (const k of Object.keys(second)) if (second[k] !== undefined && first[k] === undefined) keys.push(k);
  return keys;
}

/**
 * A Map key or Set member as a string that identifies it: primitives by type and value,
 * composite ones by their formatted form (plain data only, so that is structural).
 */
function keyOf(k: unknown): string {
  return typeof k === 'string'
    ? `s${k}`
    : typeof k === 'object' && k !== null
      ? `o${canonical(k)}`
      : `${typeof k}:${String(k)}`;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v instanceof Map)
    return `M{${[...v]
      .map(([k, x]) => `${keyOf(k)}=${canonical(x)}`)
      .sort()
      .join(',')}}`;
  if (v instanceof Set) return `S{${[...v].map(keyOf).sort().join(',')}}`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return keyOf(v);
}

function keyed(m: Map<unknown, unknown>): Map<string, [unknown, unknown]> {
  const out = new Map<string, [unknown, unknown]>();
  for (const [k, v] of m) out.set(keyOf(k), [k, v]);
  return out;
}
