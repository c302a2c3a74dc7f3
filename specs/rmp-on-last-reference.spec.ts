/**
 * SEV-SNP: a page the guest owns is assigned in the RMP; the host may only reuse it once the RMP
 * entry is back to hypervisor-owned. Today kvm_gmem_free_folio() -> sev_gmem_invalidate() does
 * that when the folio leaves the filemap (mm/filemap.c filemap_free_folio), before its last
 * reference goes; the seed thread proposes tying it to the memslot binding, "unless memory
 * itself is kept around after filemap eviction".
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'RMP entries on the last reference (SNP)',
  question:
    'Does every page that goes back to the host allocator have a hypervisor-owned RMP entry, and every private SPTE an assigned one?',
  bounds: { pages: 2, ops: { fault: 2, punchHole: 1, convert: 1 }, faultType: 'private' },
  designs: [
    'upstream-snp',
    'in-place-snp',
    'thread-proposal',
    'thread-proposal-literal',
    'thread-proposal-folio-rmp',
    'rmp-deferred-reclaim',
    'no-invalidate-retry-snp',
    'thread-proposal-folio-rmp-no-retry',
  ],
  properties: [
    'rmp-removed-on-last-reference',
    'rmp-assigned-while-private-mapped',
    'rmp-entry-matches-mapping',
    'no-private-access-after-shared-conversion',
    'no-mapping-of-freed-memory',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // in-place-snp keeps every property: in the series kvm_gmem_get_pfn runs under
    // invalidate_lock shared, so it cannot prepare between the conversion's arch invalidate
    // (rmp_make_shared) and its attribute store, and it prepares only an index that is private
    // by guest_memfd's shareability (in-place series v7 patches 01 and 07), never the stale
    // fault type of a fault that raced the conversion.
    // thread-proposal (the RMP lifetime tied to the binding, as stated) keeps every property:
    // PUNCH_HOLE leaves the assigned page with the file while the binding holds its ASID, so the
    // allocator never sees it. Read literally instead (thread-proposal-literal), PUNCH_HOLE
    // frees the page still assigned, the case the thread excludes ("unless memory itself is
    // kept around after filemap eviction"). A fault cannot then take that page for an index
    // being converted to shared: kvm_gmem_get_pfn waits for the conversion's invalidate_lock
    // (in-place series v7 patch 01), and the conversion's arch invalidate reclaims any page
    // present before it. thread-proposal-folio-rmp reclaims at filemap removal instead.
    // A page freed while still assigned (literal: at PUNCH_HOLE; deferred: before the work item
    // reclaims it) backs the next index that faults; sev_gmem_prepare() leaves an assigned entry
    // as it is, so that index's gfn is mapped to an entry assigned for the punched gfn's GPA.
    'thread-proposal-literal': {
      'rmp-removed-on-last-reference': 'violated',
      'rmp-entry-matches-mapping': 'violated',
    },
    'rmp-deferred-reclaim': {
      'rmp-removed-on-last-reference': 'violated',
      'rmp-entry-matches-mapping': 'violated',
    },
    // Only a race: a fault that took its pfn (kvm_gmem_get_pfn -> sev_gmem_prepare) before
    // PUNCH_HOLE installs its private SPTE without is_page_fault_stale(); the truncate that
    // follows reclaims the entry (kvm_gmem_free_folio -> sev_gmem_invalidate) and frees the page
    // the NPT maps. Against KVM_SET_MEMORY_ATTRIBUTES the same fault maps a gfn just made shared.
    'no-invalidate-retry-snp': {
      'rmp-assigned-while-private-mapped': 'violated',
      'rmp-entry-matches-mapping': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
      'no-mapping-of-freed-memory': 'violated',
    },
    // Only a race, where KVM assigns the RMP entry itself (the thread's layout, archCalls 'kvm'):
    // the fault took its pfn before PUNCH_HOLE, the truncate's free notification found the entry
    // unassigned, and the stale install's rmp_make_private comes after it; putting the fault's
    // reference then frees the page assigned. The retry check is what orders KVM's assignment
    // before guest_memfd's free.
    'thread-proposal-folio-rmp-no-retry': {
      'rmp-removed-on-last-reference': 'violated',
      'rmp-assigned-while-private-mapped': 'violated',
      'rmp-entry-matches-mapping': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
      'no-mapping-of-freed-memory': 'violated',
    },
  },
});
