/**
 * Random walks far past the exhaustive bounds (more pages, operations and threads) never reach an
 * ill-formed state: no mapping outside a memslot, no negative refcount, no pfn owned twice.
 * fast-check draws the walk (a list of choices among the enabled actions) and shrinks a failure
 * to its shortest walk; the seed is fixed so that a failure reproduces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designs, gmemModel } from '../../src/index.ts';
import type { BoundsInput, GmemModel } from '../../src/index.ts';
import { problems } from './well-formed.ts';
import { walk } from './walk.ts';

const BIG: BoundsInput = {
  pages: 4,
  vms: 2,
  vcpus: 2,
  inFlight: 3,
  ranges: 'all',
  ops: {
    fault: 8,
    convert: 4,
    punchHole: 2,
    allocate: 2,
    populate: 2,
    close: 2,
    unbind: 2,
    link: 1,
    destroyVm: 2,
    mmapFault: 3,
    munmap: 2,
    pin: 2,
    unpin: 2,
    iommuMap: 3,
    tdxRemoveFail: 1,
  },
};

/** Walk, stopping at the first ill-formed state: what is wrong and the steps that led there. */
function firstProblem(m: GmemModel, choices: number[]): { trail: string[]; bad: string[] } {
  const trail: string[] = [];
  let bad: string[] = [];
  walk(m, choices, (_prev, a, next) => {
    trail.push(m.presentation.formatAction(a));
    bad = problems(next);
    return bad.length > 0;
  });
  return { trail, bad };
}

describe('random walks never reach an ill-formed state', () => {
  for (const name of ['upstream', 'in-place', 'thread-proposal', 'upstream-tdx', 'in-place-snp']) {
    it(`${name}: 300 walks of up to 60 steps at 4 pages, 2 VMs, 3 threads`, () => {
      const m = gmemModel({ design: designs[name], bounds: BIG });
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 60 }), (choices) => {
          const { trail, bad } = firstProblem(m, choices);
          if (bad.length > 0) throw new Error(`${bad.join('; ')}\n  after: ${trail.join('\n         ')}`);
        }),
        { numRuns: 300, seed: 20250709 },
      );
    });
  }

  it('the well-formedness check itself catches a pfn owned twice and a negative refcount', () => {
    const m = gmemModel({ design: designs.upstream, bounds: { pages: 2 } });
    const s = [...m.initStates()][0];
    const broken = {
      ...s,
      filemap: [0, 0],
      pfns: s.pfns.map((p, k) => (k === 0 ? { ...p, index: 0, cached: true, refs: -1 } : p)),
    };
    expect(problems(broken)).toEqual([
      'pfn 0 has a negative refcount',
      'pfn 0 is owned twice: indices 0 and 1',
      "index 1's pfn 0 does not say it backs index 1",
    ]);
  });
});
