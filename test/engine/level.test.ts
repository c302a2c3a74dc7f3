import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../checker/index.ts';
import { LevelCodec, ObjectLevel, PackedLevel, compileCodec } from '../../checker/explore/level.ts';
import { mergeShapes, shapeOf } from '../../checker/explore/shaped-fingerprint.ts';

/** Plain data of a closed shape: records and fixed arrays of 32-bit integers, booleans and nulls. */
const leaf = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.boolean(), fc.constant(null));
const closedData = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('record')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  record: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '10')), tie('value'), {
    maxKeys: 4,
  }),
})).value;

/** `v` with its numbers and booleans changed, its shape kept. */
function sameShape(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => sameShape(x, seed + i));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v))
      Object.defineProperty(out, k, {
        value: sameShape((v as Record<string, unknown>)[k], seed + k.length),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  if (typeof v === 'number') return (v + seed) | 0;
  if (typeof v === 'boolean') return seed % 2 === 0;
  return v;
}

/** Equal as plain data: the same kinds, prototypes, keys in the same order and values (toStrictEqual trips on an own `constructor` key). */
function samePlain(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a),
    kb = Object.keys(b);
  if (Array.isArray(a) && (a as unknown[]).length !== (b as unknown[]).length) return false;
  return (
    ka.length === kb.length &&
    ka.every((k, i) => k === kb[i] && samePlain((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

describe('a packed level gives back states equal as data to those it took', () => {
  it('on random data of a closed shape: the same keys in order, values, prototypes, and fingerprint', () => {
    fc.assert(
      fc.property(closedData, fc.integer({ min: 0, max: 1000 }), (value, seed) => {
        const codec = compileCodec([value, sameShape(value, seed)].map((v) => shapeOf(v)).reduce(mergeShapes));
        if (!codec) return;
        const words = new Int32Array(codec.width * 2);
        for (const v of [value, sameShape(value, seed + 1)]) {
          expect(codec.pack(v, words, codec.width)).toBe(true);
          const back = codec.unpack(words, codec.width);
          expect(samePlain(back, v)).toBe(true);
          expect(JSON.stringify(back)).toBe(JSON.stringify(v));
          expect(fingerprint(back)).toBe(fingerprint(v));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('tells data apart as plain data does', () => {
    expect([
      samePlain({ a: [1] }, { a: [1] }),
      samePlain({ a: [1] }, { a: [2] }),
      samePlain({ a: 1, b: 2 }, { b: 2, a: 1 }),
    ]).toEqual([true, false, false]);
    expect([samePlain([0], [-0]), samePlain({}, Object.create(null)), samePlain([], {})]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('refuses what does not fit the shape exactly', () => {
    const codec = compileCodec(shapeOf({ a: [1, 2], b: true, c: null }))!;
    const words = new Int32Array(codec.width);
    const misfits: unknown[] = [
      { a: [1, 2], b: true, c: 0 },
      { a: [1, 2, 3], b: true, c: null },
      { a: [1], b: true, c: null },
      { a: [1, 2.5], b: true, c: null },
      { a: [1, -0], b: true, c: null },
      { a: [1, 2 ** 31], b: true, c: null },
      { a: [1, '2'], b: true, c: null },
      // eslint-disable-next-line no-sparse-arrays
      { a: [1, ,], b: true, c: null },
      { a: [1, 2], b: 1, c: null },
      { b: true, a: [1, 2], c: null },
      { a: [1, 2], b: true, c: null, d: 1 },
      { a: [1, 2], b: true },
      { a: new Int32Array([1, 2]), b: true, c: null },
      Object.assign(Object.create(null), { a: [1, 2], b: true, c: null }),
    ];
    for (const v of misfits) expect(codec.pack(v, words, 0)).toBe(false);
    expect(compileCodec(shapeOf({ a: 'x' }))).toBeUndefined();
    expect(compileCodec(shapeOf(new Array(40).fill(0)))).toBeUndefined();
  });

  it('keeps what does not fit, and what it met while learning, as the objects they are', () => {
    const codec = new LevelCodec();
    const level = new PackedLevel<unknown>(codec);
    const states: unknown[] = [];
    for (let i = 0; i < 40_000; i++) states.push(i % 1000 === 7 ? { n: [i, 1.5] } : { n: [i, i % 3] });
    for (const s of states) level.push(s);
    expect(codec.mode).toBe('packed');
    expect(level.length).toBe(states.length);
    for (let i = 0; i < states.length; i++) {
      const s = level.take(i);
      if (i < 64 || i % 1000 === 7) expect(s).toBe(states[i]);
      else expect(samePlain(s, states[i])).toBe(true);
    }
    // The next level reuses the chunks this one let go of: it reads back its own states only.
    const second = new PackedLevel<unknown>(codec);
    const more = Array.from({ length: 40_000 }, (_, i) => ({ n: [-i, i % 5] }));
    for (const s of more) second.push(s);
    for (let i = 0; i < more.length; i++) expect(samePlain(second.take(i), more[i])).toBe(true);
    // A worker gives its last states away, receives others, then expands the rest in order.
    const third = new PackedLevel<unknown>(codec);
    const mine = Array.from({ length: 2 * 16_384 + 10 }, (_, i) => (i === 16_383 ? { n: [i, 0.5] } : { n: [i, 7] }));
    for (const s of mine) third.push(s);
    const given = third.removeLast(16_384 + 20);
    expect(given.every((s, k) => samePlain(s, mine[mine.length - 16_384 - 20 + k]))).toBe(true);
    const received = [{ n: [-1, -1] }, { n: [-2, 2.5] }];
    for (const s of received) third.push(s);
    const kept = [...mine.slice(0, mine.length - 16_384 - 20), ...received];
    expect(third.length).toBe(kept.length);
    for (let i = 0; i < kept.length; i++) expect(samePlain(third.take(i), kept[i])).toBe(true);
    const none = new LevelCodec();
    for (let i = 0; i < 64; i++) none.learn({ s: String(i) });
    expect(none.mode).toBe('none');
    const objects = new ObjectLevel(['a', 'b']);
    expect([objects.take(1), objects.take(0), objects.length, objects.states]).toEqual([
      'b',
      'a',
      2,
      [undefined, undefined],
    ]);
    const tail = new ObjectLevel(['a', 'b', 'c']);
    expect([tail.removeLast(2), tail.length, tail.take(0)]).toEqual([['b', 'c'], 1, 'a']);
  });
});
