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
