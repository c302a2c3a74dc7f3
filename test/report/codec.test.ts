import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, DecodeError, encode, EncodeError } from '../../checker/report/codec.ts';
import { sameValue } from '../../checker/report/index.ts';

/** Plain data as models hold it: safe integers, bigints, strings, booleans, null, lists, records, Maps, Sets. */
const plain = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    fc.bigInt(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string().filter((k) => !k.startsWith('#') && k !== '__proto__'),
      tie('value'),
      { maxKeys: 4 },
    ),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((es) => new Map(es)),
    fc.array(tie('value'), { maxLength: 3 }).map((ms) => new Set(ms)),
  ),
}));

describe('ITF value encoding', () => {
  it('decode inverts encode on any plain data (fast-check, 500 runs, seed 42)', () => {
    fc.assert(
      fc.property(plain.value, (v) => {
        const back = decode(JSON.parse(JSON.stringify(encode(v))));
        expect(back).toEqual(v);
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('the encoding holds no JSON null, which ITF does not have', () => {
    const hasNull = (x: unknown): boolean =>
      x === null || (typeof x === 'object' && Object.values(x as object).some(hasNull));
    fc.assert(
      fc.property(plain.value, (v) => !hasNull(encode(v))),
      { numRuns: 200, seed: 7 },
    );
    expect(encode({ a: null, b: [null] })).toEqual({
      a: { '#unserializable': 'null' },
      b: [{ '#unserializable': 'null' }],
    });
  });

  it('writes each kind as ADR-015 says: #bigint, #set, #map, lists and records', () => {
    expect(encode({ n: 5, big: 2n ** 64n, s: new Set(['a']), m: new Map([[1, 'x']]), l: [true, 'y'] })).toEqual({
      n: 5,
      big: { '#bigint': '18446744073709551616' },
      s: { '#set': ['a'] },
      m: { '#map': [[1, 'x']] },
      l: [true, 'y'],
    });
  });

  it('a number beyond 2^53 is written as the #bigint of the integer it holds (and reads back as that bigint)', () => {
    expect(encode(2 ** 60)).toEqual({ '#bigint': '1152921504606846976' });
    expect(decode(encode(2 ** 60))).toBe(2n ** 60n);
  });

  it('undefined in a list, NaN, infinities and fractions survive as #unserializable', () => {
    const v = [undefined, NaN, Infinity, -Infinity, 1.5];
    expect(encode(v)).toEqual([
      { '#unserializable': 'undefined' },
      { '#unserializable': 'NaN' },
      { '#unserializable': 'Infinity' },
      { '#unserializable': '-Infinity' },
      { '#unserializable': '1.5' },
    ]);
    expect(sameValue(decode(encode(v)), v)).toBe(true);
  });

  it('reads #tup from other tools as a list', () => {
    expect(decode({ '#tup': [1, { '#bigint': '2' }] })).toEqual([1, 2n]);
  });

  it('refuses keys that begin with #, class instances and functions, naming where', () => {
    expect(() => encode({ a: { '#x': 1 } })).toThrow(
      new EncodeError(`value.a: key "#x" begins with '#', which ITF reserves; rename it`),
    );
    expect(() => encode({ d: new Date(0) })).toThrow(
      new EncodeError('value.d: a Date instance is not plain data; use objects, arrays, Maps and Sets'),
    );
    expect(() => encode([() => 1])).toThrow(EncodeError);
  });

  it('refuses malformed tags with the path of the bad value', () => {
    expect(() => decode({ x: { '#bigint': '12a' } })).toThrow(
      new DecodeError('value.x: #bigint must be a string of digits, not "12a"'),
    );
    expect(() => decode({ '#map': [[1]] })).toThrow(new DecodeError('value: #map entry 0 must be a [key, value] pair'));
    expect(() => decode({ '#what': 1, y: 2 })).toThrow(DecodeError);
  });
});
