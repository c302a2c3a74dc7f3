/**
 * TDX: a vCPU fault against fallocate(PUNCH_HOLE). kvm_mmu_faultin_pfn() takes its pfn from
 * kvm_gmem_get_pfn() before mmu_lock; kvm_gmem_punch_hole() zaps the S-EPT (kvm_gmem_invalidate_begin
 * -> tdx_sept_remove_private_spte) and truncate_inode_pages_range() frees the page once the
 * fault's reference goes (kvm_release_faultin_page). Since ce7b5695397b the S-EPT holds no page
 * reference, so only the retry check under mmu_lock (is_page_fault_stale ->
 * mmu_invalidate_retry_gfn, arch/x86/kvm/mmu/mmu.c) keeps TDH.MEM.PAGE.AUG of a truncated page out.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A TDX fault racing PUNCH_HOLE',
  question:
    'Can a vCPU fault that took its pfn before PUNCH_HOLE add the page to the S-EPT after the zap, so that the host frees a page the TD maps?',
  bounds: { pages: 2, ops: { fault: 2, punchHole: 1 }, faultType: 'private' },
  designs: ['upstream-tdx', 'no-invalidate-retry-tdx'],
  properties: [
    'tdx-page-removed-and-cleared-before-free',
    'tdx-mirror-matches-sept',
    'no-mapping-of-freed-memory',
    'no-stale-mapping-during-invalidation',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
    'fault-retries-after-invalidation',
  ],
  unlike: {
    // Only a race: the fault maps the page in the S-EPT while PUNCH_HOLE's invalidation is in
    // progress, after its zap; the truncate then frees the page the TD maps. Without the retry
    // check no fault ever retries, hence the unsatisfied witness.
    'no-invalidate-retry-tdx': {
      'tdx-page-removed-and-cleared-before-free': 'violated',
      'no-mapping-of-freed-memory': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
      'fault-retries-after-invalidation': 'unsatisfied',
    },
  },
});
