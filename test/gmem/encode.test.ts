/**
 * The fast encoding (src/encode.ts) tells states apart exactly as the generic fingerprint of the
 * whole state does: over random reachable states of several designs, two states share a fast
 * fingerprint if and only if they share a generic one. fast-check draws the walks (seed fixed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../checker/index.ts';
import { Hasher } from '../../checker/fingerprint.ts';
import { designs, gmemModel } from '../../src/index.ts';
import type { BoundsInput, GmemModel, GmemState } from '../../src/index.ts';
import { encodeState } from '../../src/encode.ts';
import { walk } from './walk.ts';

/** Small enough that walks meet the same states by different paths, wide enough to use every field. */
const BOUNDS: BoundsInput = {
  pages: 2,
  vms: 2,
  vcpus: 2,
  inFlight: 2,
  ranges: 'all',
  faultType: 'both',
  convertTo: 'both',
  ops: {
    fault: 3,
    convert: 2,
    punchHole: 1,
    allocate: 1,
    populate: 1,
    close: 1,
    unbind: 1,
    link: 1,
    destroyVm: 1,
    mmapFault: 2,
    munmap: 1,
    pin: 1,
    unpin: 1,
    iommuMap: 1,
    rmpReclaimWork: 1,
    tdxRemoveFail: 1,
  },
};

/** Every arch, attributes in KVM and in guest_memfd, huge folios, IOMMU maps, linking, deferred RMP reclaim. */
const DESIGNS = [
  'upstream',
  'in-place',
  'thread-proposal',
  'upstream-snp',
  'upstream-tdx',
  'in-place-snp',
  'in-place-tdx',
  'in-place-iommu',
  'rmp-deferred-reclaim',
  'upstream-linking',
];

type Encode = (s: GmemState, out: Hasher) => void;

function fastFingerprint(encode: Encode, s: GmemState, h: Hasher): string {
  h.reset();
  encode(s, h);
  h.finish();
  return `${h.hi}:${h.lo}`;
}

/**
 * The pairs the two fingerprints disagree on, one witness per class: a fast fingerprint shared by
 * states the generic one tells apart, or the reverse. Equal relations on n states: each
 * fingerprint of one kind maps to exactly one of the other.
 */
function disagreements(states: readonly GmemState[], encode: Encode): string[] {
  const h = new Hasher();
  const fastToGeneric = new Map<string, string>();
  const genericToFast = new Map<string, string>();
  const out: string[] = [];
  for (const s of states) {
    const f = fastFingerprint(encode, s, h);
    const g = fingerprint(s);
    if ((fastToGeneric.get(f) ?? g) !== g) out.push(`fast ${f} joins generic ${fastToGeneric.get(f)} and ${g}`);
    if ((genericToFast.get(g) ?? f) !== f) out.push(`generic ${g} joins fast ${genericToFast.get(g)} and ${f}`);
    fastToGeneric.set(f, g);
    genericToFast.set(g, f);
  }
  return out;
}

/** The states of several walks, each from the initial state; repeats kept (they are the test). */
function statesOf(m: GmemModel, walks: number[][]): GmemState[] {
  const out = [...m.initStates()];
  for (const choices of walks) walk(m, choices, (_p, _a, next) => void out.push(next));
  return out;
}

const walks = fc.array(fc.array(fc.nat(), { maxLength: 40 }), { minLength: 2, maxLength: 12 });

describe('the fast encoding separates exactly the pairs the generic fingerprint separates', () => {
  for (const name of DESIGNS) {
    it(`${name}: random reachable states, private and shared at first`, () => {
      for (const initiallyShared of [false, true]) {
        const m = gmemModel({ design: designs[name], bounds: { ...BOUNDS, initiallyShared } });
        fc.assert(
          fc.property(walks, (ws) => {
            expect(disagreements(statesOf(m, ws), encodeState)).toEqual([]);
          }),
          { numRuns: 25, seed: 20251201 },
        );
      }
    });
  }

  it('walks meet equal states by different paths, so that the check sees equal pairs too', () => {
    const m = gmemModel({ design: designs['in-place'], bounds: { ...BOUNDS, initiallyShared: true } });
    const paths = new Map<string, Set<string>>();
    for (const ws of fc.sample(walks, { seed: 20251201, numRuns: 10 })) {
      for (const choices of ws) {
        const path: string[] = [];
        walk(m, choices, (_p, a, next) => {
          path.push(m.presentation.formatAction(a));
          const g = fingerprint(next);
          paths.set(g, (paths.get(g) ?? new Set()).add(path.join('; ')));
        });
      }
    }
    expect([...paths.values()].filter((p) => p.size > 1).length).toBeGreaterThan(0);
  });

  it('catches an encoding that leaves a field out: the step a thread is at', () => {
    const m = gmemModel({ design: designs.upstream, bounds: BOUNDS });
    const lossy: Encode = (s, out) => encodeState({ ...s, threads: s.threads.map((t) => t && { ...t, pc: '' }) }, out);
    const found: string[] = [];
    fc.assert(
      fc.property(walks, (ws) => {
        found.push(...disagreements(statesOf(m, ws), lossy));
      }),
      { numRuns: 25, seed: 20251201 },
    );
    expect(found.length).toBeGreaterThan(0);
  });
});
