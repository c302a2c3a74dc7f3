/**
 * Memory attributes: whether a gfn / index is PRIVATE, read from the record the design makes
 * authoritative (KVM's per-VM `mem_attr_array`, or guest_memfd's own shareability).
 */
import type { Design } from '../design.ts';
import type { GmemState } from '../state.ts';
import { layoutGfnOfIndex, layoutIndexOfGfn } from './memslots.ts';

/**
 * Is index `i` of `vm`'s file PRIVATE by the authoritative record: KVM's xarray at the gfn the
 * memslot layout binds it at, or guest_memfd's own. An index no memslot binds reads shared in
 * KVM's xarray.
 */
export function isPrivate(s: GmemState, design: Design, vm: number, i: number): boolean {
  if (design.attributes === 'vm') {
    const g = layoutGfnOfIndex(s.vms[vm], i);
    return g >= 0 && s.vms[vm].private[g];
  }
  return !s.shared[i];
}

/** Is gfn `g` of `vm` PRIVATE by the authoritative record (guest_memfd's at the index it binds)? */
export function isPrivateGfn(s: GmemState, design: Design, vm: number, g: number): boolean {
  if (design.attributes === 'vm') return s.vms[vm].private[g];
  const i = layoutIndexOfGfn(s.vms[vm], g);
  return i >= 0 && !s.shared[i];
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
  return s.vms[vm].file === 'open' && isPrivateGfn(s, design, vm, gfn);
}
