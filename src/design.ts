/**
 * The design switches under debate (docs/domain-model.md, "Design switches"), and the named designs:
 * the kernel today, the in-place conversion series, the layout proposed in the seed thread, and
 * one buggy variant per bug setting, so that every property has a design that breaks it.
 *
 * What the names stand for. `upstream*`: mainline (virt/kvm/guest_memfd.c at 01f492e1; TDX since
 * ce7b5695397b; populate since 2a62345b30529). `in-place*`: the in-place conversion series v7
 * (2026-05-22, googleprodkernel/linux-cc guest_memfd-inplace-conversion-v7): no per-VM attribute
 * copy (kvm_mem_is_private reads guest_memfd's attributes, no lock), kvm_gmem_get_pfn under
 * invalidate_lock shared, preparing only private indices and handing its folio reference to KVM,
 * the userspace fault's PTE installed after invalidate_lock is dropped. `thread-proposal*`: the
 * seed thread's layout (2025-07-09), as stated.
 */

export interface Design {
  /** KVM's per-VM xarray (upstream) | guest_memfd per index (in-place). */
  attributes: 'vm' | 'gmem';
  /** Shared pages are the guest_memfd folios themselves (mmap). */
  inPlaceConversion: boolean;
  /** KVM reads the attribute | passes the fault type, gmem refuses a mismatch. */
  faultCheck: 'query' | 'fault-type';
  /** The fault path checks mmu_invalidate_seq / in_progress (false: bug). */
  invalidateRetry: boolean;
  /** Who an invalidation reaches (false: bug). */
  notify: { kvm: boolean; iommu: boolean };
  /** Conversion to private refuses extra references (false: bug). */
  refcountCheck: boolean;
  /** Conversion to private unmaps userspace first (false: bug). */
  unmapUserspaceOnConvert: boolean;
  /**
   * When RMP entries are reclaimed. 'folio': when the folio leaves guest_memfd's filemap
   * (free_folio, today). 'binding': the seed thread's proposal as stated: the entries live as
   * long as the memslot binding, and memory is "kept around after filemap eviction" while a
   * binding holds its ASID; unbind reclaims its ASID's entries that no other live binding
   * holds, then frees what the filemap no longer holds. 'binding-memory-freed': the literal
   * reading the thread rules out: PUNCH_HOLE frees the memory at once, unbind reclaims every
   * assigned entry of the file whatever its ASID.
   */
  rmpLifetime: 'folio' | 'binding' | 'binding-memory-freed';
  /** Reclaim in free_folio | from a work queue later. */
  rmpReclaim: 'sync' | 'deferred';
  /** Arch hooks called by guest_memfd (today) | only via KVM / the IOMMU. */
  archCalls: 'gmem' | 'kvm';
  /** guest_memfd pre-faults into its users (rejected in the thread). */
  prefault: boolean;
  /** What the IOMMU may map from guest_memfd. */
  iommuMapsGmem: 'none' | 'shared' | 'shared+private';
  /**
   * The IOMMU layer makes a page the guest's (SNP rmp_make_private) before it maps it private
   * (the seed thread: arch work goes "via KVM/IOMMU"); false: nobody on that path assigns it.
   */
  iommuAssignsPrivate: boolean;
  /**
   * The IOMMU map writes its IOMMU PTE within the filemap_invalidate_lock_shared() section in
   * which guest_memfd checked the shareability and handed out the page, so no conversion or
   * PUNCH_HOLE (invalidate_lock exclusive) comes between the check and the map. false: the page
   * is looked up under the lock (kvm_gmem_get_pfn as in-place v7 patch 01 takes it, with a folio
   * reference) and mapped after the unlock, with no counterpart of KVM's mmu_invalidate_seq
   * retry to see an invalidation that ran in between (bug).
   */
  iommuMapUnderInvalidateLock: boolean;
  arch: 'none' | 'snp' | 'tdx';
  /** A file may be linked to a second VM (intra-host migration). */
  linking: boolean;
  /**
   * guest_memfd allocates folios of order 1 (a "huge" pair of pages) that KVM may map huge: the
   * huge folio series (1G HugeTLB RFC v2), not mainline nor the in-place series v7, whose
   * folios are order 0 (__kvm_gmem_get_pfn: `*max_order = 0`).
   */
  hugepages: boolean;

  // Mechanisms whose correct form the kernel reached through a fix; false / the other value is
  // the form before the fix, kept so that the review shows what the fix protects.
  /** Which SPTEs PUNCH_HOLE zaps (INIT_SHARED / in place). */
  zapFilter: 'private-only' | 'by-attributes';
  /** Unbind erases bindings even when the file is dying. */
  unbindDyingFile: boolean;
  /**
   * kvm_gmem_unbind() stores NULL over the binding under filemap_invalidate_lock (mainline), so
   * the bindings an invalidation's begin walked are the ones its end looks up ("Bindings must be
   * stable across invalidation to ensure the start+end are balanced", kvm_gmem_punch_hole).
   * false: a planted bug, the lock left out.
   */
  unbindTakesInvalidateLock: boolean;
  /**
   * kvm_gmem_unbind() takes filemap_invalidate_lock for a dying file too (a proposed fix, no
   * kernel code). Mainline (since ae431059e75d) stores NULL over a dying file's bindings without
   * it: with one file per inode no invalidation can be in flight through a dying file. With
   * several files on the inode (linking), PUNCH_HOLE through another file walks the dying file's
   * bindings, so the unbind can come between its begin and end (specs/linked-file-dying-unbind).
   */
  unbindDyingTakesInvalidateLock: boolean;
  /** PUNCH_HOLE zeroes the punched part of a huge folio in place (the 1G RFC v2: a host write). */
  truncateZeroesPartialFolio: boolean;
  /** Populate GUPs its source before invalidate_lock. */
  populateGupBeforeLock: boolean;
  /** fallocate zeroes and prepares folios (bug). */
  fallocatePrepares: boolean;
  /** Mirror SPTE may exist before its S-EPT entry (bug). */
  tdxPremap: boolean;

  // Huge mappings (issue 11, corrections 3 and 4): where a huge SPTE can come from, what caps
  // its level, and what keeps a fault from mapping huge across a range being converted.
  /**
   * The memslot's userspace memory (shared memory outside guest_memfd, pfn -1) is THP or
   * hugetlbfs: host_pfn_mapping_level() lets a shared fault map a 2-page chunk huge
   * (arch/x86/kvm/mmu/mmu.c kvm_mmu_max_mapping_level). A userspace choice, not a kernel one.
   */
  hostHugepages: boolean;
  /**
   * The level stops at 4K over a chunk whose attributes are mixed: KVM reads lpage_info's
   * KVM_LPAGE_MIXED_FLAG under mmu_lock (kvm_mmu_max_mapping_level, 90b4fe17981e "KVM: x86:
   * Disallow hugepages when memory attributes are mixed"); with huge folios guest_memfd splits a
   * folio holding a shared page, so max_order is 0 there (1G HugeTLB RFC v2,
   * kvm_gmem_try_split_folio_in_filemap / kvm_gmem_mapping_order). false: neither.
   */
  levelChecksMixedAttributes: boolean;
  /**
   * A conversion adds the huge chunks straddling its range to the invalidation: KVM_SET_MEMORY_ATTRIBUTES
   * in kvm_arch_pre_set_memory_attributes (9129633d568e), the huge folio series' conversion by
   * rounding to the folio size (kvm_gmem_convert_invalidate_begin). false: the exact range (the
   * form before 9129633d568e). Never for PUNCH_HOLE, release or memslot deletion.
   */
  invalidateStraddlingHugepages: boolean;
  /**
   * kvm_arch_post_set_memory_attributes() (arch/x86/kvm/mmu/mmu.c) processes a straddling head
   * huge page only if the memslot holds it whole (992b54bd083c "KVM: x86/mmu: x86: Don't
   * overflow lpage_info when checking attributes": `gfn >= slot->base_gfn && gfn + nr_pages <=
   * slot->base_gfn + slot->npages`). false: the form before it (90b4fe17981e), `gfn >=
   * slot->base_gfn` only, whose hugepage_has_attrs at the 1G level reads the 2M lpage_info past
   * the end of a memslot smaller than the 1G page (kernel/lpage-info.ts).
   */
  lpageHeadInSlot: boolean;
  /**
   * kvm_mmu_invalidate_range_add() takes the union with the range already recorded
   * (8569992d64b8). false: the guest_memfd series v12's form, where every add overwrites the
   * range while one invalidation is in progress (so one invalidation's several adds keep only
   * the last), and concurrent invalidations take the union.
   */
  invalidateRangeUnion: boolean;

  // Switches for the properties no debated mechanism names (all-or-nothing, zeroing, populate's
  // checks), so that they too have a design that breaks them.
  /**
   * Every refcount of the range is checked before any index changes (false: per index; in the
   * 1G series' conversion, per work item, each checked just before it is stored).
   */
  refcountCheckBeforeStore: boolean;
  /** Zeroing on first use clears the whole folio (false: only the faulted page). */
  zeroWholeFolio: boolean;
  /** Populate checks PRIVATE / RMP unassigned under invalidate_lock (false: before it). */
  populateChecksUnderLock: boolean;

  // TDX page references (arch/x86/kvm/vmx/tdx.c). false: the kernel since ce7b5695397b "KVM: TDX:
  // Drop superfluous page pinning in S-EPT management": no reference, a failed removal bugs the
  // VM and guest_memfd frees the page while the S-EPT may still map it (a window the commit
  // accepts). true: the kernel before it, where every mapped private page was pinned
  // (tdx_sept_set_private_spte get_page) and a failed removal leaked the page.
  /** Every private page the S-EPT maps holds a page reference (true: before ce7b5695397b). */
  tdxPinsPages: boolean;

  // Locks. kvm_gmem_get_pfn takes invalidate_lock shared where
  // guest_memfd owns the attributes (in-place series v7 patch 01), none in mainline: that
  // follows `attributes`, not a switch of its own.
  /**
   * TDX's post_populate callback maps the page by simulating a fault (kvm_tdp_map_page ->
   * kvm_gmem_get_pfn) while kvm_gmem_populate holds invalidate_lock exclusive: the form before
   * 3ab3283dbb2c (v6.16-v6.18), a self-deadlock once kvm_gmem_get_pfn takes the lock shared.
   */
  tdxPostPopulateRefaults: boolean;

  // The 1G HugeTLB series (RFC v2, Ackerley Tng, 2025-05-14, googleprodkernel/linux-cc
  // gmem-1g-page-support-rfc-v2): guest_memfd's folios come from the guestmem_hugetlb pool and
  // are split when part of them turns shared, merged when all of them is private again
  // (kernel/hugetlb.ts, ops/convert-hugetlb.ts). What the series debates are switches.
  /** Folios from the huge-page pool, split / merged by kvm_gmem_convert_range (needs hugepages). */
  hugetlb: boolean;
  /**
   * Where a huge folio holding a shared page is split: by the conversion
   * (kvm_gmem_restructure_folios_in_range, the series) | lazily, by the next kvm_gmem_get_folio
   * of it (kvm_gmem_try_split_folio_in_filemap on lookup, the alternative debated).
   */
  hugetlbSplitAt: 'conversion' | 'fault';
  /**
   * What a split or merge does while others hold references to the folio. 'wait': it spins
   * until only the filemap holds it (filemap_remove_folio_for_restructuring: folio_ref_freeze,
   * the series). 'skip': it leaves that folio as it is and goes on (a try-freeze, the
   * alternative to spinning; a bug: the shared page stays in a huge folio). 'none' (bug): it
   * restructures whatever references others hold.
   */
  hugetlbRefFreeze: 'wait' | 'skip' | 'none';
  /** A failed split / merge rolls the executed work back (kvm_gmem_convert_range). false: bug. */
  hugetlbRollback: boolean;
  /**
   * A split page leaving the filemap is counted back into its huge page: kvm_gmem_free_folio ->
   * guestmem_hugetlb_free_folio registers the folio_put callback of a page whose huge page is in
   * guestmem_hugetlb_stash, and its last folio_put counts it (nr_pages_waiting_to_be_merged)
   * until guestmem_hugetlb_maybe_merge_folio merges the whole huge page and frees it to HugeTLB
   * (1G RFC v2 mm/guestmem_hugetlb.c). false (bug): no callback, so a split page's last
   * folio_put frees it as the order-0 page it is, to the buddy allocator, alone.
   */
  hugetlbPutCallback: boolean;

  // Memslots and bindings (issue 12, kernel/memslots.ts, ops/bind.ts, ops/link.ts).
  /**
   * kvm_gmem_bind() refuses a range another memslot of the file binds (xa_find under
   * filemap_invalidate_lock: -EEXIST). false: a planted bug, the check left out.
   */
  bindChecksOverlap: boolean;
  /**
   * The seed thread's KVM layer (k3 of the thread, 2025-07-09): guest_memfd calls one per-VM
   * kvm_gmem_context with index ranges; the context binds memslots to ranges of the file,
   * translates a callback into each binding's gfn range and invalidates; linking attaches the
   * context, with its bindings, to another VM (the destination of an intra-host migration). No
   * kernel code: a proposal. false: mainline, where guest_memfd walks each file's bindings itself.
   */
  gmemContext: boolean;
  /**
   * gmemContext: moving the context invalidates the source VM's mappings of its bindings
   * (begin, zap, end: a racing fault of the source retries) before the destination gets them.
   * false: the source's SPTEs and in-flight faults are left alone (bug).
   */
  contextMoveInvalidates: boolean;
}

/** The kernel today: virt/kvm/guest_memfd.c, arch/x86/kvm/mmu/mmu.c (arch left out: see upstream-snp / upstream-tdx). */
export const upstream: Design = Object.freeze({
  attributes: 'vm',
  inPlaceConversion: false,
  faultCheck: 'query',
  invalidateRetry: true,
  notify: Object.freeze({ kvm: true, iommu: true }),
  refcountCheck: false,
  unmapUserspaceOnConvert: true,
  rmpLifetime: 'folio',
  rmpReclaim: 'sync',
  archCalls: 'gmem',
  prefault: false,
  iommuMapsGmem: 'none',
  iommuAssignsPrivate: true,
  iommuMapUnderInvalidateLock: true,
  arch: 'none',
  linking: false,
  hugepages: false,
  // Huge mappings: none from guest_memfd (order-0 folios); the memslot's userspace memory is
  // 4K (upstream-thp backs it with THP).
  hostHugepages: false,
  levelChecksMixedAttributes: true,
  invalidateStraddlingHugepages: true,
  lpageHeadInSlot: true,
  invalidateRangeUnion: true,
  zapFilter: 'by-attributes',
  unbindDyingFile: true,
  unbindTakesInvalidateLock: true,
  unbindDyingTakesInvalidateLock: false,
  truncateZeroesPartialFolio: false,
  populateGupBeforeLock: true,
  fallocatePrepares: false,
  tdxPremap: false,
  refcountCheckBeforeStore: true,
  zeroWholeFolio: true,
  populateChecksUnderLock: true,
  tdxPinsPages: false,
  tdxPostPopulateRefaults: false,
  hugetlb: false,
  hugetlbSplitAt: 'conversion',
  hugetlbRefFreeze: 'wait',
  hugetlbRollback: true,
  hugetlbPutCallback: true,
  bindChecksOverlap: true,
  gmemContext: false,
  contextMoveInvalidates: true,
}) as Design;

/** The in-place conversion series: shareability per index in guest_memfd, mmap and GUP of shared indices. */
export const inPlace: Design = variant(upstream, {
  attributes: 'gmem',
  inPlaceConversion: true,
  refcountCheck: true,
});

/**
 * The huge folio series on the in-place layout: guest_memfd folios of two pages (the 1G HugeTLB
 * RFC v2, Ackerley Tng, 2025-05: guestmem_hugetlb allocator, shareability per index) mapped huge
 * by KVM when guest_memfd's max_order allows. PUNCH_HOLE of part of a huge folio zeroes that
 * part in place and keeps the folio (kvm_gmem_truncate_inode_range -> kvm_gmem_zero_range), as
 * truncateZeroesPartialFolio. Its fault and conversion steps are v7's (a departure: the RFC's
 * differ, src/README.md).
 */
export const hugepageSeries: Design = variant(inPlace, { hugepages: true, truncateZeroesPartialFolio: true });

/**
 * The 1G HugeTLB series as posted (RFC v2, Ackerley Tng, 2025-05-14, googleprodkernel/linux-cc
 * gmem-1g-page-support-rfc-v2, virt/kvm/guest_memfd.c): huge folios from the guestmem_hugetlb
 * pool; kvm_gmem_convert_range splits a huge folio when part of it turns shared and merges it
 * when all of it is private again, each restructure after folio_ref_freeze; a failed split or
 * merge rolls the conversion back; PUNCH_HOLE zeroes a partial huge page in place
 * (kvm_gmem_truncate_inode_range -> kvm_gmem_zero_range) and merges before truncating a whole
 * one (kvm_gmem_merge_truncate_indices). The model's huge page is bounds.folioPages pages (2 or 4).
 */
export const hugetlbRfcV2: Design = variant(hugepageSeries, { hugetlb: true });

/** Mainline with the memslot's userspace memory backed by THP: shared faults map huge. */
export const upstreamThp: Design = variant(upstream, { hostHugepages: true });

/**
 * The layout of the seed thread (Vishal Annapurve, 2025-07-09), as stated: guest_memfd the one
 * provider, fault type passed to guest_memfd, no arch calls from guest_memfd, RMP lifetime tied
 * to the binding with memory kept while bound, and KVM_LINK_GUEST_MEMFD for intra-host migration.
 */
export const threadProposal: Design = variant(inPlace, {
  faultCheck: 'fault-type',
  rmpLifetime: 'binding',
  archCalls: 'kvm',
  iommuMapsGmem: 'shared+private',
  arch: 'snp',
  linking: true,
  hugepages: false,
});

function variant(base: Design, changes: Partial<Design>): Design {
  return Object.freeze({ ...base, ...changes, notify: Object.freeze({ ...base.notify, ...changes.notify }) });
}

/** Every named design, by name (the review's rows). */
export const designs: Readonly<Record<string, Design>> = Object.freeze({
  upstream,
  'in-place': inPlace,
  'thread-proposal': threadProposal,
  // The kernel today on each confidential-computing architecture.
  'upstream-snp': variant(upstream, { arch: 'snp' }),
  'upstream-tdx': variant(upstream, { arch: 'tdx' }),
  'in-place-snp': variant(inPlace, { arch: 'snp', hugepages: false }),
  'in-place-tdx': variant(inPlace, { arch: 'tdx', hugepages: false }),
  // The thread's layout with the RMP reclaimed when the folio leaves the filemap, as today's
  // free_folio does (KVM told through a free notification instead of guest_memfd calling the
  // arch): what the model suggests instead.
  'thread-proposal-folio-rmp': variant(threadProposal, { rmpLifetime: 'folio' }),
  // The thread's RMP lifetime read literally (the reading Vishal rules out with "unless memory
  // itself is kept around after filemap eviction"): PUNCH_HOLE frees pages still assigned, and
  // unbind reclaims every assigned entry, another VM's included.
  'thread-proposal-literal': variant(threadProposal, { rmpLifetime: 'binding-memory-freed' }),
  // The thread does not say who makes a page the IOMMU maps private the guest's; as stated, arch
  // work goes through KVM or the IOMMU, so thread-proposal's IOMMU layer assigns it. This reading
  // has nobody do it.
  'thread-proposal-iommu-unassigned': variant(threadProposal, { iommuAssignsPrivate: false }),
  // The thread's IOMMU map with its page looked up under invalidate_lock shared and mapped after
  // the unlock: a conversion to shared that runs in between (kvm_gmem_invalidate_begin: the
  // IOMMU notifier finds no mapping yet; KVM reclaims the RMP entry, rmp_make_shared) leaves the
  // device a private mapping of a hypervisor-owned page. KVM's fault has the same window
  // between kvm_gmem_get_pfn() and its SPTE and closes it with mmu_invalidate_seq
  // (is_page_fault_stale, arch/x86/kvm/mmu/mmu.c); this IOMMU map has neither that nor the lock.
  'thread-proposal-iommu-map-unlocked': variant(threadProposal, { iommuMapUnderInvalidateLock: false }),
  // Proposals of the thread taken one at a time, on the kernel's own layout.
  'in-place-iommu': variant(inPlace, { iommuMapsGmem: 'shared+private', hugepages: false }),
  // The link proposal on today's kernel, not mainline: KVM_LINK_GUEST_MEMFD is an RFC, and
  // mainline sev_vm_move_enc_context_from() refuses an SNP source (-EINVAL); the move is
  // modelled as for SEV / SEV-ES (ASID moves, source killed with kvm_vm_dead).
  'upstream-linking': variant(upstream, { arch: 'snp', linking: true }),
  // The same with kvm_gmem_unbind() taking filemap_invalidate_lock on a dying file too (a
  // proposed fix): a PUNCH_HOLE through the other file then ends every VM it began.
  'upstream-linking-dying-unbind-locked': variant(upstream, {
    arch: 'snp',
    linking: true,
    unbindDyingTakesInvalidateLock: true,
  }),
  // One buggy design per bug setting.
  'no-invalidate-retry': variant(upstream, { invalidateRetry: false }),
  // The same check dropped on a confidential VM: without is_page_fault_stale() under mmu_lock
  // (arch/x86/kvm/mmu/mmu.c kvm_tdp_mmu_page_fault -> mmu_invalidate_retry_gfn) and the
  // mmu_invalidate_retry_gfn_unsafe() prechecks of kvm_mmu_faultin_pfn(), a fault that took its
  // pfn from kvm_gmem_get_pfn() before a PUNCH_HOLE installs it after kvm_gmem_punch_hole()'s
  // zap, before or after truncate_inode_pages_range(). SNP: sev_gmem_prepare() assigned the page
  // at kvm_gmem_get_pfn(), kvm_gmem_free_folio() -> sev_gmem_invalidate() makes it
  // hypervisor-owned again, and the NPT maps it private. TDX: tdx_sept_set_private_spte() ->
  // TDH.MEM.PAGE.AUG adds the page to the S-EPT after the zap, so nothing removes it before the
  // truncate (or kvm_release_faultin_page()) drops the last reference: no S-EPT page pin since
  // ce7b5695397b, the page is freed while the TD maps it.
  'no-invalidate-retry-snp': variant(upstream, { arch: 'snp', invalidateRetry: false }),
  'no-invalidate-retry-tdx': variant(upstream, { arch: 'tdx', invalidateRetry: false }),
  // The thread's layout with the RMP reclaimed at filemap removal (thread-proposal-folio-rmp),
  // without the retry check: KVM makes the page private at its install (rmp_make_private under
  // mmu_lock), so a fault that took its pfn before PUNCH_HOLE assigns a page whose free
  // notification has already run, and its kvm_release_faultin_page() frees it still assigned.
  'thread-proposal-folio-rmp-no-retry': variant(threadProposal, { rmpLifetime: 'folio', invalidateRetry: false }),
  'in-place-no-kvm-notify': variant(inPlace, { notify: { kvm: false, iommu: true }, hugepages: false }),
  'iommu-no-notify': variant(inPlace, {
    iommuMapsGmem: 'shared+private',
    notify: { kvm: true, iommu: false },
    hugepages: false,
  }),
  'no-refcount-check': variant(inPlace, { refcountCheck: false, hugepages: false }),
  'no-unmap-on-convert': variant(inPlace, { unmapUserspaceOnConvert: false, hugepages: false }),
  'no-refcount-check-no-unmap': variant(inPlace, {
    refcountCheck: false,
    unmapUserspaceOnConvert: false,
    hugepages: false,
  }),
  'rmp-deferred-reclaim': variant(upstream, { arch: 'snp', rmpReclaim: 'deferred' }),
  'gmem-prefault': variant(upstream, { prefault: true }),
  // Huge mappings: mainline with THP behind the memslot (the straddle bug fixed by 9129633d568e
  // lives there), and the huge folio series.
  'upstream-thp': upstreamThp,
  'hugepage-series': hugepageSeries,
  'no-straddle-invalidation': variant(upstreamThp, { invalidateStraddlingHugepages: false }),
  'no-mixed-attributes-check': variant(upstreamThp, { levelChecksMixedAttributes: false }),
  'huge-folio-not-split': variant(hugepageSeries, { levelChecksMixedAttributes: false }),
  // The guest_memfd series v12's range_add (overwrite while one invalidation is in progress),
  // exposed by a conversion of [1, 3) whose head and tail chunks 9129633d568e adds after the
  // exact range: only the tail chunk is remembered. Needs huge mappings for those adds.
  'no-range-union': variant(upstreamThp, { invalidateRangeUnion: false }),
  'zap-private-only': variant(inPlace, { zapFilter: 'private-only', hugepages: false }),
  'unbind-skips-dying-file': variant(upstream, { unbindDyingFile: false }),
  // kvm_gmem_unbind without filemap_invalidate_lock (planted): a memslot deleted while
  // PUNCH_HOLE invalidates it takes its binding away between kvm_gmem_invalidate_begin and
  // _end, and the end (xa_find) finds nothing to end: mmu_invalidate_in_progress stays raised.
  'unbind-without-invalidate-lock': variant(upstream, { unbindTakesInvalidateLock: false }),
  'populate-gup-under-lock': variant(inPlace, { arch: 'snp', populateGupBeforeLock: false, hugepages: false }),
  // TDX populate before 3ab3283dbb2c on the in-place series: the callback's simulated fault asks
  // for the invalidate_lock its own populate holds exclusive.
  'tdx-populate-refaults': variant(inPlace, { arch: 'tdx', tdxPostPopulateRefaults: true, hugepages: false }),
  'fallocate-prepares': variant(upstream, { arch: 'snp', fallocatePrepares: true }),
  'tdx-premap': variant(upstream, { arch: 'tdx', tdxPremap: true }),
  // TDX before ce7b5695397b: mapped private pages pinned, a failed removal leaks its page.
  'tdx-pins-pages': variant(upstream, { arch: 'tdx', tdxPinsPages: true }),
  'conversion-per-index': variant(inPlace, { refcountCheckBeforeStore: false, hugepages: false }),
  'zero-one-page-of-folio': variant(hugepageSeries, { zeroWholeFolio: false }),
  // The 1G HugeTLB series (hugetlbRfcV2) on each architecture, and one buggy design per
  // switch that guards a property of properties/huge.ts.
  'hugetlb-rfc-v2': hugetlbRfcV2,
  'hugetlb-rfc-v2-snp': variant(hugetlbRfcV2, { arch: 'snp' }),
  'hugetlb-rfc-v2-tdx': variant(hugetlbRfcV2, { arch: 'tdx' }),
  // Split lazily, by the next lookup of the folio: a shared page sits in a huge folio meanwhile.
  'hugetlb-split-at-fault': variant(hugetlbRfcV2, { hugetlbSplitAt: 'fault' }),
  // Split / merge without folio_ref_freeze: a folio is restructured under KVM's reference.
  'hugetlb-restructure-with-refs': variant(hugetlbRfcV2, { hugetlbRefFreeze: 'none' }),
  // A try-freeze instead of the spin: a folio KVM holds is left huge, with its shared page in it.
  'hugetlb-split-skips-referenced': variant(hugetlbRfcV2, { hugetlbRefFreeze: 'skip' }),
  // No rollback: a failed split leaves the range converted and partly split.
  'hugetlb-no-rollback': variant(hugetlbRfcV2, { hugetlbRollback: false }),
  // kvm_gmem_convert_should_proceed run per work item inside the execute loop, not for every
  // item before any store: an -EAGAIN on a later item (a reference a racing fault holds) takes
  // `goto invalidate_end`, which skips the rollback, and the earlier items stay converted.
  'hugetlb-refcount-check-per-item': variant(hugetlbRfcV2, { refcountCheckBeforeStore: false }),
  // guestmem_hugetlb_free_folio's folio_put callback left out: a split page freed alone (the
  // closing file truncates folios as they are) goes to the buddy allocator alone.
  'hugetlb-no-put-callback': variant(hugetlbRfcV2, { hugetlbPutCallback: false }),
  // Partial truncate by the generic split: the punched page goes back to the allocator alone.
  'hugetlb-split-on-partial-truncate': variant(hugetlbRfcV2, { truncateZeroesPartialFolio: false }),
  // The conversion invalidates its exact range, not the huge range around it: a fault next to
  // it maps the huge folio huge while it is being split.
  'hugetlb-exact-invalidation': variant(hugetlbRfcV2, { invalidateStraddlingHugepages: false }),
  // The same on SNP (the 2M NPT entry over a 2M RMP entry) and TDX (the 2M S-EPT entry stays
  // over the split folio).
  'hugetlb-exact-invalidation-snp': variant(hugetlbRfcV2, { invalidateStraddlingHugepages: false, arch: 'snp' }),
  'hugetlb-exact-invalidation-tdx': variant(hugetlbRfcV2, { invalidateStraddlingHugepages: false, arch: 'tdx' }),
  'populate-checks-before-lock': variant(inPlace, { arch: 'snp', populateChecksUnderLock: false, hugepages: false }),
  // Memslots and bindings. The seed thread's kvm_gmem_context on mainline's layout: linking
  // moves the context, with its bindings, to the destination VM.
  'context-layer': variant(upstream, { linking: true, gmemContext: true }),
  // The context moved without invalidating the source's mappings: its SPTEs, and a fault it has
  // in flight, outlive the binding they were made through.
  'context-move-no-invalidate': variant(upstream, { linking: true, gmemContext: true, contextMoveInvalidates: false }),
  // kvm_gmem_bind without its overlap check (planted): two memslots bind one index.
  'bind-no-overlap-check': variant(upstream, { bindChecksOverlap: false }),
  // The guest_memfd series v12's range_add on plain mainline: one PUNCH_HOLE or conversion over
  // two memslots keeps only the last memslot's range (the trigger Xu Yilun named; no THP needed).
  'no-range-union-memslots': variant(upstream, { invalidateRangeUnion: false }),
  // Before 992b54bd083c (Rick Edgecombe, 2024): the head huge page of a KVM_SET_MEMORY_ATTRIBUTES
  // range is processed whenever it starts inside the memslot, so at the 1G level
  // hugepage_has_attrs reads 2M lpage_info entries past the end of a memslot smaller than 1G.
  // On upstream-thp, so that faults map huge and the mixed flags it writes are read.
  'lpage-info-overflow': variant(upstreamThp, { lpageHeadInSlot: false }),
});

export function designNames(): string[] {
  return Object.keys(designs);
}
