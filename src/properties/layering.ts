/**
 * Layering, as the guest_memfd thread asks: guest_memfd neither maps nor prepares memory on its
 * own, nor talks to the arch layer itself.
 */
import type { StepProperty } from './record.ts';
import { writersOf } from './writes.ts';

/** guest_memfd maps and prepares nothing outside a KVM fault or populate. */
export const noPrefaultByGmem: StepProperty = {
  name: 'no-prefault-by-gmem',
  kind: 'step',
  why: 'The thread: "guest_memfd can not initiate pre-faulting on behalf of its users"; only KVM (fault, populate, KVM_PRE_FAULT_MEMORY) maps or prepares.',
  where: 'virt/kvm/guest_memfd.c kvm_gmem_allocate allocates only',
  changedBy: { allocate: ['kvm_gmem_allocate'] },
  violation(_p, _a, fx) {
    return fx.gmemMap ? 'guest_memfd created a KVM mapping on its own (pre-fault)' : fx.gmemPrepare ? 'guest_memfd zeroed and prepared a folio outside a KVM fault or populate' : null;
  },
};

/** guest_memfd writes no arch table itself (its arch calls write RMP entries): KVM does. */
export const noArchCallsFromGmem: StepProperty = {
  name: 'no-arch-calls-from-gmem',
  kind: 'step',
  why: 'The thread: "guest_memfd should not be directly communicating with the underlying architecture layers; all communication should go via KVM/IOMMU".',
  where: 'virt/kvm/guest_memfd.c kvm_gmem_prepare_folio -> kvm_arch_gmem_prepare, kvm_gmem_free_folio -> kvm_arch_gmem_invalidate (today: violated on SNP)',
  changedBy: writersOf('rmp'),
  violation(_p, _a, fx) {
    return fx.gmemArch ? 'guest_memfd wrote an arch table itself (kvm_arch_gmem_prepare / kvm_arch_gmem_invalidate)' : null;
  },
};
