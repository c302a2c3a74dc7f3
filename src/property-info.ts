/**
 * One line per property: why the kernel needs it, and the kernel code that enforces it
 * (repo torvalds/linux unless said otherwise).
 */
export interface PropertyInfo {
  readonly rationale: string;
  readonly kernel: string;
}

export const propertyInfo: Readonly<Record<string, PropertyInfo>> = Object.freeze({
  'no-shared-access-to-private': {
    rationale: 'A private page must be reachable by the guest alone: a host PTE, pin, shared SPTE, shared IOMMU mapping or host write leaks or corrupts confidential memory (SNP: an RMP #PF in the host).',
    kernel: 'virt/kvm/kvm_main.c kvm_vm_set_mem_attributes (zap shared); in-place series: unmap_mapping_pages + refcount check before the attribute flip',
  },
  'no-private-access-after-shared-conversion': {
    rationale: 'Once a range is shared the host may write it: no guest private SPTE or private IOMMU mapping may survive, and on SNP the RMP entry must be hypervisor-owned first.',
    kernel: 'arch/x86/kvm/mmu/mmu.c kvm_mmu_faultin_pfn (mmu_seq snapshot) + is_page_fault_stale; kvm_arch_pre_set_memory_attributes zaps private SPTEs',
  },
  'no-mapping-of-freed-memory': {
    rationale: 'A mapping to a pfn its index no longer owns is a use after free (truncate, close); a binding to a deleted memslot is a dangling pointer.',
    kernel: 'virt/kvm/guest_memfd.c kvm_gmem_punch_hole / kvm_gmem_invalidate_begin, kvm_gmem_release, kvm_gmem_unbind',
  },
  'rmp-removed-on-last-reference': {
    rationale: 'A page the host allocator hands out while its RMP entry is still assigned faults (RMP #PF) on the first host write.',
    kernel: 'virt/kvm/guest_memfd.c kvm_gmem_free_folio -> arch/x86/kvm/svm/sev.c sev_gmem_invalidate',
  },
  'tdx-page-removed-and-cleared-before-free': {
    rationale: 'A freed page still in the S-EPT or holding TD data is a TD page the host reuses; a page whose removal failed must stay leaked, never freed or shared.',
    kernel: 'arch/x86/kvm/vmx/tdx.c tdx_sept_remove_private_spte (BLOCK, TRACK, REMOVE, WBINVD, clear; KVM_BUG_ON on failure)',
  },
  'mapping-level-fits': {
    rationale: 'A huge SPTE exposes every page it covers: they must be one folio, one attribute, and on SNP one 2M RMP entry.',
    kernel: 'arch/x86/kvm/mmu/mmu.c kvm_mmu_hugepage_adjust / kvm_max_private_mapping_level; hugepage_has_attrs; sev_gmem_max_mapping_level',
  },
  'attributes-agree': {
    rationale: 'Two records of private/shared that disagree let KVM map what guest_memfd refuses, or the reverse.',
    kernel: 'in-place series: guest_memfd shareability vs kvm->mem_attr_array (kvm_mem_is_private)',
  },
  'conversion-all-or-nothing': {
    rationale: 'Userspace retries a failed conversion from the reported offset: a range left half converted breaks that contract.',
    kernel: 'in-place series: the conversion ioctl checks every folio refcount before it changes anything (-EAGAIN, error_offset)',
  },
  'rmp-assigned-while-private-mapped': {
    rationale: 'A guest running on a private page whose RMP entry is not its own takes an RMP #NPF on its own memory, or runs on memory the host may write.',
    kernel: 'arch/x86/kvm/svm/sev.c sev_gmem_prepare (rmp_make_private) before the SPTE; sev_vm_move_enc_context_from moves the ASID',
  },
  'tdx-mirror-matches-sept': {
    rationale: 'KVM\'s mirror SPTEs are its only record of the S-EPT: an entry missing on either side is a page KVM cannot remove or a mapping the TD does not have.',
    kernel: 'arch/x86/kvm/vmx/tdx.c tdx_sept_set_private_spte / tdx_gmem_post_populate (no premap after the fix)',
  },
  'zeroed-before-first-use': {
    rationale: 'A folio mapped before it is cleared leaks the previous owner\'s data to the guest, userspace or a device.',
    kernel: 'virt/kvm/guest_memfd.c kvm_gmem_get_pfn / kvm_gmem_fault_user_mapping: clear if !folio_test_uptodate, then folio_mark_uptodate',
  },
  'no-stale-mapping-during-invalidation': {
    rationale: 'An SPTE installed while an invalidation covers its gfn, or from a pfn looked up before the invalidation, survives the zap that was meant to remove it.',
    kernel: 'virt/kvm/kvm_main.c kvm_mmu_invalidate_begin/range_add/end; arch/x86/kvm/mmu/mmu.c is_page_fault_stale -> mmu_invalidate_retry_gfn',
  },
  'no-prefault-by-gmem': {
    rationale: 'The thread: "guest_memfd can not initiate pre-faulting on behalf of its users"; only KVM (fault, populate, KVM_PRE_FAULT_MEMORY) maps or prepares.',
    kernel: 'virt/kvm/guest_memfd.c kvm_gmem_allocate allocates only',
  },
  'no-arch-calls-from-gmem': {
    rationale: 'The thread: "guest_memfd should not be directly communicating with the underlying architecture layers; all communication should go via KVM/IOMMU".',
    kernel: 'virt/kvm/guest_memfd.c kvm_gmem_prepare_folio -> kvm_arch_gmem_prepare, kvm_gmem_free_folio -> kvm_arch_gmem_invalidate (today: violated on SNP)',
  },
  'populate-only-private-unassigned': {
    rationale: 'LAUNCH_UPDATE / PAGE.ADD on a shared or already-assigned page measures or encrypts the wrong memory.',
    kernel: 'virt/kvm/guest_memfd.c kvm_gmem_populate (kvm_range_has_memory_attributes PRIVATE) + sev_gmem_post_populate (RMP unassigned)',
  },
  'every-operation-ends': {
    rationale: 'Every ioctl, fault and fallocate returns: no lock-order cycle, no invalidation left open, no retry loop.',
    kernel: 'lock order mmap_lock -> filemap invalidate_lock (kvm_gmem_fault_user_mapping); kvm_gmem_populate GUPs before the lock',
  },
  'no-deadlock': {
    rationale: 'Locks are state: a lock-order cycle (mmap_lock vs invalidate_lock) stops every thread; reported by the checker\'s deadlock option.',
    kernel: 'virt/kvm/guest_memfd.c kvm_gmem_populate ("GUP source pages prior to populating guest memory")',
  },
  'conversion-fails-with-eagain-on-pin': {
    rationale: 'Witness: a GUP pin makes a conversion to private fail with EAGAIN (the refcount check is reachable).',
    kernel: 'in-place series: the conversion ioctl\'s refcount check',
  },
  'private-fault-on-shared-exits-to-userspace': {
    rationale: 'Witness: a private fault on a shared gfn exits with KVM_EXIT_MEMORY_FAULT.',
    kernel: 'arch/x86/kvm/mmu/mmu.c kvm_mmu_prepare_memory_fault_exit',
  },
  'fault-retries-after-invalidation': {
    rationale: 'Witness: a fault retries because an invalidation moved mmu_invalidate_seq after its snapshot.',
    kernel: 'arch/x86/kvm/mmu/mmu.c is_page_fault_stale -> RET_PF_RETRY',
  },
  'huge-mapping-installed': {
    rationale: 'Witness: a 2-page folio is mapped with one huge SPTE.',
    kernel: 'arch/x86/kvm/mmu/mmu.c kvm_mmu_hugepage_adjust',
  },
  'file-outlives-its-vm-through-link': {
    rationale: 'Witness: after intra-host migration the memory lives on in the second VM\'s file once the first VM is destroyed.',
    kernel: 'proposed KVM_LINK_GUEST_MEMFD; arch/x86/kvm/svm/sev.c sev_vm_move_enc_context_from',
  },
});
