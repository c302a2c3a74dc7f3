/**
 * How actions read in traces, in kernel terms: the operation, then the step it runs. gfns,
 * indices and pfns print in hex. Where the memslot layout can give a gfn another index (a
 * base_gfn not its pgoff, a move), every range and step argument says which it is (`gfns [0x2,
 * 0x4)`, `indices [0x0, 0x2)`, `kvm_gmem_get_pfn(gfn 0x2)`); where it cannot, they print bare.
 */
import type { ActionStep } from '../checker/index.ts';
import type { Bounds } from './bounds.ts';
import type { Action } from './ops/common.ts';
import { hex } from './state.ts';
import { layoutTranslates, pointText, rangeText, slotLayout } from './kernel/memslots.ts';

/** What labels need of the layout: whether numbers say gfn / index, and each memslot's base_gfn and a move's distance. */
export interface Naming {
  readonly named: boolean;
  readonly bases: readonly number[];
  readonly move: number;
}

/** The default layout's naming (gfn = index): numbers print bare. */
export const BARE: Naming = Object.freeze({ named: false, bases: [], move: 0 });

/** The naming of the layout `b` gives, computed once per model. */
export function namingOf(b: Bounds): Naming {
  return Object.freeze({ named: layoutTranslates(b), bases: slotLayout(b).map((sl) => sl.base), move: b.slotMove });
}

const gfns = (a: Action, n: Naming) => rangeText('gfns', a.lo, a.hi, n.named);
const indices = (a: Action, n: Naming) => rangeText('indices', a.lo, a.hi, n.named);
const gfn = (a: Action, n: Naming) => pointText('gfn', a.lo, n.named);
const index = (a: Action, n: Naming) => pointText('index', a.lo, n.named);
const kind = (priv: boolean) => (priv ? 'private' : 'shared');
const vm = (a: Action) => `vm${a.vm}`;
/** KVM_SET_MEMORY_ATTRIBUTES' range is of gfns; the in-place conversion's, guest_memfd's, of indices. */
const isKvmConversion = (a: Action) => a.step.startsWith('kvm_mmu') || a.step === 'kvm_vm_set_mem_attributes';

/** A syscall on a linked file names it; one on VM 0's file (the inode's first) names none. */
const throughFile = (a: Action) => (a.vm > 0 ? ` on ${vm(a)}'s guest_memfd` : '');

/** The gfns memslot creation `a` gives memslot a.dom: its layout base_gfn, moved or not. */
function createdGfns(a: Action, n: Naming): string {
  const base = (n.bases[a.dom] ?? 0) + (a.priv ? n.move : 0);
  return rangeText('gfns', base, base + a.hi - a.lo, true);
}

/** The operation an action belongs to, as a changelog names it. */
export function operationLabel(a: Action, n: Naming = BARE): string {
  switch (a.op) {
    case 'fault':
      return `${vm(a)} vCPU fault gfn ${hex(a.lo)} (${kind(a.priv)})`;
    case 'convert':
      return isKvmConversion(a)
        ? `${vm(a)} KVM_SET_MEMORY_ATTRIBUTES ${gfns(a, n)} -> ${kind(a.priv)}`
        : `guest_memfd convert ${indices(a, n)} -> ${kind(a.priv)}${throughFile(a)}`;
    case 'punchHole':
      return `fallocate(PUNCH_HOLE) ${indices(a, n)}${throughFile(a)}`;
    case 'allocate':
      return `fallocate ${indices(a, n)}${throughFile(a)}`;
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
      return `${vm(a)} delete memslot ${a.dom} (${n.named ? gfns(a, n) : `gfn ${gfns(a, n)}`})`;
    case 'bind':
      return n.named
        ? `${vm(a)} create memslot ${a.dom} (${createdGfns(a, n)}${a.priv ? ', base_gfn moved' : ''}) on its guest_memfd, ${indices(a, n)}`
        : `${vm(a)} create memslot ${a.dom} on its guest_memfd, indices ${indices(a, n)}`; // no move: slotMove is 0
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
function stepLabel(a: Action, n: Naming): string {
  const fail = a.fail ? ' [TDX SEAMCALL fails: KVM_BUG_ON]' : '';
  switch (a.step) {
    case 'kvm_mmu_faultin_pfn':
      return 'kvm_mmu_faultin_pfn: mmu_seq = mmu_invalidate_seq';
    case 'kvm_mem_is_private':
      return `kvm_mem_is_private(${gfn(a, n)}) == ${a.priv}?`;
    case 'kvm_gmem_get_pfn':
      return a.op === 'iommuMap'
        ? `invalidate_lock shared; kvm_gmem_get_pfn(index ${hex(a.lo)}); unlock`
        : `kvm_gmem_get_pfn(${gfn(a, n)})`;
    case 'kvm_tdp_mmu_map':
      return `write_lock(mmu_lock); is_page_fault_stale?; map ${kind(a.priv)} SPTE ${gfn(a, n)}`;
    case 'kvm_mmu_invalidate_begin':
      return `kvm_mmu_invalidate_begin(); zap ${kind(!a.priv)} SPTEs ${gfns(a, n)}${fail}`;
    case 'kvm_vm_set_mem_attributes':
      return `xa_store(mem_attr_array) ${gfns(a, n)} = ${kind(a.priv)}`;
    case 'kvm_mmu_invalidate_end':
      return 'kvm_mmu_invalidate_end() (mmu_invalidate_seq++)';
    case 'filemap_invalidate_lock':
      return a.op === 'populate'
        ? 'filemap_invalidate_lock()'
        : `filemap_invalidate_lock()${a.priv ? '; unmap_mapping_pages(); refcount check' : ''}`;
    case 'kvm_gmem_invalidate_begin':
      return `kvm_gmem_invalidate_begin(); zap ${kind(!a.priv)} ${indices(a, n)}${fail}`;
    case 'kvm_gmem_set_attributes':
      return `store shareability ${indices(a, n)} = ${kind(a.priv)}`;
    case 'kvm_gmem_invalidate_end':
      return 'kvm_gmem_invalidate_end(); filemap_invalidate_unlock()';
    case 'kvm_gmem_punch_hole':
      return `filemap_invalidate_lock(); kvm_gmem_invalidate_begin() ${indices(a, n)}${fail}`;
    case 'truncate_inode_pages_range':
      return `truncate_inode_pages_range ${indices(a, n)}`;
    case 'kvm_gmem_allocate':
      return `kvm_gmem_allocate ${indices(a, n)}`;
    case 'lock_mm_and_find_vma':
      return 'mmap_read_lock()';
    case 'kvm_gmem_fault_user_mapping':
      return `kvm_gmem_fault_user_mapping(${index(a, n)}): invalidate_lock shared; shareability?; kvm_gmem_get_folio`;
    case 'finish_fault':
      return `clear_highpage if !uptodate; finish_fault: PTE ${index(a, n)}; mmap_read_unlock()`;
    case 'mmap_write_lock':
      return 'mmap_write_lock() (queued)';
    case 'do_vmi_munmap':
      return `do_vmi_munmap(${index(a, n)}); mmap_write_unlock()`;
    case 'pin_user_pages':
      return `pin_user_pages(${index(a, n)})`;
    case 'unpin_user_page':
      return `unpin_user_page(${index(a, n)})`;
    case 'fput':
      return 'fput() (last reference)';
    case 'kvm_gmem_release':
      return 'kvm_gmem_release()';
    case 'kvm_invalidate_memslot':
      return 'mutex_lock(slots_lock); kvm_invalidate_memslot(): KVM_MEMSLOT_INVALID';
    case 'kvm_arch_flush_shadow_memslot':
      return `synchronize_srcu(); kvm_arch_flush_shadow_memslot(${n.named ? gfns(a, n) : `gfn ${gfns(a, n)}`})`;
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
      return `kvm_tdp_map_page(${gfn(a, n)}) (premap mirror SPTE)`;
    case 'get_user_pages_fast':
      return 'get_user_pages_fast(src)';
    case 'get_user_pages':
      return 'get_user_pages(src) (mmap_lock)';
    case 'kvm_gmem_populate':
      return `kvm_gmem_populate(${gfn(a, n)}) + post_populate${a.fail ? ' [TDH.MEM.PAGE.ADD fails]' : ''}`;
    case 'tdx_gmem_post_populate':
      return `tdx_gmem_post_populate(${gfn(a, n)}) -> kvm_tdp_map_page -> kvm_gmem_get_pfn; TDH.MEM.PAGE.ADD`;
    case 'post_populate':
      return `post_populate(${gfn(a, n)}); filemap_invalidate_unlock()${a.fail ? ' [TDH.MEM.PAGE.ADD fails]' : ''}`;
    case 'iommu_map':
      return `iommu_map(${index(a, n)})`;
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
export function stepOf(a: Action, n: Naming = BARE): ActionStep {
  return { operation: operationLabel(a, n), step: stepLabel(a, n) };
}

export function formatAction(a: Action, n: Naming = BARE): string {
  return `${operationLabel(a, n)}: ${stepLabel(a, n)}`;
}
