/**
 * The contract kit every model passes: deterministic actions, frozen states that nextState never
 * mutates, traces that replay, actions that read in kernel terms, bounds that reject nonsense.
 */
import { describe, expect, it } from 'vitest';
import { check, fingerprint, replay } from '../../checker/index.ts';
import { propertyDocs } from '../../checker/review/docs.ts';
import {
  designNames,
  designs,
  fillBounds,
  gmemModel,
  NO_DEADLOCK,
  PROPERTY_NAMES,
  propertyNamed,
} from '../../src/index.ts';
import type { Action, GmemModel, GmemState } from '../../src/index.ts';
import { CASES } from './cases.ts';
import { run } from './helpers.ts';

const deepFrozen = (x: unknown): boolean =>
  x === null || typeof x !== 'object' || (Object.isFrozen(x) && Object.values(x).every(deepFrozen));

/** Every state within `depth` steps, breadth first. */
function states(m: GmemModel, depth: number): GmemState[] {
  let level = [...m.initStates()];
  const all = [...level];
  for (let i = 0; i < depth; i++) {
    const next: GmemState[] = [];
    for (const s of level)
      for (const a of m.actions(s)) {
        const t = m.nextState(s, a);
        if (t) next.push(t);
      }
    all.push(...next);
    level = next;
  }
  return all;
}

describe('the guest_memfd model passes the contract kit', () => {
  const m = gmemModel({
    design: designs['in-place'],
    bounds: { ops: { fault: 2, convert: 1, punchHole: 1, mmapFault: 1, pin: 1 } },
  });
  const sample = states(m, 4);

  it('offers the same actions in the same order for the same state', () => {
    for (const s of sample) expect([...m.actions(s)]).toEqual([...m.actions(structuredClone(s))]);
  });

  it('hands the checker frozen states, and nextState leaves its input as it was', () => {
    for (const s of sample) {
      expect(deepFrozen(s)).toBe(true);
      const before = fingerprint(s);
      for (const a of m.actions(s)) m.nextState(s, a);
      expect(fingerprint(s)).toBe(before);
    }
  });

  it('gives equal successors for equal states (nextState is a pure function), over the first 50 states breadth first', () => {
    for (const s of sample.slice(0, 50)) {
      for (const a of m.actions(s)) {
        const x = m.nextState(s, a);
        const y = m.nextState(structuredClone(s), structuredClone(a));
        expect(x === undefined ? undefined : fingerprint(x)).toBe(y === undefined ? undefined : fingerprint(y));
      }
    }
  });

  it('encodes states as the generic fingerprint tells them apart: the same 2351 states either way', () => {
    const small = gmemModel({ design: designs['in-place'] });
    const fast = check(small, { fastEncoding: true });
    const generic = check(small, { fastEncoding: false });
    expect([fast.distinctStates, generic.distinctStates]).toEqual([2351, 2351]);
  });

  it("replays every planted bug's counterexample", () => {
    for (const c of CASES) {
      const r = run(c.design, c.bounds);
      const t = r.result.properties.find((p) => p.name === c.property)!.trace!;
      const actions = t.steps.slice(1).map((s) => s.action as Action);
      expect(replay(r.model, actions).ok).toBe(true);
    }
  });

  it('lists its properties in the order reports show them: invariants, step properties, liveness, witnesses', () => {
    expect(m.properties.map((p) => p.name)).toEqual(PROPERTY_NAMES);
    expect(PROPERTY_NAMES).toEqual([
      'no-shared-access-to-private',
      'no-private-access-after-shared-conversion',
      'no-mapping-of-freed-memory',
      'rmp-removed-on-last-reference',
      'tdx-page-removed-and-cleared-before-free',
      'mapping-level-fits',
      'invalidations-balanced',
      'rmp-assigned-while-private-mapped',
      'rmp-entry-matches-mapping',
      'private-iommu-maps-tee-page',
      'tdx-mirror-matches-sept',
      'zeroed-before-first-use',
      'no-stale-mapping-during-invalidation',
      'conversion-all-or-nothing',
      'bindings-do-not-overlap',
      'spte-matches-translation',
      'invalidation-reaches-every-binding',
      'lpage-info-in-bounds',
      'shared-pages-are-small',
      'no-huge-entry-over-split-folio',
      'restructure-with-refs-frozen',
      'huge-page-returns-whole',
      'failed-conversion-restores-range',
      'no-prefault-by-gmem',
      'no-arch-calls-from-gmem',
      'populate-only-private-unassigned',
      'every-operation-ends',
      'conversion-fails-with-eagain-on-pin',
      'private-fault-on-shared-exits-to-userspace',
      'fault-retries-after-invalidation',
      'huge-mapping-installed',
      'file-outlives-its-vm-through-link',
    ]);
    expect(m.properties.map((p) => p.kind)).toEqual(PROPERTY_NAMES.map((n) => propertyNamed(n)!.kind));
  });

  it("every property carries its record's non-empty why and where into the review, in every design", () => {
    for (const name of designNames()) {
      const undocumented = gmemModel({ design: designs[name] })
        .properties.filter(
          (p) =>
            !p.why?.trim() ||
            !p.where?.trim() ||
            p.why !== propertyNamed(p.name)!.why ||
            p.where !== propertyNamed(p.name)!.where,
        )
        .map((p) => `${name}: ${p.name}`);
      expect(undocumented).toEqual([]);
    }
  });
  it("the deadlock check reads as guest_memfd means it (the lock order it guards), not the engine's generic sentence", () => {
    const docs = propertyDocs([gmemModel({ design: designs['in-place-snp'] })], ['no-deadlock']);
    expect(docs['no-deadlock']).toEqual(NO_DEADLOCK);
    expect(NO_DEADLOCK.why).toContain('mmap_lock vs invalidate_lock');
  });
});

describe('actions read in kernel terms', () => {
  const a = (over: Partial<Action>): Action => ({
    slot: 0,
    op: 'fault',
    step: 'kvm_mmu_faultin_pfn',
    vm: 0,
    lo: 1,
    hi: 2,
    priv: true,
    dom: 0,
    fail: false,
    ...over,
  });
  const m = gmemModel({ design: designs.upstream });

  it('formats faults, conversions and PUNCH_HOLE as a changelog would', () => {
    expect(m.presentation.formatAction(a({}))).toBe(
      'vm0 vCPU fault gfn 0x1 (private): kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq',
    );
    expect(
      m.presentation.formatAction(a({ op: 'convert', step: 'kvm_mmu_invalidate_begin', priv: false, slot: 1 })),
    ).toBe(
      'vm0 KVM_SET_MEMORY_ATTRIBUTES [0x1, 0x2) -> shared: kvm_mmu_invalidate_begin(); zap private SPTEs [0x1, 0x2)',
    );
    expect(m.presentation.formatAction(a({ op: 'punchHole', step: 'kvm_gmem_punch_hole', lo: 0, hi: 2 }))).toBe(
      'fallocate(PUNCH_HOLE) [0x0, 0x2): filemap_invalidate_lock(); kvm_gmem_invalidate_begin() [0x0, 0x2)',
    );
  });

  it('puts each thread slot in its own column and names the subsystem that acts', () => {
    expect(m.presentation.threadOf(a({ slot: 1 }))).toBe('CPU1');
    expect(m.presentation.actionName(a({}))).toBe('kvm_mmu_faultin_pfn');
    expect(m.presentation.actorOf(a({}))).toBe('KVM');
    expect(m.presentation.actorOf(a({ step: 'kvm_gmem_get_pfn' }))).toBe('guest_memfd');
    expect(m.presentation.actorOf(a({ op: 'mmapFault', step: 'lock_mm_and_find_vma' }))).toBe('userspace');
    expect(m.presentation.actorOf(a({ op: 'iommuMap', step: 'iommu_map' }))).toBe('IOMMU');
  });
});

describe('designs and bounds', () => {
  it('every named design builds a model whose first steps run', () => {
    for (const name of designNames()) {
      const m = gmemModel({ design: designs[name] });
      const s = [...m.initStates()][0];
      expect([...m.actions(s)].some((a) => m.nextState(s, a) !== undefined)).toBe(true);
      expect(m.terminal!(s)).toBe(true);
    }
  });

  it("fills bounds left out with the model's defaults: 2 pages, 1 VM, 2 operations in flight", () => {
    const b = fillBounds(designs.upstream, {});
    expect([b.pages, b.vms, b.inFlight, b.iommuDomains]).toEqual([2, 1, 2, 0]);
    expect(b.ops).toEqual({ fault: 2, convert: 1 });
    expect(fillBounds(designs['thread-proposal'], {}).iommuDomains).toBe(1);
  });

  it('rejects bounds that make no finite model, saying which and why', () => {
    expect(() => gmemModel({ design: designs.upstream, bounds: { pages: 0 } })).toThrow(
      'bounds.pages must be 1..8, got 0',
    );
    expect(() => gmemModel({ design: designs.upstream, bounds: { vms: 1.5 } })).toThrow(
      'bounds.vms must be a non-negative integer, got 1.5',
    );
    expect(() => gmemModel({ design: designs.upstream, bounds: { ops: { setAttributes: 1 } as never } })).toThrow(
      'bounds.ops.setAttributes is not an operation; use one of fault, convert, punchHole',
    );
  });
});
