/**
 * Liveness: every operation ends (no lock-order cycle, no invalidation left open, no retry
 * loop), and the documentation of the checker's deadlock report for this model.
 */
import type { PropertyDoc } from '../../checker/index.ts';
import type { LivenessProperty } from './record.ts';

/** From every reachable state, every path reaches a state with no thread and no enabled start. */
export const everyOperationEnds: LivenessProperty = {
  name: 'every-operation-ends',
  kind: 'eventually',
  why: 'Every ioctl, fault and fallocate returns: no lock-order cycle, no invalidation left open, no retry loop.',
  where:
    'lock order mmap_lock -> filemap invalidate_lock (kvm_gmem_fault_user_mapping); kvm_gmem_populate GUPs before the lock',
  changedBy: 'any',
  reached: (s, quiescent) => quiescent(s),
};

/** The checker's deadlock option (no thread can move): why it matters here and where the kernel avoids it. */
export const NO_DEADLOCK: PropertyDoc = {
  why: "Locks are state: a lock-order cycle (mmap_lock vs invalidate_lock) stops every thread; reported by the checker's deadlock option.",
  where: 'virt/kvm/guest_memfd.c kvm_gmem_populate ("GUP source pages prior to populating guest memory")',
};
