/**
 * How actions read in traces, in kernel terms: the operation, then the step it runs. gfns,
 * indices and pfns print in hex.
 */
import type { ActionStep } from '../checker/index.ts';
import type { Action } from './ops/common.ts';
import { hex } from './state.ts';

const r = (a: Action) => `[${hex(a.lo)}, ${hex(a.hi)})`;
const kind = (priv: boolean) => (priv ? 'private' : 'shared');
const vm = (a: Action) => `vm${a.vm}`;

/** The operation an action belongs to, as a changelog names it. */
export function operationLabel(a: Action): string {
  switch (a.op) {
    case 'fault':
      return `${vm(a)} vCPU fault gfn ${hex(a.lo)} (${kind(a.priv)})`;
    case 'convert':
      return a.step.startsWith('kvm_mmu') || a.step === 'kvm_vm_set_mem_attributes'
        ? `${vm(a)} KVM_SET_MEMORY_ATTRIBUTES ${r(a)} -> ${kind(a.priv)}`
        : `guest_memfd convert ${r(a)} -> ${kind(a.priv)}`;
    case 'punchHole':
      return `fallocate(PUNCH_HOLE) ${r(a)}`;
    case 'allocate':
      return `fallocate ${r(a)}`;
    case 'populate':
      return `${vm(a)} populate gfn ${hex(a.lo)}`;
    case 'mmapFault':
      return `userspace fault on mmap index ${hex(a.lo)}`;
    case 'munmap':
      return `munmap index ${hex(a.lo)}`;
    case 'pin':
      return `GUP pin index ${hex(a.lo)}`;
    case 'unpin':
      return `unpin index ${hex(a.lo)}`;
    case 'close':
      return `close(${vm(a)}'s guest_memfd)`;
    case 'unbind':
      return `${vm(a)} delete memslot ${a.dom} (gfn ${r(a)})`;
    case 'bind':
      return `${vm(a)} create memslot ${a.dom}${a.priv ? ' at its moved base_gfn' : ''} on its guest_memfd, indices ${r(a)}`;
    case 'link':
      return `link guest_memfd to ${vm(a)} (intra-host migration)`;
    case 'destroyVm':
      return `destroy ${vm(a)}`;
    case 'iommuMap':
      return `IOMMU domain ${a.dom} map index ${hex(a.lo)} (${kind(a.priv)})`;
    case 'rmpReclaimWork':
      return 'RMP reclaim work item';
    case 'tdxRemoveFail':
      return 'TDX removal failure';
  }
}

/** What the step does, in the words of the kernel function it models. */
function stepLabel(a: Action): string {
  const fail = a.fail ? ' [TDX SEAMCALL fails: KVM_BUG_ON]' : '';
  switch (a.step) {
    case 'kvm_mmu_faultin_pfn':
      return 'kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq';
    case 'kvm_mem_is_private':
      return `kvm_mem_is_private(${hex(a.lo)}) == ${a.priv}?`;
    case 'kvm_gmem_get_pfn':
      return a.op === 'iommuMap'
        ? `invalidate_lock shared; kvm_gmem_get_pfn(index ${hex(a.lo)}); unlock`
        : `kvm_gmem_get_pfn(${hex(a.lo)})`;
    case 'kvm_tdp_mmu_map':
      return `write_lock(mmu_lock); is_page_fault_stale?; map ${kind(a.priv)} SPTE ${hex(a.lo)}`;
    case 'kvm_mmu_invalidate_begin':
      return `kvm_mmu_invalidate_begin(); zap ${kind(!a.priv)} SPTEs ${r(a)}${fail}`;
    case 'kvm_vm_set_mem_attributes':
      return `xa_store(mem_attr_array) ${r(a)} = ${kind(a.priv)}`;
    case 'kvm_mmu_invalidate_end':
      return 'kvm_mmu_invalidate_end() (mmu_invalidate_seq++)';
    case 'filemap_invalidate_lock':
      return a.op === 'populate'
        ? 'filemap_invalidate_lock()'
        : `filemap_invalidate_lock()${a.priv ? '; unmap_mapping_pages(); refcount check' : ''}`;
    case 'kvm_gmem_invalidate_begin':
      return `kvm_gmem_invalidate_begin(); zap ${kind(!a.priv)} ${r(a)}${fail}`;
    case 'kvm_gmem_set_attributes':
      return `store shareability ${r(a)} = ${kind(a.priv)}`;
    case 'kvm_gmem_invalidate_end':
      return 'kvm_gmem_invalidate_end(); filemap_invalidate_unlock()';
    case 'kvm_gmem_punch_hole':
      return `filemap_invalidate_lock(); kvm_gmem_invalidate_begin() ${r(a)}${fail}`;
    case 'truncate_inode_pages_range':
      return `truncate_inode_pages_range ${r(a)}`;
    case 'kvm_gmem_allocate':
      return `kvm_gmem_allocate ${r(a)}`;
    case 'lock_mm_and_find_vma':
      return 'mmap_read_lock()';
    case 'kvm_gmem_fault_user_mapping':
      return `kvm_gmem_fault_user_mapping(${hex(a.lo)}): invalidate_lock shared; shareability?; kvm_gmem_get_folio`;
    case 'finish_fault':
      return `clear_highpage if !uptodate; finish_fault: PTE ${hex(a.lo)}; mmap_read_unlock()`;
    case 'mmap_write_lock':
      return 'mmap_write_lock() (queued)';
    case 'do_vmi_munmap':
      return `do_vmi_munmap(${hex(a.lo)}); mmap_write_unlock()`;
    case 'pin_user_pages':
      return `pin_user_pages(${hex(a.lo)})`;
    case 'unpin_user_page':
      return `unpin_user_page(${hex(a.lo)})`;
    case 'fput':
      return 'fput() (last reference)';
    case 'kvm_gmem_release':
      return 'kvm_gmem_release()';
    case 'kvm_invalidate_memslot':
      return 'mutex_lock(slots_lock); kvm_invalidate_memslot(): KVM_MEMSLOT_INVALID';
    case 'kvm_arch_flush_shadow_memslot':
      return `synchronize_srcu(); kvm_arch_flush_shadow_memslot(gfn ${r(a)})`;
    case 'kvm_gmem_unbind':
      return 'kvm_delete_memslot(); kvm_gmem_unbind(); mutex_unlock(slots_lock)';
    case 'kvm_gmem_bind':
      return 'mutex_lock(slots_lock); kvm_gmem_bind(): xa_store_range(bindings)';
    case 'kvm_create_memslot':
      return 'kvm_create_memslot(); mutex_unlock(slots_lock)';
    case 'kvm_gmem_link':
      return 'KVM_LINK_GUEST_MEMFD + kvm_gmem_bind + sev_vm_move_enc_context_from';
    case 'kvm_destroy_vm':
      return 'kvm_destroy_vm()';
    case 'kvm_tdp_map_page':
      return `kvm_tdp_map_page(${hex(a.lo)}) (premap mirror SPTE)`;
    case 'get_user_pages_fast':
      return 'get_user_pages_fast(src)';
    case 'get_user_pages':
      return 'get_user_pages(src) (mmap_lock)';
    case 'kvm_gmem_populate':
      return `kvm_gmem_populate(${hex(a.lo)}) + post_populate${a.fail ? ' [TDH.MEM.PAGE.ADD fails]' : ''}`;
    case 'tdx_gmem_post_populate':
      return `tdx_gmem_post_populate(${hex(a.lo)}) -> kvm_tdp_map_page -> kvm_gmem_get_pfn; TDH.MEM.PAGE.ADD`;
    case 'post_populate':
      return `post_populate(${hex(a.lo)}); filemap_invalidate_unlock()${a.fail ? ' [TDH.MEM.PAGE.ADD fails]' : ''}`;
    case 'iommu_map':
      return `iommu_map(${hex(a.lo)})`;
    case 'rmp_reclaim_work':
      return 'rmp_make_shared() of the freed pfns';
    // The 1G HugeTLB series' conversion (ops/convert-hugetlb.ts): its -ENOMEM failures.
    case 'kvm_gmem_convert_should_proceed':
      return `${a.step}${a.fail ? ' [TDH.MEM.PAGE.DEMOTE fails: -ENOMEM]' : ''}`;
    case 'kvm_gmem_restructure_folios_in_range':
      return `${a.step}${a.fail ? ' [the last split / merge fails: -ENOMEM]' : ''}`;
    default:
      return a.step;
  }
}

/** The action as a step of its operation: reports name the operation once per thread. */
export function stepOf(a: Action): ActionStep {
  return { operation: operationLabel(a), step: stepLabel(a) };
}

export function formatAction(a: Action): string {
  return `${operationLabel(a)}: ${stepLabel(a)}`;
}
