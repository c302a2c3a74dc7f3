import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, formatFingerprint, type Model } from '../../checker/index.ts';
import { Hasher } from '../../checker/fingerprint.ts';
import { compileFingerprint, mergeShapes, shapeOf, type Shape } from '../../checker/explore/shaped-fingerprint.ts';
import { fingerprinter } from '../../checker/explore/fingerprinter.ts';
import { naiveMutex, peterson, petersonPlain, philosophers, philosophersPlain } from '../../checker/examples/index.ts';

/** The compiled fingerprinter learnt from `learnFrom`, as a function to hex. */
function compiled(learnFrom: readonly unknown[]): ((v: unknown) => string) | undefined {
  const shape = learnFrom.map((v) => shapeOf(v)).reduce(mergeShapes);
  const hasher = new Hasher();
  const fp = compileFingerprint(shape, hasher);
  return fp && ((v) => (fp(v), formatFingerprint(hasher.hi, hasher.lo)));
}

const primitive = fc.oneof(
  fc.integer(),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constant(-0),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
);

/** `value` with its primitive leaves replaced, in order, by `leaves` (cycled): the same shape, other data, mostly. */
function withLeaves(value: unknown, leaves: readonly unknown[]): unknown {
  let next = 0;
  const leaf = () => leaves[next++ % leaves.length];
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, walk(x)]));
    if (v instanceof Set || ArrayBuffer.isView(v)) return v;
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v));
      for (const key of Object.keys(v)) out[key] = walk((v as Record<string, unknown>)[key]);
      return out;
    }
    return leaves.length ? leaf() : v;
  };
  return walk(value);
}

const plainData = fc.anything({
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  withBigInt: true,
  maxDepth: 4,
});

describe('a fingerprinter compiled for a shape gives exactly the generic fingerprints', () => {
  it('on random plain data, learnt from values of the same shape and tried on others', () => {
    fc.assert(
      fc.property(
        plainData,
        fc.array(fc.array(primitive, { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        plainData,
        (value, leafSets, other) => {
          const learnFrom = [value, ...leafSets.slice(0, 2).map((leaves) => withLeaves(value, leaves))];
          const fp = compiled(learnFrom);
          if (!fp) return;
          const tried = [
            ...learnFrom,
            ...leafSets.map((leaves) => withLeaves(value, leaves)),
            other,
            withLeaves(other, leafSets[0]),
          ];
          for (const v of tried) expect(fp(v)).toBe(fingerprint(v));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on shapes that break the learnt one: keys reordered, added, undefined; lengths; kinds', () => {
    const fp = compiled([{ a: [1, 2], b: 'x', c: { d: true } }])!;
    const cases: unknown[] = [
      { a: [1, 2], b: 'x', c: { d: true } },
      { b: 'x', a: [1, 2], c: { d: true } },
      { a: [1, 2], b: 'x', c: { d: true }, e: 1 },
      { a: [1, 2], b: 'x', c: { d: true }, e: undefined },
      { a: [1, 2], b: undefined, c: { d: true } },
      { a: [1, 2, 3], b: 'x', c: { d: false } },
      { a: [1.5, -0], b: 7, c: { d: null } },
      { a: new Int32Array([1, 2]), b: 'x', c: new Map([['d', true]]) },
      Object.assign(Object.create(null), { a: [1, 2], b: 'x', c: { d: true } }),
      ['a', 'b', 'c'],
      null,
    ];
    for (const v of cases) expect(fp(v)).toBe(fingerprint(v));
    // As many keys, each learnt key readable (`constructor` from the prototype), yet other keys.
    const inherited = compiled([{ constructor: 1, a: 2 }])!;
    expect(inherited({ a: 2, b: 3 })).toBe(fingerprint({ a: 2, b: 3 }));
  });

  it('on every reachable state of the anchors, learnt from the first 64 as the explorer learns', () => {
    const models = [petersonPlain(3), philosophersPlain(5), peterson(3), philosophers(5), naiveMutex(3)] as Model<
      unknown,
      unknown
    >[];
    for (const model of models) {
      const states = reachable(model);
      const fp = compiled(states.slice(0, 64))!;
      expect(fp).toBeDefined();
      for (const s of states) expect(fp(s)).toBe(fingerprint(s));
    }
  });
});

/** Every reachable state, breadth-first, told apart by JSON. */
function reachable(model: Model<unknown, unknown>): unknown[] {
  const states = [...model.initStates()];
  const seen = new Set(states.map((s) => JSON.stringify(s)));
  for (let i = 0; i < states.length; i++) {
    for (const a of model.actions(states[i])) {
      const t = model.nextState(states[i], a);
      if (t !== undefined && !seen.has(JSON.stringify(t))) {
        seen.add(JSON.stringify(t));
        states.push(t);
      }
    }
  }
  return states;
}

describe('learning a shape', () => {
  it('keeps lengths and kinds it always saw, and gives up where they differ', () => {
    const learn = (...vs: unknown[]): Shape => vs.map((v) => shapeOf(v)).reduce(mergeShapes);
    expect(learn([1, 2], [3, 4])).toEqual({ kind: 'tuple', items: [{ kind: 'number' }, { kind: 'number' }] });
    expect(learn([1, 2], [3])).toEqual({ kind: 'list', item: { kind: 'number' } });
    expect(learn({ a: 1 }, { a: 'x' })).toEqual({
      kind: 'record',
      proto: Object.prototype,
      keys: ['a'],
      values: [{ kind: 'any' }],
    });
    expect(learn({ a: 1 }, { b: 1 })).toEqual({ kind: 'any' });
    expect(learn({ a: undefined })).toEqual({ kind: 'any' });
    expect(learn(new Map())).toEqual({ kind: 'any' });
  });
});

describe("the explorer's fingerprinter", () => {
  /** A model whose states are { q: number[] } with q as given: only its states matter here. */
  const holder = {
    name: 'q',
    initStates: () => [],
    actions: () => [],
    nextState: () => undefined,
    properties: [],
  } as Model<unknown, unknown>;
  const hex = (f: ReturnType<typeof fingerprinter<unknown, unknown>>, v: unknown) => {
    f.fingerprintOf(v);
    return formatFingerprint(f.hasher.hi, f.hasher.lo);
  };

  it('learns again, wider, when the states stray from the shape it compiled', () => {
    const f = fingerprinter(holder, {});
    for (let i = 0; i < 64; i++) expect(hex(f, { q: [i, 1] })).toBe(fingerprint({ q: [i, 1] }));
    expect(f.compiledFor()).toEqual(shapeOf({ q: [0, 0] }));
    // The list grows: past 4096 states that mostly stray, the next 64 are learnt into the shape.
    for (let i = 0; i < 4096 + 64; i++) {
      const v = { q: Array.from({ length: 3 + (i % 4) }, (_, k) => k * i) };
      expect(hex(f, v)).toBe(fingerprint(v));
    }
    expect(f.compiledFor()).toEqual({
      kind: 'record',
      proto: Object.prototype,
      keys: ['q'],
      values: [{ kind: 'list', item: { kind: 'number' } }],
    });
  });

  it('keeps its shape when few states stray', () => {
    const f = fingerprinter(holder, {});
    for (let i = 0; i < 64 + 2 * 4096; i++) {
      const v = { q: i >= 64 && i % 8 === 0 ? [i, 'x'] : [i, 1] };
      expect(hex(f, v)).toBe(fingerprint(v));
    }
    expect(f.compiledFor()).toEqual(shapeOf({ q: [0, 0] }));
  });
});
