/**
 * A memslot smaller than a 1G page and starting at its aligned gfn: KVM_SET_MEMORY_ATTRIBUTES
 * walks lpage_info from 2M up (kvm_arch_post_set_memory_attributes); for the head 1G page,
 * hugepage_has_attrs reads the 2M entries of the 2M pages inside it. Before 992b54bd083c ("KVM:
 * x86/mmu: x86: Don't overflow lpage_info when checking attributes") the head is processed
 * whenever it starts inside the memslot, and the read runs past the end of the memslot's 2M array
 * (the KASAN vmalloc-out-of-bounds of private_mem_conversions_test). The model's 1G page is 4
 * pages (two 2M pages), used only for this walk (kernel/lpage-info.ts); the memslot here is one
 * 2M page, gfns 0x0-0x1.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: "A memslot smaller than a 1G page and KVM_SET_MEMORY_ATTRIBUTES' lpage_info walk",
  question:
    'Can a conversion read lpage_info past the end of a memslot smaller than a 1G page, and does the flag it then writes let a fault map a huge page over mixed attributes?',
  bounds: { pages: 2, ranges: 'all', initiallyShared: true, inFlight: 2, ops: { fault: 2, convert: 1 } },
  designs: ['upstream', 'upstream-thp', 'lpage-info-overflow'],
  properties: [
    'lpage-info-in-bounds',
    'mapping-level-fits',
    'no-shared-access-to-private',
    'no-private-access-after-shared-conversion',
    'no-stale-mapping-during-invalidation',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
    'huge-mapping-installed',
  ],
  unlike: {
    // Mainline's memslot memory is 4K here (upstream-thp backs it with THP): nothing maps huge.
    upstream: { 'huge-mapping-installed': 'unsatisfied' },
    // Converting gfns [0x0, 0x2) reads the 2M entry of gfns 0x2-0x3 while checking the 1G page
    // from gfn 0x0: one conversion alone, no race. The 1G entry it then writes is the memslot's
    // misaligned tail, already disallowed (kvm_alloc_memslot_metadata), so no mapping changes.
    'lpage-info-overflow': { 'lpage-info-in-bounds': 'violated' },
  },
});
