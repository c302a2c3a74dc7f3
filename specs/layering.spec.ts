/**
 * The layering rules of the thread: guest_memfd does not pre-fault on behalf of its users, and
 * does not talk to the architecture layer itself; all arch work goes through KVM or the IOMMU.
 * Today kvm_gmem_get_pfn() calls kvm_arch_gmem_prepare() and kvm_gmem_free_folio() calls
 * kvm_arch_gmem_invalidate(): upstream keeps the first rule and breaks the second on SNP.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Layering: no pre-fault, no arch calls from guest_memfd',
  question:
    'Does any guest_memfd step create a mapping or prepare a folio for its users, or write an arch table itself?',
  bounds: { pages: 2, ops: { fault: 1, allocate: 1, punchHole: 1 }, faultType: 'private' },
  designs: ['upstream', 'upstream-snp', 'thread-proposal', 'gmem-prefault', 'fallocate-prepares'],
  properties: [
    'no-prefault-by-gmem',
    'no-arch-calls-from-gmem',
    'zeroed-before-first-use',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // Today's kvm_gmem_get_pfn() -> kvm_arch_gmem_prepare() -> rmp_make_private():
    // the arch call the thread wants to move out of guest_memfd.
    'upstream-snp': {
      'no-arch-calls-from-gmem': 'violated',
    },
    'gmem-prefault': {
      'no-prefault-by-gmem': 'violated',
      'zeroed-before-first-use': 'violated',
    },
    'fallocate-prepares': {
      'no-prefault-by-gmem': 'violated',
      'no-arch-calls-from-gmem': 'violated',
    },
  },
});
