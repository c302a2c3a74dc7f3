import { describe, expect, it } from 'vitest';
import { check, replay } from '../../checker/index.ts';
import { naiveMutex } from '../../checker/examples/index.ts';

describe('symmetry reduction', () => {
  // Up to permutation of processes, naive_mutex(N) has C(N + 3, 3) states (see naive-mutex.ts).
  for (const [n, full, reduced] of [
    [2, 16, 10],
    [3, 64, 20],
    [4, 256, 35],
  ] as const) {
    it(`naive_mutex(${n}): ${full} states without, ${reduced} with, the same verdict and shortest trace`, () => {
      const plain = check(naiveMutex(n));
      const sym = check(naiveMutex(n, { symmetry: true }));
      expect([plain.distinctStates, sym.distinctStates]).toEqual([full, reduced]);
      expect([sym.symmetryReduced, plain.symmetryReduced]).toEqual([true, false]);
      expect(sym.properties.map((p) => [p.status, p.trace?.steps.length])).toEqual(
        plain.properties.map((p) => [p.status, p.trace?.steps.length]),
      );
      // The trace is made of real (unreduced) states and replays on the model.
      const trace = sym.properties[0].trace!;
      const again = replay(
        naiveMutex(n, { symmetry: true }),
        trace.steps.slice(1).map((s) => s.action!),
      );
      expect(again.ok && again.trace.steps.map((s) => s.state)).toEqual(trace.steps.map((s) => s.state));
    });
  }

  it('can be switched off per run: symmetry: false counts every permutation', () => {
    expect(check(naiveMutex(3, { symmetry: true }), { symmetry: false }).distinctStates).toBe(64);
  });
});
