/**
 * The fault path against KVM_SET_MEMORY_ATTRIBUTES: kvm_mmu_faultin_pfn() reads
 * mmu_invalidate_seq and the attribute before it takes mmu_lock, so only the retry check under
 * mmu_lock (is_page_fault_stale / mmu_invalidate_retry_gfn) keeps a stale SPTE out.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A private mapping surviving a conversion to shared',
  question:
    'Can a vCPU fault that read the attribute before a racing conversion install an SPTE of the old type after it?',
  bounds: { pages: 2, vms: 1, ops: { fault: 2, convert: 2 } },
  designs: ['upstream', 'in-place', 'thread-proposal', 'no-invalidate-retry', 'in-place-no-kvm-notify'],
  properties: [
    'no-private-access-after-shared-conversion',
    'no-shared-access-to-private',
    'no-stale-mapping-during-invalidation',
    'invalidations-balanced',
    'every-operation-ends',
    'no-deadlock',
    'fault-retries-after-invalidation',
    'private-fault-on-shared-exits-to-userspace',
  ],
  unlike: {
    // Without the retry check no fault ever retries, hence the unsatisfied witness.
    'no-invalidate-retry': {
      'no-private-access-after-shared-conversion': 'violated',
      'no-shared-access-to-private': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
      'fault-retries-after-invalidation': 'unsatisfied',
    },
    // In place KVM keeps no copy of the attributes (kvm_mem_is_private reads guest_memfd's,
    // v7 patches 04-05), so a private fault on a shared gfn still exits; what the missing
    // notification loses is the zap and the sequence bump:
    // SPTEs of the old type survive a conversion, a shared one on a page turned private too.
    'in-place-no-kvm-notify': {
      'no-private-access-after-shared-conversion': 'violated',
      'no-shared-access-to-private': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
      'fault-retries-after-invalidation': 'unsatisfied',
    },
  },
});
