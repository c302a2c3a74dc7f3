/**
 * Fingerprints specialised to a state's shape: from the first states, learn their shape (object
 * keys in order, array lengths, primitive kinds), then compile (new Function) a fingerprinter
 * that feeds exactly the words the generic encoding (fingerprint.ts) feeds, with the dispatch on
 * kinds, the key lookups and the hasher's field traffic gone: one monomorphic function with the
 * lanes in locals.
 *
 * Every node of the compiled code first checks that its value has the learned shape (a record:
 * its prototype and its keys in the learned order, each defined; an array: its length; a
 * primitive: its kind), and where it does not, hands that value to the generic encoding, which
 * writes the same words into the same lanes. So the fingerprint equals the generic one for any
 * value; the shape only decides how fast it is computed.
 */
import {
  Hasher,
  SEED_HI,
  SEED_LO,
  TAG_ARRAY,
  TAG_FALSE,
  TAG_INT,
  TAG_NULL,
  TAG_OBJECT,
  TAG_STRING,
  TAG_TRUE,
  TAG_UNDEFINED,
  fmix,
  keyWords,
} from '../fingerprint.ts';

export type Shape =
  | { readonly kind: 'number' | 'string' | 'boolean' | 'null' | 'undefined' | 'any' }
  /** A fixed-length array, a shape per index. */
  | { readonly kind: 'tuple'; readonly items: readonly Shape[] }
  /** An array of any length, one shape for every item. */
  | { readonly kind: 'list'; readonly item: Shape }
  /** A plain object: its prototype, its keys in for-in order, none undefined. */
  | {
      readonly kind: 'record';
      readonly proto: object | null;
      readonly keys: readonly string[];
      readonly values: readonly Shape[];
    };

const ANY: Shape = { kind: 'any' };
/** Arrays up to this long are learned index by index (unrolled); longer ones as lists (a loop). */
const TUPLE_MAX = 32;
const DEPTH_MAX = 16;
/** Compiled code beyond this many words fed inline is not worth its size: the generic path stays. */
const INLINE_WORDS_MAX = 4096;

/** The shape of one value, as the generic encoding dispatches on it. */
export function shapeOf(v: unknown, depth = 0): Shape {
  if (depth > DEPTH_MAX) return ANY;
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'undefined':
      return { kind: typeof v as 'number' | 'string' | 'boolean' | 'undefined' };
    case 'object': {
      if (v === null) return { kind: 'null' };
      if (Array.isArray(v)) {
        if (v.length <= TUPLE_MAX) return { kind: 'tuple', items: Array.from(v, (x) => shapeOf(x, depth + 1)) };
        let item: Shape | undefined;
        for (const x of v) item = item ? mergeShapes(item, shapeOf(x, depth + 1)) : shapeOf(x, depth + 1);
        return { kind: 'list', item: item ?? ANY };
      }
      if (v instanceof Map || v instanceof Set || ArrayBuffer.isView(v)) return ANY;
      const keys: string[] = [];
      const values: Shape[] = [];
      for (const key in v) {
        const value = (v as Record<string, unknown>)[key];
        if (value === undefined) return ANY;
        keys.push(key);
        values.push(shapeOf(value, depth + 1));
      }
      return { kind: 'record', proto: Object.getPrototypeOf(v) as object | null, keys, values };
    }
    default:
      return ANY;
  }
}

/** The narrowest shape both values fit. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'any' || b.kind === 'any') return ANY;
  if ((a.kind === 'tuple' || a.kind === 'list') && (b.kind === 'tuple' || b.kind === 'list')) {
    if (a.kind === 'tuple' && b.kind === 'tuple' && a.items.length === b.items.length) {
      return { kind: 'tuple', items: a.items.map((x, i) => mergeShapes(x, b.items[i])) };
    }
    return { kind: 'list', item: mergeShapes(itemOf(a), itemOf(b)) };
  }
  if (a.kind === 'record' && b.kind === 'record') {
    if (a.proto !== b.proto || a.keys.length !== b.keys.length || a.keys.some((k, i) => k !== b.keys[i])) return ANY;
    return {
      kind: 'record',
      proto: a.proto,
      keys: a.keys,
      values: a.values.map((x, i) => mergeShapes(x, b.values[i])),
    };
  }
  return a.kind === b.kind ? a : ANY;
}

/**
 * `shape` widened to fit `value` too (the shape of the first value when `shape` is undefined): how
 * the compiled fingerprinter (fingerprinter.ts) and the packed levels (level.ts) each learn the
 * shape of the states they meet. They learn apart: the fingerprinter from every state it hashes
 * (canonical ones under symmetry, duplicates too; none with a model's own encoding), again when
 * states stray, and the levels from the first new states as the model made them.
 */
export function widenShape(shape: Shape | undefined, value: unknown): Shape {
  const s = shapeOf(value);
  return shape === undefined ? s : mergeShapes(shape, s);
}

function itemOf(s: Shape & { kind: 'tuple' | 'list' }): Shape {
  if (s.kind === 'list') return s.item;
  return s.items.length === 0 ? { kind: 'undefined' } : s.items.reduce(mergeShapes);
}

/** A compiled fingerprinter: hashes a value into `hasher` and finishes it (hi / lo set). */
export type ShapedFingerprint = (value: unknown) => void;

/** How many values a compiled fingerprinter met that did not have its shape (each counted once per node). */
export interface Mismatches {
  count: number;
}

/**
 * Compiles the fingerprinter for `shape`, writing into `hasher` and counting in `mismatches` the
 * values it hands to the generic encoding for not having the learnt shape; undefined where
 * specialising would gain nothing (the shape is `any`) or the code would be too large.
 */
export function compileFingerprint(
  shape: Shape,
  hasher: Hasher,
  mismatches: Mismatches = { count: 0 },
): ShapedFingerprint | undefined {
  if (shape.kind === 'any') return undefined;
  const emitter = new Emitter();
  const body = emitter.value(shape, 'v0');
  if (emitter.inlineWords > INLINE_WORDS_MAX) return undefined;
  const source = [
    ...emitter.constants.map((_, i) => `const c${i} = C[${i}];`),
    'return function shapedFingerprint(v0) {',
    `let h = ${SEED_HI}, l = ${SEED_LO}, w = 0, k = 0, m = 0, x1 = 0, x2 = 0;`,
    body,
    MIX,
    'if (h === 0 && l === 0) l = 1;',
    'H.hi = h; H.lo = l; H.words = w;',
    '};',
  ].join('\n');
  const factory = new Function('C', 'H', 'fmix', 'M', source) as (
    c: unknown[],
    h: Hasher,
    f: typeof fmix,
    m: Mismatches,
  ) => ShapedFingerprint;
  return factory(emitter.constants, hasher, fmix, mismatches);
}

/**
 * An expression: whether `x` is a record of the learnt shape: an object of prototype `proto`,
 * not an array, whose for-in keys are `keys` (a constant) in order, each defined. Comparing the
 * keys in order, not only their count, is what rules out an object that has as many keys and
 * reads a learnt one from elsewhere (`constructor` from its prototype). `keys` and `proto`
 * name constants, `counter` and `key` fresh variables; the test loops, so it is an immediately
 * called arrow, which the compiler inlines.
 */
export function recordTest(
  x: string,
  keyList: readonly string[],
  names: { keys: string; proto: string; counter: string; key: string },
): string {
  const { keys, proto, counter: i, key } = names;
  const defined = keyList.map((k) => ` && ${x}[${JSON.stringify(k)}] !== undefined`).join('');
  return (
    `(() => { if (typeof ${x} !== 'object' || ${x} === null || Object.getPrototypeOf(${x}) !== ${proto} || Array.isArray(${x})) return false; ` +
    `let ${i} = 0; for (const ${key} in ${x}) { if (${key} !== ${keys}[${i}]) return false; ${i}++; } return ${i} === ${keyList.length}${defined}; })()`
  );
}

/** One word into the lanes (Hasher.int, inlined); `x` must be a plain variable or a literal. */
function int(x: string): string {
  return (
    `k = Math.imul(${x}, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593); ` +
    `h ^= k; h = (h << 13) | (h >>> 19); h = (Math.imul(h, 5) + 0xe6546b64) | 0; ` +
    `m = Math.imul(${x}, 0x239b961b); m = (m << 16) | (m >>> 16); m = Math.imul(m, 0xab0e9789); ` +
    `l ^= m; l = (l << 17) | (l >>> 15); l = (Math.imul(l, 5) + 0x0bcaa747) | 0; w++;`
  );
}

/** Hasher.mixLanes, inlined. */
const MIX =
  'x1 = h ^ w; x2 = l ^ w; x1 = (x1 + x2) | 0; x2 = (x2 + x1) | 0; x1 = fmix(x1); x2 = fmix(x2); ' +
  'x1 = (x1 + x2) | 0; x2 = (x2 + x1) | 0; h = x1; l = x2;';

/** The generic encoding of `x`, from and back into the local lanes. */
/** A value that does not have the learnt shape: counted (`M.count`), then encoded generically. */
function mismatch(x: string): string {
  return `M.count++; ${generic(x)}`;
}

function generic(x: string): string {
  return `H.hi = h; H.lo = l; H.words = w; H.value(${x}); h = H.hi; l = H.lo; w = H.words;`;
}

class Emitter {
  readonly constants: unknown[] = [];
  /** Words fed by straight-line code (loops count once): a measure of the code's size. */
  inlineWords = 0;
  private names = 0;

  private fresh(prefix: string): string {
    return `${prefix}${++this.names}`;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `c${this.constants.length - 1}`;
  }

  private word(x: string): string {
    this.inlineWords++;
    return int(x);
  }

  /** Code that feeds the variable `x`, expected to have `shape`. */
  value(shape: Shape, x: string): string {
    switch (shape.kind) {
      case 'number':
        return (
          `if (typeof ${x} === 'number' && (${x} | 0) === ${x} && (${x} !== 0 || 1 / ${x} > 0)) { ${this.word(String(TAG_INT))} ${this.word(x)} } ` +
          `else { ${mismatch(x)} }`
        );
      case 'boolean':
        return (
          `if (${x} === true) { ${this.word(String(TAG_TRUE))} } else if (${x} === false) { ${this.word(String(TAG_FALSE))} } ` +
          `else { ${mismatch(x)} }`
        );
      case 'null':
        return `if (${x} === null) { ${this.word(String(TAG_NULL))} } else { ${mismatch(x)} }`;
      case 'undefined':
        return `if (${x} === undefined) { ${this.word(String(TAG_UNDEFINED))} } else { ${mismatch(x)} }`;
      case 'string': {
        const n = this.fresh('n'),
          i = this.fresh('i'),
          c = this.fresh('c');
        return [
          `if (typeof ${x} === 'string') {`,
          `const ${n} = ${x}.length; ${this.word(String(TAG_STRING))} ${this.word(n)}`,
          `let ${i} = 0, ${c} = 0;`,
          `for (; ${i} + 1 < ${n}; ${i} += 2) { ${c} = ${x}.charCodeAt(${i}) | (${x}.charCodeAt(${i} + 1) << 16); ${this.word(c)} }`,
          `if (${i} < ${n}) { ${c} = ${x}.charCodeAt(${i}); ${this.word(c)} }`,
          `} else { ${mismatch(x)} }`,
        ].join('\n');
      }
      case 'tuple': {
        const n = shape.items.length;
        const items = shape.items.map((item, i) => {
          const y = this.fresh('v');
          return `const ${y} = ${x}[${i}];\n${this.value(item, y)}`;
        });
        return [
          `if (Array.isArray(${x}) && ${x}.length === ${n}) {`,
          `${this.word(String(TAG_ARRAY))} ${this.word(String(n))}`,
          ...items,
          `} else { ${mismatch(x)} }`,
        ].join('\n');
      }
      case 'list': {
        const n = this.fresh('n'),
          i = this.fresh('i'),
          y = this.fresh('v');
        return [
          `if (Array.isArray(${x})) {`,
          `const ${n} = ${x}.length; ${this.word(String(TAG_ARRAY))} ${this.word(n)}`,
          `for (let ${i} = 0; ${i} < ${n}; ${i}++) { const ${y} = ${x}[${i}];\n${this.value(shape.item, y)}\n}`,
          `} else { ${mismatch(x)} }`,
        ].join('\n');
      }
      case 'record':
        return this.record(shape, x);
      default:
        return generic(x);
    }
  }

  /**
   * A record is hashed as the generic encoding hashes it: each entry from fresh lanes (its key's
   * two words, then its value), the entries' hashes summed. The lanes after a key's words are
   * the same for every state, so they are constants here.
   */
  private record(shape: Shape & { kind: 'record' }, x: string): string {
    const keys = this.constant(shape.keys);
    const proto = this.constant(shape.proto);
    const n = shape.keys.length;
    const i = this.fresh('i'),
      key = this.fresh('k');
    const saved = this.fresh('s'),
      sumH = this.fresh('sh'),
      sumL = this.fresh('sl');
    const entries = shape.keys.map((k, j) => {
      const lanes = new Hasher();
      const [k0, k1] = keyWords(k);
      lanes.int(k0);
      lanes.int(k1);
      const y = this.fresh('v');
      return [
        `h = ${lanes.hi}; l = ${lanes.lo}; w = ${lanes.words};`,
        `const ${y} = ${x}[${JSON.stringify(k)}];`,
        this.value(shape.values[j], y),
        MIX,
        `${sumH} = (${sumH} + h) | 0; ${sumL} = (${sumL} + l) | 0;`,
      ].join('\n');
    });
    return [
      `if (${recordTest(x, shape.keys, { keys, proto, counter: i, key })}) {`,
      `const ${saved}h = h, ${saved}l = l, ${saved}w = w; let ${sumH} = 0, ${sumL} = 0;`,
      ...entries,
      `h = ${saved}h; l = ${saved}l; w = ${saved}w;`,
      `${this.word(String(TAG_OBJECT))} ${this.word(String(n))} ${this.word(sumH)} ${this.word(sumL)}`,
      `} else { ${mismatch(x)} }`,
    ].join('\n');
  }
}
