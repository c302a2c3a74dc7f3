import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import { designs, gmemModel } from '../../src/index.ts';

// The bounds of designs.test.ts (importing that file would run its tests a second time).
const UPSTREAM_BOUNDS = {
  pages: 2,
  vms: 1,
  inFlight: 2,
  ops: { fault: 2, convert: 1, punchHole: 1, close: 1, unbind: 1 },
};
const IN_PLACE_BOUNDS = {
  pages: 2,
  vms: 1,
  inFlight: 2,
  initiallyShared: true,
  ops: { fault: 1, convert: 1, punchHole: 1, mmapFault: 1, pin: 1, unpin: 1 },
};

const verdicts = (r: ReturnType<typeof check>) => r.properties.map((p) => [p.name, p.status, p.trace?.steps.length]);

describe('thread-slot symmetry (gmemModel({ symmetry: true }))', () => {
  const cases = [
    ['upstream', UPSTREAM_BOUNDS, 35_376, 19_595],
    ['in-place', IN_PLACE_BOUNDS, 22_262, 12_160],
    ['no-invalidate-retry', { ops: { fault: 2, convert: 2 } }, 5_846, 3_097],
  ] as const;
  for (const [design, bounds, full, reduced] of cases) {
    it(`${design}: the same verdicts and trace lengths from ${reduced} states instead of ${full}`, () => {
      const plain = check(gmemModel({ design: designs[design], bounds }), { deadlock: true });
      const sym = check(gmemModel({ design: designs[design], bounds, symmetry: true }), { deadlock: true });
      expect([plain.distinctStates, sym.distinctStates, sym.symmetryReduced]).toEqual([full, reduced, true]);
      expect(verdicts(sym)).toEqual(verdicts(plain));
    });
  }
});
