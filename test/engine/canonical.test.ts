import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, check, fingerprint, type Model } from '../../checker/index.ts';

describe('canonical encoding', () => {
  it('ignores object key, Map entry and Set member insertion order', () => {
    expect(fingerprint({ a: 1, b: [1, 2] })).toBe(fingerprint({ b: [1, 2], a: 1 }));
    expect(
      fingerprint(
        new Map([
          [1, 'x'],
          [2, 'y'],
        ]),
      ),
    ).toBe(
      fingerprint(
        new Map([
          [2, 'y'],
          [1, 'x'],
        ]),
      ),
    );
    expect(fingerprint(new Set(['p', 'q', { r: 1 }]))).toBe(fingerprint(new Set([{ r: 1 }, 'q', 'p'])));
  });

  it('keeps apart values that differ in kind, order or nesting', () => {
    const distinct = [
      0,
      -0.5,
      1,
      2 ** 40,
      '0',
      '',
      false,
      true,
      null,
      undefined,
      [],
      {},
      [0],
      [[0]],
      [0, 1],
      [1, 0],
      { a: 0 },
      { b: 0 },
      { a: [0] },
      new Map([[0, 1]]),
      new Map([[1, 0]]),
      new Set([0]),
      new Set([0, 1]),
      [{ a: 1, b: 2 }],
      [{ a: 2, b: 1 }],
      'ab',
      'ba',
      12345678901234567890n,
    ];
    const prints = distinct.map(fingerprint);
    expect(new Set(prints).size).toBe(distinct.length);
  });

  it('is the same for any insertion order of a random record', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer(), (record, seed) => {
        const keys = Object.keys(record);
        const shuffled = [...keys].sort((a, b) => ((a.length * 7 + seed) % 5) - ((b.length * 7 + seed) % 5));
        const rebuilt = Object.fromEntries(shuffled.map((k) => [k, record[k]]));
        expect(fingerprint(rebuilt)).toBe(fingerprint(record));
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('is pinned: fingerprints are stable across runs (fixed seeds)', () => {
    expect(fingerprint({ pages: [0, 1], vm: 'vm0' })).toMatchInlineSnapshot(`"bef8361a60001d69"`);
  });

  it('counts states that differ only in insertion order as one', () => {
    // Two paths build the same state with keys, Map entries and Set members in opposite orders.
    type S = { done: number; obj: Record<string, number>; map: Map<string, number>; set: Set<string> };
    const model: Model<S, 'x' | 'y'> = {
      name: 'insertion order',
      initStates: () => [{ done: 0, obj: {}, map: new Map(), set: new Set() }],
      actions: () => ['x', 'y'],
      nextState: (s, a) => {
        if (s.obj[a] !== undefined) return undefined;
        return {
          done: s.done + 1,
          obj: { ...s.obj, [a]: 1 },
          map: new Map([...s.map, [a, 1]]),
          set: new Set([...s.set, a]),
        };
      },
      properties: [always('true', () => true)],
    };
    const r = check(model);
    // {} ; {x} ; {y} ; {x,y} reached twice in two insertion orders = one state.
    expect(r.distinctStates).toBe(4);
    expect(r.transitions).toBe(4);
  });
});
