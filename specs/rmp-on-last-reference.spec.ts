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
  question: 'Does every page that goes back to the host allocator have a hypervisor-owned RMP entry, and every private SPTE an assigned one?',
  bounds: { pages: 2, ops: { fault: 2, punchHole: 1, convert: 1 }, faultType: 'private' },
  designs: ['upstream-snp', 'in-place-snp', 'thread-proposal', 'thread-proposal-literal', 'thread-proposal-folio-rmp', 'rmp-deferred-reclaim'],
  properties: [
    'rmp-removed-on-last-reference', 'rmp-assigned-while-private-mapped',
    'no-private-access-after-shared-conversion', 'no-mapping-of-freed-memory', 'every-operation-ends', 'no-deadlock',
  ],
  unlike: {
    // A finding, not a planted bug: a fault's kvm_gmem_get_pfn() prepares the folio
    // (rmp_make_private) after the in-place conversion to shared scanned the present folios,
    // so the index ends shared with its RMP entry still assigned. get_pfn takes no
    // invalidate_lock in virt/kvm/guest_memfd.c; the series must serialise prepare with it.
    'in-place-snp': {
      'no-private-access-after-shared-conversion': 'violated',
    },
    // thread-proposal (the RMP lifetime tied to the binding, as stated) keeps every property:
    // PUNCH_HOLE leaves the assigned page with the file while the binding holds its ASID, so the
    // allocator never sees it. Read literally instead (thread-proposal-literal), PUNCH_HOLE
    // frees the page still assigned, the case the thread excludes ("unless memory itself is
    // kept around after filemap eviction"); reused for a shared index, that page is then shared
    // with an assigned entry. thread-proposal-folio-rmp reclaims at filemap removal instead.
    'thread-proposal-literal': {
      'rmp-removed-on-last-reference': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    'rmp-deferred-reclaim': {
      'rmp-removed-on-last-reference': 'violated',
    },
  },
});
