/**
 * Witnesses: races and paths a spec expects to be reachable, so that a property that holds is
 * known to hold over a model where the race can happen.
 */
import type { Witness } from './record.ts';
import { writersOf } from './writes.ts';

export const conversionFailsWithEagainOnPin: Witness = {
  name: 'conversion-fails-with-eagain-on-pin',
  kind: 'sometimes',
  why: 'Witness: a GUP pin makes a conversion to private fail with EAGAIN (the refcount check is reachable).',
  where: "in-place series: the conversion ioctl's refcount check",
  changedBy: writersOf('eagain'),
  reached: (s) => s.seen.eagain,
};

export const privateFaultOnSharedExits: Witness = {
  name: 'private-fault-on-shared-exits-to-userspace',
  kind: 'sometimes',
  why: 'Witness: a private fault on a shared gfn exits with KVM_EXIT_MEMORY_FAULT.',
  where: 'arch/x86/kvm/mmu/mmu.c kvm_mmu_prepare_memory_fault_exit',
  changedBy: writersOf('memoryFault'),
  reached: (s) => s.seen.memoryFault,
};

export const faultRetriesAfterInvalidation: Witness = {
  name: 'fault-retries-after-invalidation',
  kind: 'sometimes',
  why: 'Witness: a fault retries because an invalidation moved mmu_invalidate_seq after its snapshot.',
  where: 'arch/x86/kvm/mmu/mmu.c is_page_fault_stale -> RET_PF_RETRY',
  changedBy: writersOf('retried'),
  reached: (s) => s.seen.retried,
};

export const hugeMappingInstalled: Witness = {
  name: 'huge-mapping-installed',
  kind: 'sometimes',
  why: 'Witness: a 2-page folio is mapped with one huge SPTE.',
  where: 'arch/x86/kvm/mmu/mmu.c kvm_mmu_hugepage_adjust',
  changedBy: writersOf('spte'),
  reached: (s) => s.vms.some((v) => v.spte.some((sp) => sp !== null && sp.level === 1)),
};

export const fileOutlivesItsVmThroughLink: Witness = {
  name: 'file-outlives-its-vm-through-link',
  kind: 'sometimes',
  why: "Witness: after intra-host migration the memory lives on in the second VM's file once the first VM is destroyed.",
  where: 'proposed KVM_LINK_GUEST_MEMFD; arch/x86/kvm/svm/sev.c sev_vm_move_enc_context_from',
  changedBy: writersOf('alive', 'file', 'folios'),
  reached: (s) => !s.vms[0].alive && s.vms.some((v) => v.file === 'open') && s.filemap.some((p) => p >= 0),
};
