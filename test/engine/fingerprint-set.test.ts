import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../checker/explore/fingerprint-set.ts';

describe('the seen-set', () => {
  it('answers as a set of 64-bit pairs would, through growth and its cache of recent fingerprints', () => {
    // Few distinct low words (the cache's index) and high words, so that pairs collide in the
    // cache and runs form in the table; enough adds to grow it several times.
    const word = (n: number) => fc.integer({ min: 0, max: n }).map((x) => (x * 0x9e3779b1) | 0);
    const pair = fc.tuple(
      word(3000),
      fc.oneof(
        word(40),
        fc.integer().map((x) => x << 15),
      ),
    );
    fc.assert(
      fc.property(fc.array(pair, { minLength: 5_000, maxLength: 20_000 }), (pairs) => {
        const set = new FingerprintSet(16);
        const reference = new Set<string>();
        for (const [hi, lo] of pairs) {
          if (hi === 0 && lo === 0) continue;
          const key = `${hi >>> 0},${lo >>> 0}`;
          expect(set.add(hi, lo)).toBe(!reference.has(key));
          reference.add(key);
        }
        expect(set.size).toBe(reference.size);
      }),
      { numRuns: 30 },
    );
  });
});
