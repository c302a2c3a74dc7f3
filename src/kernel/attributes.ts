/**
 * Memory attributes: whether a gfn / index is PRIVATE, read from the record the design makes
 * authoritative (KVM's per-VM `mem_attr_array`, or guest_memfd's own shareability).
 */
import type { Design } from '../design.ts';
import type { GmemState } from '../state.ts';

/** Is gfn / index `i` PRIVATE by the authoritative record: KVM's xarray or guest_memfd's own. */
export function isPrivate(s: GmemState, design: Design, vm: number, i: number): boolean {
  return design.attributes === 'vm' ? s.vms[vm].private[i] : !s.shared[i];
}

/**
 * kvm_mem_is_private(kvm, gfn) as KVM's fault path reads it, without a lock. 'vm':
 * kvm_get_memory_attributes() = xa_load(&kvm->mem_attr_array) under RCU (virt/kvm/kvm_main.c).
 * 'gmem': the static call __kvm_get_memory_attributes -> kvm_gmem_get_memory_attributes()
 * (virt/kvm/guest_memfd.c, in-place series v7 patches 04-05): get_file_active() on the slot's
 * file (a file going away reads as 0, shared), then guest_memfd's attribute maple tree under its
 * RCU lock, no invalidate_lock; the caller's mmu_invalidate_seq snapshot covers a racing store.
 */
export function kvmMemIsPrivate(s: GmemState, design: Design, vm: number, gfn: number): boolean {
  if (design.attributes === 'vm') return s.vms[vm].private[gfn];
  return s.vms[vm].file === 'open' && !s.shared[gfn];
}
