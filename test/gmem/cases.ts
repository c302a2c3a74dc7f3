/**
 * One planted bug per property: the buggy design, the design whose fix guards the property, the
 * smallest bounds that show it, and the shortest counterexample the checker must find.
 */
import type { BoundsInput } from '../../src/index.ts';

export interface BugCase {
  /** The claim, as the test's name. */
  claim: string;
  design: string;
  /** The design with the fix: the property holds there at the same bounds. */
  fixed: string;
  bounds: BoundsInput;
  property: string;
  length: number;
  steps: string[];
  why: string;
}

const one = { inFlight: 1 } as const;

/**
 * A private fault whose install lands inside PUNCH_HOLE's invalidation, before its truncate: in
 * memslot 0 racing a PUNCH_HOLE of both memslots' indices (no-range-union-memslots), and the arch
 * tables' designs without the retry check (arch-races.test.ts).
 */
export const FAULT_INSIDE_PUNCH_HOLE = [
  'CPU0 kvm_mmu_faultin_pfn',
  'CPU0 kvm_mem_is_private',
  'CPU0 kvm_gmem_get_pfn',
  'CPU1 kvm_gmem_punch_hole',
  'CPU0 kvm_tdp_mmu_map',
  'CPU1 truncate_inode_pages_range',
];

/**
 * populate-checks-before-lock: populate checks the attribute at its GUP, inside a conversion to
 * shared's invalidation before the attribute changes, and writes once the conversion has ended
 * (also on the moved memslot layout, memslots.test.ts).
 */
export const POPULATE_AROUND_CONVERSION = [
  'CPU0 filemap_invalidate_lock',
  'CPU0 kvm_gmem_invalidate_begin',
  'CPU1 get_user_pages_fast',
  'CPU0 kvm_gmem_set_attributes',
  'CPU0 kvm_gmem_invalidate_end',
  'CPU1 kvm_gmem_populate',
];

export const CASES: BugCase[] = [
  {
    claim: 'a GUP pin survives a conversion to private that skips the refcount check',
    design: 'no-refcount-check',
    fixed: 'in-place',
    property: 'no-shared-access-to-private',
    bounds: { ...one, ops: { mmapFault: 1, pin: 1, convert: 1 }, initiallyShared: true },
    length: 8,
    steps: [
      'CPU0 lock_mm_and_find_vma',
      'CPU0 kvm_gmem_fault_user_mapping',
      'CPU0 finish_fault',
      'CPU0 pin_user_pages',
      'CPU0 filemap_invalidate_lock',
      'CPU0 kvm_gmem_invalidate_begin',
      'CPU0 kvm_gmem_set_attributes',
      'CPU0 kvm_gmem_invalidate_end',
    ],
    why: 'index 0x0 is private, yet a GUP pin holds pfn 0x10',
  },
  {
    // In-place series v7 patch 01: kvm_gmem_fault_user_mapping drops invalidate_lock after
    // kvm_gmem_get_folio and before finish_fault installs the PTE; only the reference it holds
    // makes the conversion's refcount check fail with -EAGAIN in that window.
    claim:
      'a userspace fault between its shareability check and its PTE maps a page a conversion without the refcount check made private',
    design: 'no-refcount-check',
    fixed: 'in-place',
    property: 'no-shared-access-to-private',
    bounds: { ops: { mmapFault: 1, convert: 1 }, initiallyShared: true },
    length: 6,
    steps: [
      'CPU0 lock_mm_and_find_vma',
      'CPU0 kvm_gmem_fault_user_mapping',
      'CPU1 filemap_invalidate_lock',
      'CPU0 finish_fault',
      'CPU1 kvm_gmem_invalidate_begin',
      'CPU1 kvm_gmem_set_attributes',
    ],
    why: 'index 0x0 is private, yet userspace maps it (pfn 0x10)',
  },
  {
    claim: 'the huge folio series zeroes the punched half of a huge folio in place: a host write into a private page',
    design: 'hugepage-series',
    fixed: 'in-place',
    property: 'no-shared-access-to-private',
    bounds: { ...one, ops: { fault: 1, punchHole: 1 }, faultType: 'private' },
    length: 6,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range',
    ],
    why: 'the host wrote zeroes into pfn 0x10 of a private index (truncate of a partial folio)',
  },
  {
    claim: 'a fault that read the attribute before a conversion to shared installs a private mapping after it',
    design: 'no-invalidate-retry',
    fixed: 'upstream',
    property: 'no-private-access-after-shared-conversion',
    bounds: {},
    length: 6,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU1 kvm_mmu_invalidate_begin',
      'CPU0 kvm_tdp_mmu_map',
      'CPU1 kvm_vm_set_mem_attributes',
    ],
    why: 'gfn 0x0 is shared, yet vm0 maps it private to pfn 0x10',
  },
  {
    claim: 'PUNCH_HOLE that zaps only private SPTEs leaves a shared SPTE to a freed in-place folio',
    design: 'zap-private-only',
    fixed: 'in-place',
    property: 'no-mapping-of-freed-memory',
    bounds: { ...one, ops: { fault: 1, punchHole: 1 }, faultType: 'shared', initiallyShared: true },
    length: 6,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range',
    ],
    why: 'vm0 maps gfn 0x0 to pfn 0x10, which is back in the host allocator',
  },
  {
    claim: 'a memslot deleted between fput and kvm_gmem_release stays bound when unbind skips dying files',
    design: 'unbind-skips-dying-file',
    fixed: 'upstream',
    property: 'no-mapping-of-freed-memory',
    bounds: { ops: { close: 1, unbind: 1 } },
    length: 4,
    steps: ['CPU0 fput', 'CPU1 kvm_invalidate_memslot', 'CPU1 kvm_arch_flush_shadow_memslot', 'CPU1 kvm_gmem_unbind'],
    why: "vm0's guest_memfd file still binds its deleted memslot",
  },
  {
    claim:
      'a memslot unbound without invalidate_lock while PUNCH_HOLE invalidates it: the end finds no binding, in_progress stays raised',
    design: 'unbind-without-invalidate-lock',
    fixed: 'upstream',
    property: 'invalidations-balanced',
    bounds: { ops: { punchHole: 1, unbind: 1 } },
    length: 6,
    steps: [
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range',
      'CPU1 kvm_invalidate_memslot',
      'CPU1 kvm_arch_flush_shadow_memslot',
      'CPU1 kvm_gmem_unbind',
      'CPU0 kvm_gmem_invalidate_end',
    ],
    why: "no operation is in flight, yet vm0's mmu_invalidate_in_progress is 1",
  },
  {
    claim: 'an IOMMU that PUNCH_HOLE does not notify keeps mapping a freed page',
    design: 'iommu-no-notify',
    fixed: 'in-place-iommu',
    property: 'no-mapping-of-freed-memory',
    bounds: { ...one, ops: { iommuMap: 1, punchHole: 1 } },
    length: 3,
    steps: ['CPU0 iommu_map', 'CPU0 kvm_gmem_punch_hole', 'CPU0 truncate_inode_pages_range'],
    why: 'IOMMU domain 0 maps index 0x0 to pfn 0x10, which is back in the host allocator',
  },
  {
    claim: 'deferred RMP reclaim hands the allocator a page still assigned to the guest',
    design: 'rmp-deferred-reclaim',
    fixed: 'upstream-snp',
    property: 'rmp-removed-on-last-reference',
    bounds: { ...one, ops: { fault: 1, punchHole: 1 }, faultType: 'private' },
    length: 6,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range',
    ],
    why: 'pfn 0x10 is back in the host allocator, yet its RMP entry is assigned to ASID 1',
  },
  {
    // Not planted: the window ce7b5695397b accepts (no page reference, a failed removal only
    // bugs the VM); tdx-pins-pages is the kernel before it, which leaks the page instead.
    claim: 'a failed TDX removal lets PUNCH_HOLE free a page the S-EPT still maps',
    design: 'upstream-tdx',
    fixed: 'tdx-pins-pages',
    property: 'tdx-page-removed-and-cleared-before-free',
    bounds: { ...one, ops: { fault: 1, punchHole: 1, tdxRemoveFail: 1 }, faultType: 'private' },
    length: 6,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range',
    ],
    why: "pfn 0x10 is back in the host allocator, yet vm0's S-EPT still maps it",
  },
  {
    claim: 'without the lpage mixed flag (90b4fe17981e) a shared fault maps a THP chunk huge across a private gfn',
    design: 'no-mixed-attributes-check',
    fixed: 'upstream-thp',
    property: 'mapping-level-fits',
    bounds: { ...one, ops: { fault: 1, convert: 1 }, initiallyShared: true, faultType: 'shared', convertTo: 'private' },
    length: 6,
    steps: [
      'CPU0 kvm_mmu_invalidate_begin',
      'CPU0 kvm_vm_set_mem_attributes',
      'CPU0 kvm_mmu_invalidate_end',
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_tdp_mmu_map',
    ],
    why: 'vm0 maps [0x0, 0x2) huge (shared), but gfn 0x0 is private and gfn 0x1 is shared',
  },
  {
    // The race 9129633d568e fixed: gfn 0x0 is outside the converted range, so the fault passes
    // mmu_invalidate_retry_gfn, and the mixed flag is written only after the store.
    claim:
      'without the straddling chunk in the invalidation a shared fault maps a THP chunk huge while its other gfn turns private',
    design: 'no-straddle-invalidation',
    fixed: 'upstream-thp',
    property: 'mapping-level-fits',
    bounds: { ops: { fault: 1, convert: 1 }, initiallyShared: true, faultType: 'shared', convertTo: 'private' },
    length: 5,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU1 kvm_mmu_invalidate_begin',
      'CPU0 kvm_tdp_mmu_map',
      'CPU1 kvm_vm_set_mem_attributes',
    ],
    why: 'vm0 maps [0x0, 0x2) huge (shared), but gfn 0x0 is shared and gfn 0x1 is private',
  },
  {
    claim: 'a huge folio not split when half of it turns shared keeps max_order huge: a private fault maps it huge',
    design: 'huge-folio-not-split',
    fixed: 'hugepage-series',
    property: 'mapping-level-fits',
    bounds: { ...one, ops: { fault: 1, convert: 1 }, faultType: 'private', convertTo: 'shared' },
    length: 8,
    steps: [
      'CPU0 filemap_invalidate_lock',
      'CPU0 kvm_gmem_invalidate_begin',
      'CPU0 kvm_gmem_set_attributes',
      'CPU0 kvm_gmem_invalidate_end',
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
    ],
    why: 'vm0 maps [0x0, 0x2) huge (private), but gfn 0x0 is shared and gfn 0x1 is private',
  },
  {
    claim: 'a conversion that checks refcounts index by index fails half done',
    design: 'conversion-per-index',
    fixed: 'in-place',
    property: 'conversion-all-or-nothing',
    bounds: { ...one, ops: { mmapFault: 1, pin: 1, convert: 1 }, initiallyShared: true, ranges: 'all' },
    length: 7,
    steps: [
      'CPU0 lock_mm_and_find_vma',
      'CPU0 kvm_gmem_fault_user_mapping',
      'CPU0 finish_fault',
      'CPU0 pin_user_pages',
      'CPU0 filemap_invalidate_lock',
      'CPU0 kvm_gmem_invalidate_begin',
      'CPU0 kvm_gmem_set_attributes',
    ],
    why: 'a conversion of [0x0, 0x2) to private failed, yet it made index 0x0 private',
  },
  {
    claim:
      'without a pin, the reference a userspace fault holds until finish_fault fails the per-index conversion half done (a race)',
    design: 'conversion-per-index',
    fixed: 'in-place',
    property: 'conversion-all-or-nothing',
    bounds: { ops: { mmapFault: 1, convert: 1 }, initiallyShared: true, ranges: 'all', convertTo: 'private' },
    length: 5,
    steps: [
      'CPU0 lock_mm_and_find_vma',
      'CPU0 kvm_gmem_fault_user_mapping',
      'CPU1 filemap_invalidate_lock',
      'CPU1 kvm_gmem_invalidate_begin',
      'CPU1 kvm_gmem_set_attributes',
    ],
    why: 'a conversion of [0x0, 0x2) to private failed, yet it made index 0x0 private',
  },
  {
    claim:
      "intra-host migration with the RMP tied to the binding, read literally: the source release reclaims the destination's private page",
    design: 'thread-proposal-literal',
    fixed: 'thread-proposal',
    property: 'rmp-assigned-while-private-mapped',
    bounds: { vms: 2, pages: 1, ops: { fault: 1, link: 1, close: 1, destroyVm: 1 }, faultType: 'private' },
    length: 6,
    steps: [
      'CPU0 kvm_gmem_link',
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_gmem_get_pfn',
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 fput',
      'CPU0 kvm_gmem_release',
    ],
    why: 'vm1 (ASID 1) maps gfn 0x0 private to pfn 0x10, whose RMP entry is hypervisor-owned',
  },
  {
    claim: 'a premapped mirror SPTE outlives a failed TDH.MEM.PAGE.ADD',
    design: 'tdx-premap',
    fixed: 'upstream-tdx',
    property: 'tdx-mirror-matches-sept',
    bounds: { ...one, ops: { populate: 1, tdxRemoveFail: 1 } },
    length: 3,
    steps: ['CPU0 kvm_tdp_map_page', 'CPU0 get_user_pages_fast', 'CPU0 kvm_gmem_populate'],
    why: "vm0's mirror SPTE maps gfn 0x0 to pfn 0x10, which its S-EPT does not map",
  },
  {
    claim: 'zeroing only the faulted page of a huge folio maps its other page uncleared',
    design: 'zero-one-page-of-folio',
    fixed: 'in-place',
    property: 'zeroed-before-first-use',
    bounds: { ...one, ops: { fault: 2 }, faultType: 'private' },
    length: 4,
    steps: ['CPU0 kvm_mmu_faultin_pfn', 'CPU0 kvm_mem_is_private', 'CPU0 kvm_gmem_get_pfn', 'CPU0 kvm_tdp_mmu_map'],
    why: 'vm0 maps gfn 0x1 to pfn 0x11, which was never zeroed',
  },
  {
    claim: 'a fault without the mmu_invalidate_seq check installs an SPTE inside an invalidation',
    design: 'no-invalidate-retry',
    fixed: 'upstream',
    property: 'no-stale-mapping-during-invalidation',
    bounds: {},
    length: 5,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU1 kvm_mmu_invalidate_begin',
      'CPU0 kvm_tdp_mmu_map',
    ],
    why: 'vm0 installed an SPTE for [0x0, 0x1) while a conversion of [0x0, 0x1) was invalidating it',
  },
  {
    // The guest_memfd series v12's range_add: of the conversion's three adds (exact [0x1, 0x3),
    // head chunk [0x0, 0x2), tail chunk [0x2, 0x4)) only the last is remembered, so gfn 0x1,
    // whose attribute is changing, passes mmu_invalidate_retry_gfn.
    claim: 'a range_add that overwrites within one invalidation forgets the converted gfn',
    design: 'no-range-union',
    fixed: 'upstream-thp',
    property: 'no-stale-mapping-during-invalidation',
    bounds: { pages: 4, ranges: 'pairs', ops: { fault: 1, convert: 1 }, faultType: 'private', convertTo: 'shared' },
    length: 5,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn',
      'CPU1 kvm_mmu_invalidate_begin',
      'CPU0 kvm_tdp_mmu_map',
    ],
    why: 'vm0 installed an SPTE for [0x1, 0x2) while a conversion of [0x1, 0x3) was invalidating it',
  },
  {
    claim: 'guest_memfd that pre-faults maps memory into KVM from fallocate',
    design: 'gmem-prefault',
    fixed: 'upstream',
    property: 'no-prefault-by-gmem',
    bounds: { ...one, ops: { allocate: 1 } },
    length: 1,
    steps: ['CPU0 kvm_gmem_allocate'],
    why: "guest_memfd's kvm_gmem_allocate created vm0's SPTE for gfn 0x0 on its own (pre-fault)",
  },
  {
    claim: 'fallocate that prepares folios assigns them in the RMP',
    design: 'fallocate-prepares',
    fixed: 'upstream-snp',
    property: 'no-prefault-by-gmem',
    bounds: { ...one, ops: { allocate: 1 } },
    length: 1,
    steps: ['CPU0 kvm_gmem_allocate'],
    why: "guest_memfd's kvm_gmem_allocate cleared pfn 0x10 (folio_mark_uptodate) outside a KVM fault or populate",
  },
  {
    claim: 'upstream SNP calls rmp_make_private from guest_memfd (kvm_arch_gmem_prepare)',
    design: 'upstream-snp',
    fixed: 'thread-proposal',
    property: 'no-arch-calls-from-gmem',
    bounds: { ...one, ops: { fault: 1 }, faultType: 'private' },
    length: 3,
    steps: ['CPU0 kvm_mmu_faultin_pfn', 'CPU0 kvm_mem_is_private', 'CPU0 kvm_gmem_get_pfn'],
    why: "guest_memfd's kvm_gmem_get_pfn wrote the RMP entry of pfn 0x10 itself",
  },
  {
    claim:
      'a page freed before the work item reclaims its RMP entry backs another gfn, whose entry keeps the first GPA',
    design: 'rmp-deferred-reclaim',
    fixed: 'upstream-snp',
    property: 'rmp-entry-matches-mapping',
    bounds: { ...one, ops: { fault: 2, punchHole: 1 }, faultType: 'private' },
    length: 11,
    steps: [
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn', //         gfn 0x0: rmp_make_private(pfn 0x10, GPA of gfn 0x0)
      'CPU0 kvm_tdp_mmu_map',
      'CPU0 kvm_gmem_punch_hole',
      'CPU0 truncate_inode_pages_range', // freed, the reclaim queued to the work item
      'CPU0 kvm_gmem_invalidate_end',
      'CPU0 kvm_mmu_faultin_pfn',
      'CPU0 kvm_mem_is_private',
      'CPU0 kvm_gmem_get_pfn', //         gfn 0x1 gets pfn 0x10; sev_gmem_prepare leaves the assigned entry
      'CPU0 kvm_tdp_mmu_map',
    ],
    why: 'vm0 maps gfn 0x1 private to pfn 0x10, whose RMP entry was assigned for gfn 0x0',
  },
  {
    claim: 'populate that checks the attribute before invalidate_lock writes a gfn an in-place conversion made shared',
    design: 'populate-checks-before-lock',
    fixed: 'in-place-snp',
    property: 'populate-only-private-unassigned',
    bounds: { ops: { populate: 1, convert: 1 }, convertTo: 'shared' },
    length: 6,
    steps: POPULATE_AROUND_CONVERSION,
    why: 'populate wrote gfn 0x0, which is shared',
  },
  {
    // mmap_lock is an rwsem: populate's GUP and the userspace fault both read it, so the cycle
    // closes only once munmap's mmap_write_lock queues between them (writer fairness).
    claim:
      'populate that GUPs under invalidate_lock deadlocks with a userspace fault on the guest_memfd mmap once munmap queues for mmap_lock',
    design: 'populate-gup-under-lock',
    fixed: 'in-place-snp',
    property: 'every-operation-ends',
    bounds: { inFlight: 3, ops: { mmapFault: 1, populate: 1, munmap: 1 }, initiallyShared: true },
    length: 3,
    steps: ['CPU0 filemap_invalidate_lock', 'CPU1 lock_mm_and_find_vma', 'CPU2 mmap_write_lock'],
    why: 'no thread can move: CPU0 populate waits in get_user_pages; CPU1 mmapFault waits in kvm_gmem_fault_user_mapping; CPU2 munmap waits in do_vmi_munmap',
  },
  {
    // Before 3ab3283dbb2c tdx_gmem_post_populate mapped the page through kvm_tdp_map_page ->
    // kvm_gmem_get_pfn, which in the in-place series takes invalidate_lock shared.
    claim: 'TDX post_populate that simulates a fault waits for the invalidate_lock its own populate holds',
    design: 'tdx-populate-refaults',
    fixed: 'in-place-tdx',
    property: 'every-operation-ends',
    bounds: { ops: { populate: 1 } },
    length: 2,
    steps: ['CPU0 get_user_pages_fast', 'CPU0 kvm_gmem_populate'],
    why: 'no thread can move: CPU0 populate waits in tdx_gmem_post_populate',
  },
  // Memslots and bindings (issue 12). The guest_memfd series v12's range_add over two memslots
  // of one file (gfns 0x2-0x3 bind indices 0x0-0x1): PUNCH_HOLE adds memslot 0's range, then
  // memslot 1's over it, so the fault at gfn 0x2 passes mmu_invalidate_retry_gfn.
  {
    claim: 'one PUNCH_HOLE over two memslots remembers only the second: a fault in the first maps a page being freed',
    design: 'no-range-union-memslots',
    fixed: 'upstream',
    property: 'spte-matches-translation',
    bounds: { memslots: 2, slotBase: 2, ranges: 'all', ops: { fault: 1, punchHole: 1 }, faultType: 'private' },
    length: 6,
    steps: FAULT_INSIDE_PUNCH_HOLE,
    why: 'vm0 maps gfn 0x2 (index 0x0) to pfn 0x10, which is back in the host allocator',
  },
  {
    claim: 'the same race seen as the invalidation ends: memslot 0 keeps its mapping of a punched index',
    design: 'no-range-union-memslots',
    fixed: 'upstream',
    property: 'invalidation-reaches-every-binding',
    bounds: { memslots: 2, ranges: 'all', ops: { fault: 1, punchHole: 1 }, faultType: 'private' },
    length: 7,
    steps: [...FAULT_INSIDE_PUNCH_HOLE, 'CPU1 kvm_gmem_invalidate_end'],
    why: 'PUNCH_HOLE of [0x0, 0x2) ended, yet vm0 still maps gfn 0x0 through memslot 0 (gfns [0x0, 0x1)) private to pfn 0x10',
  },
  {
    claim: "kvm_gmem_bind without its overlap check binds a deleted memslot over its neighbour's indices",
    design: 'bind-no-overlap-check',
    fixed: 'upstream',
    property: 'bindings-do-not-overlap',
    bounds: { ...one, memslots: 2, ops: { unbind: 1, bind: 1 } },
    length: 4,
    steps: [
      'CPU0 kvm_invalidate_memslot',
      'CPU0 kvm_arch_flush_shadow_memslot',
      'CPU0 kvm_gmem_unbind',
      'CPU0 kvm_gmem_bind',
    ],
    why: "vm0's guest_memfd binds index 0x1 through memslots 0 (gfn 0x0) and 1 (gfn 0x1)",
  },
  // 992b54bd083c: a memslot of one 2M page inside the model's 1G page (gfns 0x0-0x3); before the
  // fix the 1G head check reads the 2M entry past the memslot's array. One conversion alone.
  {
    claim: 'before 992b54bd083c, converting a memslot smaller than 1G reads its 2M lpage_info past the end',
    design: 'lpage-info-overflow',
    fixed: 'upstream-thp',
    property: 'lpage-info-in-bounds',
    bounds: { pages: 2, ranges: 'all', initiallyShared: true, ops: { convert: 1 } },
    length: 3,
    steps: ['CPU0 kvm_mmu_invalidate_begin', 'CPU0 kvm_vm_set_mem_attributes', 'CPU0 kvm_mmu_invalidate_end'],
    why: "hugepage_has_attrs of the 1G page at gfn 0x0 read the 2M lpage_info of gfns [0x2, 0x4), past the end of vm0's memslot 0 (gfns [0x0, 0x2))",
  },
];
