/**
 * The arch tables broken by a race alone (issue 11): each design here keeps its property with one
 * operation in flight at its spec's bounds and breaks it at those bounds, where the shortest trace
 * interleaves two operations. The guard each design drops: KVM's retry check under mmu_lock
 * (is_page_fault_stale -> mmu_invalidate_retry_gfn, arch/x86/kvm/mmu/mmu.c) on SNP, on TDX and
 * in the thread's layout where KVM assigns the RMP entry at install, and the invalidate_lock the
 * IOMMU map through guest_memfd holds from its lookup to its map.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.ts';
import type { BoundsInput, GmemModel } from '../../src/index.ts';
import rmpSpec from '../../specs/rmp-on-last-reference.spec.ts';
import tdxSpec from '../../specs/tdx-fault-racing-punch-hole.spec.ts';
import sharedSpec from '../../specs/shared-access-to-private.spec.ts';
import truncationSpec from '../../specs/truncation-races.spec.ts';
import { FAULT_INSIDE_PUNCH_HOLE } from './cases.ts';
import { property, steps, why } from './helpers.ts';
import type { Run } from './helpers.ts';
import { follow } from './walk.ts';

type GmemSpec = typeof rmpSpec;

/** The design's model as its spec builds it (thread-slot symmetry on: the review's counts). */
function run(spec: GmemSpec, design: string, bounds: BoundsInput = spec.bounds): Run {
  const model = spec.model(design, bounds) as GmemModel;
  return { model, result: check(model, { deadlock: true }) };
}

interface RaceCase {
  spec: GmemSpec;
  design: string;
  property: string;
  /** Distinct states at the spec's bounds, and with one operation in flight. */
  states: [number, number];
  length: number;
  steps: string[];
  why: string;
}

const CASES: RaceCase[] = [
  {
    design: 'no-invalidate-retry-tdx',
    spec: tdxSpec,
    property: 'tdx-page-removed-and-cleared-before-free',
    states: [412, 86],
    length: 6,
    steps: FAULT_INSIDE_PUNCH_HOLE,
    why: "pfn 0x10 is back in the host allocator, yet vm0's S-EPT still maps it",
  },
  {
    design: 'no-invalidate-retry-snp',
    spec: rmpSpec,
    property: 'rmp-entry-matches-mapping',
    states: [3138, 362],
    length: 6,
    steps: FAULT_INSIDE_PUNCH_HOLE,
    why: 'vm0 (ASID 1) maps gfn 0x0 private to pfn 0x10, whose RMP entry is hypervisor-owned',
  },
  {
    design: 'no-invalidate-retry-snp',
    spec: rmpSpec,
    property: 'rmp-assigned-while-private-mapped',
    states: [3138, 362],
    length: 6,
    steps: FAULT_INSIDE_PUNCH_HOLE,
    why: 'vm0 (ASID 1) maps gfn 0x0 private to pfn 0x10, whose RMP entry is hypervisor-owned',
  },
  {
    spec: rmpSpec,
    design: 'thread-proposal-folio-rmp-no-retry',
    property: 'rmp-removed-on-last-reference',
    states: [2206, 366],
    length: 5,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_gmem_get_pfn',
      'CPU1 kvm_gmem_punch_hole',
      'CPU1 truncate_inode_pages_range',
      'CPU0 kvm_tdp_mmu_map',
    ],
    why: 'pfn 0x10 is back in the host allocator, yet its RMP entry is assigned to ASID 1',
  },
  {
    design: 'thread-proposal-iommu-map-unlocked',
    spec: sharedSpec,
    property: 'private-iommu-maps-tee-page',
    states: [2342, 1086],
    length: 8,
    steps: [
      'CPU0 filemap_invalidate_lock',
      'CPU0 kvm_gmem_invalidate_begin',
      'CPU0 kvm_gmem_set_attributes',
      'CPU0 kvm_gmem_invalidate_end',
      'CPU0 kvm_gmem_get_pfn',
      'CPU1 filemap_invalidate_lock',
      'CPU1 kvm_gmem_invalidate_begin',
      'CPU0 iommu_map',
    ],
    why: 'IOMMU domain 0 maps index 0x0 private to pfn 0x10, whose RMP entry is hypervisor-owned',
  },
  {
    spec: truncationSpec,
    design: 'thread-proposal-iommu-map-unlocked',
    property: 'no-mapping-of-freed-memory',
    states: [3478, 588],
    length: 4,
    steps: ['CPU0 kvm_gmem_get_pfn', 'CPU1 kvm_gmem_punch_hole', 'CPU0 iommu_map', 'CPU1 truncate_inode_pages_range'],
    why: 'IOMMU domain 0 maps index 0x0 to pfn 0x10, which is back in the host allocator',
  },
];

describe('arch tables and IOMMU mappings broken only by a race', () => {
  for (const c of CASES) {
    it(`${c.design} breaks ${c.property} at its spec's bounds in ${c.length} steps, two operations interleaved`, () => {
      const r = run(c.spec, c.design);
      expect(r.result.complete).toBe(true);
      expect(r.result.distinctStates).toBe(c.states[0]);
      expect(property(r, c.property).status).toBe('violated');
      expect(property(r, c.property).trace!.steps.length - 1).toBe(c.length);
      expect(steps(r, c.property)).toEqual(c.steps);
      expect(why(r, c.property)).toBe(c.why);
    });
    it(`${c.design} keeps ${c.property} with one operation in flight`, () => {
      const r = run(c.spec, c.design, { ...c.spec.bounds, inFlight: 1 });
      expect(r.result.complete).toBe(true);
      expect(r.result.distinctStates).toBe(c.states[1]);
      expect(property(r, c.property).status).toBe('holds');
    });
  }
});

describe('no-invalidate-retry-snp: the stale SPTE meets the pfn prepared again for another gfn', () => {
  it("after the race, a fault on gfn 0x1 gets the freed pfn and sev_gmem_prepare assigns it for gfn 0x1's GPA, under gfn 0x0's SPTE", () => {
    const model = rmpSpec.model('no-invalidate-retry-snp') as GmemModel;
    const s = follow(model, [
      'kvm_mmu_faultin_pfn@gfn 0x0',
      'kvm_mem_is_private',
      'kvm_gmem_get_pfn',
      'kvm_gmem_punch_hole@[0x0, 0x1)',
      'kvm_tdp_mmu_map',
      'truncate_inode_pages_range',
      'kvm_gmem_invalidate_end',
      'kvm_mmu_faultin_pfn@gfn 0x1',
      'kvm_mem_is_private',
      'kvm_gmem_get_pfn',
    ]);
    expect(s.vms[0].spte[0]).toEqual({ pfn: 0, private: true, level: 0 });
    expect([s.pfns[0].index, s.pfns[0].rmpAsid, s.pfns[0].rmpGpa]).toEqual([1, 1, 1]);
    expect(model.presentation.explain('rmp-entry-matches-mapping', s)).toBe(
      'vm0 maps gfn 0x0 private to pfn 0x10, whose RMP entry was assigned for gfn 0x1',
    );
  });
});
