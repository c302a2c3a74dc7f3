/**
 * Which steps can write each part of the state, so that a property's `changedBy` is the union
 * of the parts it reads. A start counts as its operation's first step. Checked against random
 * reachable transitions (test/gmem/properties.test.ts): a part changes only across its steps.
 */
import type { StepSet } from './record.ts';
import { HUGETLB_WRITES as H } from './hugetlb-steps.ts';

/** The steps that allocate a folio (kvm_gmem_get_folio) or free one (the last folio_put). */
const ALLOCATE: StepSet = {
  fault: ['kvm_gmem_get_pfn'],
  allocate: ['kvm_gmem_allocate'],
  populate: ['kvm_tdp_map_page', 'kvm_gmem_populate', 'post_populate'],
  mmapFault: ['kvm_gmem_fault_user_mapping'],
  iommuMap: ['iommu_map', 'kvm_gmem_get_pfn'],
};
const FREE: StepSet = {
  fault: ['kvm_tdp_mmu_map'],
  convert: ['filemap_invalidate_lock'],
  punchHole: ['truncate_inode_pages_range'],
  close: ['kvm_gmem_release'],
  // rmpLifetime 'binding': the end of a binding frees the kept pages it reclaimed; the memslot
  // flush's S-EPT removals put the TDX page pins (tdxPinsPages).
  unbind: ['kvm_arch_flush_shadow_memslot', 'kvm_gmem_unbind'],
  destroyVm: ['kvm_destroy_vm'],
  munmap: ['do_vmi_munmap'],
  unpin: ['unpin_user_page'],
  // iommuMapUnderInvalidateLock false: the map after the unlock puts the lookup's reference.
  iommuMap: ['iommu_map'],
};
/** The userspace fault's second half: clear_highpage, the PTE (or the reference put back). */
const FINISH_FAULT: StepSet = { mmapFault: ['finish_fault'] };
/** The zaps that may fail a TDX removal (the VM is then bugged). */
const FAILING_ZAP: StepSet = {
  convert: ['kvm_mmu_invalidate_begin', 'kvm_gmem_invalidate_begin'],
  punchHole: ['kvm_gmem_punch_hole'],
};
/** Every step that zaps or installs SPTEs. */
const MAP: StepSet = union(FAILING_ZAP, {
  fault: ['kvm_tdp_mmu_map'],
  allocate: ['kvm_gmem_allocate'],
  populate: ['kvm_tdp_map_page', 'kvm_gmem_populate', 'post_populate', 'tdx_gmem_post_populate'],
  close: ['kvm_gmem_release'],
  unbind: ['kvm_arch_flush_shadow_memslot'],
  destroyVm: ['kvm_destroy_vm'],
});

export const WRITES = {
  /** Which conversions are in flight (a convert thread starts or ends). */
  conversions: union(
    {
      convert: [
        'kvm_mmu_invalidate_begin',
        'kvm_vm_set_mem_attributes',
        'kvm_mmu_invalidate_end',
        'filemap_invalidate_lock',
        'kvm_gmem_invalidate_begin',
        'kvm_gmem_set_attributes',
        'kvm_gmem_invalidate_end',
      ],
    },
    H.conversions,
  ),
  /** Memory attributes: guest_memfd's shareability and KVM's per-VM copy. */
  attributes: union(
    { convert: ['kvm_vm_set_mem_attributes', 'kvm_gmem_set_attributes'], link: ['kvm_gmem_link'] },
    H.attributes,
  ),
  /** lpage_info's mixed flags: kvm_arch_post_set_memory_attributes, with invalidate end. */
  mixed: { convert: ['kvm_mmu_invalidate_end'] },
  alive: { destroyVm: ['kvm_destroy_vm'] },
  asid: { link: ['kvm_gmem_link'] },
  // kvm_vm_dead(source) after sev_vm_move_enc_context_from, folded into the link step.
  bugged: union(FAILING_ZAP, { link: ['kvm_gmem_link'] }),
  binding: {
    close: ['kvm_gmem_release'],
    unbind: ['kvm_gmem_unbind'],
    link: ['kvm_gmem_link'],
    destroyVm: ['kvm_destroy_vm'],
    bind: ['kvm_gmem_bind'],
  },
  memslot: {
    unbind: ['kvm_gmem_unbind'],
    link: ['kvm_gmem_link'],
    destroyVm: ['kvm_destroy_vm'],
    bind: ['kvm_create_memslot'],
  },
  /** Each memslot's state and binding (kernel/memslots.ts). */
  slots: {
    close: ['kvm_gmem_release'],
    unbind: ['kvm_invalidate_memslot', 'kvm_gmem_unbind'],
    link: ['kvm_gmem_link'],
    destroyVm: ['kvm_destroy_vm'],
    bind: ['kvm_gmem_bind', 'kvm_create_memslot'],
  },
  file: { close: ['fput', 'kvm_gmem_release'], link: ['kvm_gmem_link'] },
  spte: union(MAP, H.spte),
  iommu: {
    convert: ['kvm_gmem_invalidate_begin'],
    punchHole: ['kvm_gmem_punch_hole'],
    close: ['kvm_gmem_release'],
    iommuMap: ['iommu_map'],
  },
  /** Userspace PTEs of the guest_memfd mmap. */
  umap: union(
    {
      convert: ['filemap_invalidate_lock'],
      punchHole: ['truncate_inode_pages_range'],
      mmapFault: ['finish_fault'],
      munmap: ['do_vmi_munmap'],
      close: ['kvm_gmem_release'],
    },
    H.umap,
  ),
  pin: { pin: ['pin_user_pages'], unpin: ['unpin_user_page'] },
  /** Which folio backs which index: the filemap, and each pfn's index, cached and huge flags. */
  folios: union(ALLOCATE, FREE, FINISH_FAULT, H.folios),
  /** Each pfn's zeroed and uptodate flags. */
  zeroed: union(ALLOCATE, FREE, FINISH_FAULT, { populate: ['tdx_gmem_post_populate'] }),
  /** Each pfn's RMP entry. */
  rmp: union(FREE, H.rmp, {
    fault: ['kvm_gmem_get_pfn', 'kvm_tdp_mmu_map'],
    convert: ['kvm_gmem_invalidate_begin'],
    allocate: ['kvm_gmem_allocate'],
    populate: ['kvm_gmem_populate', 'post_populate', 'tdx_gmem_post_populate'],
    close: ['kvm_gmem_release'],
    unbind: ['kvm_gmem_unbind'],
    destroyVm: ['kvm_destroy_vm'],
    rmpReclaimWork: ['rmp_reclaim_work'],
    iommuMap: ['iommu_map', 'kvm_gmem_get_pfn'],
  }),
  /** Each pfn's S-EPT entry, TD data and leaked flag. */
  sept: union(MAP, H.sept),
  hostWrotePrivate: { punchHole: ['truncate_inode_pages_range'], close: ['kvm_gmem_release'] },
  eagain: union({ convert: ['filemap_invalidate_lock', 'kvm_gmem_set_attributes'] }, H.eagain),
  memoryFault: { fault: ['kvm_mem_is_private', 'kvm_gmem_get_pfn'] },
  retried: { fault: ['kvm_tdp_mmu_map'] },
} as const satisfies Record<string, StepSet>;

export type StatePart = keyof typeof WRITES;

/** The steps that can write any of `parts`: the `changedBy` of a predicate that reads them. */
export function writersOf(...parts: StatePart[]): StepSet {
  return union(...parts.map((p) => WRITES[p]));
}

/** Every step in any of `sets`, each operation's steps in first-seen order. */
export function union(...sets: StepSet[]): StepSet {
  const out: Partial<Record<string, string[]>> = {};
  for (const set of sets) {
    for (const [op, steps] of Object.entries(set)) {
      const acc = (out[op] ??= []);
      for (const st of steps ?? []) if (!acc.includes(st)) acc.push(st);
    }
  }
  return out as StepSet;
}
