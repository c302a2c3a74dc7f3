/**
 * The design switches under debate (docs/domain-model.md, "Design switches"), and the named designs:
 * the kernel today, the in-place conversion series, the layout proposed in the seed thread, and
 * one buggy variant per bug setting, so that every property has a design that breaks it.
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
  /** RMP reclaimed at folio free (today) | at memslot unbind (proposal). */
  rmpLifetime: 'folio' | 'binding';
  /** Reclaim in free_folio | from a work queue later. */
  rmpReclaim: 'sync' | 'deferred';
  /** Arch hooks called by guest_memfd (today) | only via KVM / the IOMMU. */
  archCalls: 'gmem' | 'kvm';
  /** guest_memfd pre-faults into its users (rejected in the thread). */
  prefault: boolean;
  /** What the IOMMU may map from guest_memfd. */
  iommuMapsGmem: 'none' | 'shared' | 'shared+private';
  arch: 'none' | 'snp' | 'tdx';
  /** A file may be linked to a second VM (intra-host migration). */
  linking: boolean;
  /** Folios of order 1 (a "huge" pair of pages) and huge mappings. */
  hugepages: boolean;

  // Mechanisms whose correct form the kernel reached through a fix; false / the other value is
  // the form before the fix, kept so that the review shows what the fix protects.
  /** The invalidation range covers hugepage chunks straddling it. */
  invalidateStraddlingHugepages: boolean;
  /** level = min(fault max, folio order, arch level, uniform attributes). */
  levelIsMinOfCaps: boolean;
  /** range_add over several invalidations takes the union. */
  invalidateRangeUnion: boolean;
  /** Which SPTEs PUNCH_HOLE zaps (INIT_SHARED / in place). */
  zapFilter: 'private-only' | 'by-attributes';
  /** Unbind erases bindings even when the file is dying. */
  unbindDyingFile: boolean;
  /** Truncate writes zeroes into a partial folio (bug: host write). */
  truncateZeroesPartialFolio: boolean;
  /** Populate GUPs its source before invalidate_lock. */
  populateGupBeforeLock: boolean;
  /** fallocate zeroes and prepares folios (bug). */
  fallocatePrepares: boolean;
  /** Mirror SPTE may exist before its S-EPT entry (bug). */
  tdxPremap: boolean;

  // Switches for the properties no debated mechanism names (all-or-nothing, zeroing, populate's
  // checks), so that they too have a design that breaks them.
  /** Every refcount of the range is checked before any index changes (false: per index). */
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
  arch: 'none',
  linking: false,
  hugepages: false,
  invalidateStraddlingHugepages: true,
  levelIsMinOfCaps: true,
  invalidateRangeUnion: true,
  zapFilter: 'by-attributes',
  unbindDyingFile: true,
  truncateZeroesPartialFolio: false,
  populateGupBeforeLock: true,
  fallocatePrepares: false,
  tdxPremap: false,
  refcountCheckBeforeStore: true,
  zeroWholeFolio: true,
  populateChecksUnderLock: true,
  tdxPinsPages: false,
}) as Design;

/** The in-place conversion series: shareability per index in guest_memfd, mmap and GUP of shared indices. */
export const inPlace: Design = variant(upstream, {
  attributes: 'gmem',
  inPlaceConversion: true,
  refcountCheck: true,
  hugepages: true,
});

/** The layout of the seed thread (Vishal Annapurve, 2025-07-09). */
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
  // The thread's layout with the RMP reclaimed when the folio is freed (KVM told through a
  // free notification instead of guest_memfd calling the arch): what the model suggests instead.
  'thread-proposal-folio-rmp': variant(threadProposal, { rmpLifetime: 'folio' }),
  // Proposals of the thread taken one at a time, on the kernel's own layout.
  'in-place-iommu': variant(inPlace, { iommuMapsGmem: 'shared+private', hugepages: false }),
  'upstream-linking': variant(upstream, { arch: 'snp', linking: true }),
  // One buggy design per bug setting.
  'no-invalidate-retry': variant(upstream, { invalidateRetry: false }),
  'in-place-no-kvm-notify': variant(inPlace, { notify: { kvm: false, iommu: true }, hugepages: false }),
  'iommu-no-notify': variant(inPlace, { iommuMapsGmem: 'shared+private', notify: { kvm: true, iommu: false }, hugepages: false }),
  'no-refcount-check': variant(inPlace, { refcountCheck: false, hugepages: false }),
  'no-unmap-on-convert': variant(inPlace, { unmapUserspaceOnConvert: false, hugepages: false }),
  'no-refcount-check-no-unmap': variant(inPlace, { refcountCheck: false, unmapUserspaceOnConvert: false, hugepages: false }),
  'rmp-deferred-reclaim': variant(upstream, { arch: 'snp', rmpReclaim: 'deferred' }),
  'gmem-prefault': variant(upstream, { prefault: true }),
  'no-straddle-invalidation': variant(inPlace, { invalidateStraddlingHugepages: false }),
  'level-not-min-of-caps': variant(inPlace, { levelIsMinOfCaps: false }),
  'no-range-union': variant(upstream, { invalidateRangeUnion: false }),
  'zap-private-only': variant(inPlace, { zapFilter: 'private-only', hugepages: false }),
  'unbind-skips-dying-file': variant(upstream, { unbindDyingFile: false }),
  'truncate-zeroes-partial-folio': variant(inPlace, { truncateZeroesPartialFolio: true }),
  'populate-gup-under-lock': variant(inPlace, { arch: 'snp', populateGupBeforeLock: false, hugepages: false }),
  'fallocate-prepares': variant(upstream, { arch: 'snp', fallocatePrepares: true }),
  'tdx-premap': variant(upstream, { arch: 'tdx', tdxPremap: true }),
  // TDX before ce7b5695397b: mapped private pages pinned, a failed removal leaks its page.
  'tdx-pins-pages': variant(upstream, { arch: 'tdx', tdxPinsPages: true }),
  'conversion-per-index': variant(inPlace, { refcountCheckBeforeStore: false, hugepages: false }),
  'zero-one-page-of-folio': variant(inPlace, { zeroWholeFolio: false }),
  'populate-checks-before-lock': variant(inPlace, { arch: 'snp', populateChecksUnderLock: false, hugepages: false }),
});

export function designNames(): string[] {
  return Object.keys(designs);
}
